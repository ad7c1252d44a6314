/**
 * Claims: before a run asks Fluence about a contact it claims it in the store the runs share,
 * so a contact is asked once across runs. These are the rules, pure (no clock, no I/O).
 *
 * How a run knows another is alive: each run keeps one row in the store with a heartbeat it
 * renews every `HEARTBEAT_MS`, and every claim names its run. A lease per claim would need a
 * renewal per contact in flight (hundreds a second at the top plan, each a write every run
 * waits on); one heartbeat row per run costs one write every few seconds, and a run that dies
 * loses all its claims at once. A claim is dead when its run's heartbeat is older than
 * `LEASE_MS`, or at once when the run was on this machine and its process is gone (a crash or
 * SIGKILL here is seen immediately; a machine that stopped is seen after the lease).
 */

/** How often a run renews its heartbeat. */
export const HEARTBEAT_MS = 2000;
/** A run whose heartbeat is older than this is dead: its claims are taken over. */
export const LEASE_MS = 15_000;

/** A stored row as the rule sees it: its state, and the run that holds it (if any). */
export interface ClaimRow {
  state: 'claimed' | 'started' | 'unanswered' | 'final';
  /** Whether a final answer may serve this run (see `reusable`). */
  reusable: boolean;
  run: string | null;
  /** The holder's heartbeat (ms), host and pid, when it has a run row. */
  holder: { heartbeatAt: number; host: string; pid: number } | undefined;
}

export interface ClaimContext {
  runId: string;
  nowMs: number;
  host: string;
  /** Whether a process of this machine is still running. */
  isAlive: (pid: number) => boolean;
}

export type ClaimDecision =
  /** A final answer serves: no request. */
  | { kind: 'reuse' }
  /** This run asks. `uncertain`: a dead run had sent it without an answer (it may have been charged). */
  | { kind: 'ask'; uncertain: boolean }
  /** Another live run is asking: wait for its answer. */
  | { kind: 'wait'; run: string };

/** Whether the run holding a claim is still alive. */
export function holderAlive(row: Pick<ClaimRow, 'holder'>, ctx: Pick<ClaimContext, 'nowMs' | 'host' | 'isAlive'>): boolean {
  const { holder } = row;
  if (!holder) return false;
  if (ctx.nowMs - holder.heartbeatAt > LEASE_MS) return false;
  return holder.host !== ctx.host || ctx.isAlive(holder.pid);
}

/** What a run does about a contact, given what the shared store holds for it (undefined: nothing). */
export function decideClaim(row: ClaimRow | undefined, ctx: ClaimContext): ClaimDecision {
  if (!row) return { kind: 'ask', uncertain: false };
  if (row.state === 'final') return row.reusable ? { kind: 'reuse' } : { kind: 'ask', uncertain: false };
  if (row.state === 'unanswered') return { kind: 'ask', uncertain: false };
  if (row.run === ctx.runId) return { kind: 'ask', uncertain: false };
  if (row.run !== null && holderAlive(row, ctx)) return { kind: 'wait', run: row.run };
  // The holder died: a claim it never sent costs nothing; a request it sent may have been charged.
  return { kind: 'ask', uncertain: row.state === 'started' };
}
