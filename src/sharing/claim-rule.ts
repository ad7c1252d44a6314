/**
 * Claims: before a run asks Fluence about a contact it claims it in the store the runs share,
 * so a contact is asked once across runs. These are the rules, pure (no clock, no I/O).
 *
 * How a run knows another is alive: each run keeps one row in the store with a heartbeat it
 * renews every `HEARTBEAT_MS`, and every claim names its run. A lease per claim would need a
 * renewal per contact in flight (hundreds a second at the top plan, each a write every run
 * waits on); one heartbeat row per run costs one write every few seconds, and a run that dies
 * loses all its claims at once.
 *
 * A claim of a run on this machine lives exactly as long as its process: a crash or SIGKILL is
 * seen at once, and a process paused (Ctrl-Z) or too busy to beat keeps its claims however long
 * its heartbeat is silent, since it still holds requests it may send (or has sent) when it wakes.
 * A run on another machine cannot be seen: its claims die when its heartbeat is older than
 * `LEASE_MS` (a machine that stopped is seen after the lease), and a run that wakes after its own
 * lease lapsed checks each claim is still its own before the request leaves (see `Claims`).
 */

/**
 * Tests only: `FLUENCE_ENRICH_TEST_LEASE_MS` shortens the lease (and the heartbeat with it), so a
 * test can pause a process for longer than the lease without waiting 15 s. Not a user setting.
 */
const testLease = Number(process.env.FLUENCE_ENRICH_TEST_LEASE_MS) || 0;

/** A run whose heartbeat is older than this is dead, unless it is on this machine and its process is alive. */
export const LEASE_MS = testLease > 0 ? testLease : 15_000;
/** How often a run renews its heartbeat: several beats per lease, so one lost beat costs nothing. */
export const HEARTBEAT_MS = Math.max(50, Math.min(2000, Math.floor(LEASE_MS / 5)));

/** A stored row as the rule sees it: its state, and the run that holds it (if any). */
export interface ClaimRow {
  state: 'claimed' | 'started' | 'unanswered' | 'final';
  /** Whether a final answer may serve this run (see `reusable`). */
  reusable: boolean;
  run: string | null;
  /** The holder's heartbeat (ms), host and pid, when it has a run row. */
  holder: { heartbeatAt: number; host: string; pid: number; startedAt?: number } | undefined;
}

export interface ClaimContext {
  runId: string;
  nowMs: number;
  host: string;
  /** Whether a process of this machine is still running (and was already running at `startedBy`, when given). */
  isAlive: (pid: number, startedBy?: number) => boolean;
}

export type ClaimDecision =
  /** A final answer serves: no request. */
  | { kind: 'reuse' }
  /** This run asks. `uncertain`: a dead run had sent it without an answer (it may have been charged). */
  | { kind: 'ask'; uncertain: boolean }
  /** Another live run is asking: wait for its answer. */
  | { kind: 'wait'; run: string };

/**
 * Whether the run holding a claim is still alive: on this machine, while its process runs (its
 * heartbeat's age says nothing: a paused process beats again when it wakes, and sends what it
 * holds); on another machine, while its heartbeat is within the lease.
 */
export function holderAlive(
  row: Pick<ClaimRow, 'holder'>,
  ctx: Pick<ClaimContext, 'nowMs' | 'host' | 'isAlive'>,
): boolean {
  const { holder } = row;
  if (!holder) return false;
  if (holder.host === ctx.host) return ctx.isAlive(holder.pid, holder.startedAt);
  return ctx.nowMs - holder.heartbeatAt <= LEASE_MS;
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
