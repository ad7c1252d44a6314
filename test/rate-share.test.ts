import { describe, expect, it } from 'vitest';
import { RateShare, type Ticket } from '../src/rate/share.js';

/**
 * A simulated key: the server's token bucket and N runs, each with its own bucket refilled at the
 * rate its `RateShare` allows, on a 1 ms fake clock. Answers come back after a latency drawn from
 * a seeded generator; a 429 empties the run's bucket and the request goes back in its queue.
 */
function simulate(options: { rate: number; burst: number; runs: Array<{ start: number; requests: number }>; seconds: number; latency: [number, number]; seed?: number }) {
  const { rate, burst } = options;
  let seed = options.seed ?? 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  let server = burst;
  const accepted: number[][] = options.runs.map(() => []);
  let throttled = 0;
  let sent = 0;
  type Pending = { at: number; run: number; ticket: Ticket; ok: boolean; remaining: number };
  const pending: Pending[] = [];
  const runs = options.runs.map((r) => ({ ...r, left: r.requests, level: 0, share: undefined as RateShare | undefined, done: undefined as number | undefined }));
  const retries: Array<{ at: number; run: number }> = [];
  for (let t = 0; t < options.seconds * 1000; t++) {
    server = Math.min(burst, server + rate / 1000);
    for (let k = retries.length - 1; k >= 0; k--) {
      if (retries[k]!.at > t) continue;
      runs[retries[k]!.run]!.left += 1;
      retries.splice(k, 1);
    }
    for (const [i, run] of runs.entries()) {
      if (t < run.start || run.done !== undefined) continue;
      if (!run.share) {
        // The preflight's X-RateLimit-Remaining: a nearly empty bucket means someone is using the key.
        const remaining = Math.floor(server);
        run.share = new RateShare({ rate, burst, nowMs: t, initial: remaining, othersAtStart: remaining < burst / 2 ? rate * (1 - remaining / burst) : 0 });
        run.level = Math.max(0, remaining - run.share.reserve);
      }
      run.level = Math.min(burst - run.share.reserve, run.level + run.share.ownRate / 1000);
      while (run.level >= 1 && run.left > 0) {
        run.level -= 1;
        run.left -= 1;
        sent += 1;
        const ticket = run.share.ticket(t);
        const ok = server >= 1;
        if (ok) server -= 1;
        const latency = options.latency[0] + random() * (options.latency[1] - options.latency[0]);
        pending.push({ at: t + Math.round(latency), run: i, ticket, ok, remaining: Math.floor(server) });
        if (ok) accepted[i]!.push(t);
      }
    }
    for (let k = pending.length - 1; k >= 0; k--) {
      const p = pending[k]!;
      if (p.at > t) continue;
      pending.splice(k, 1);
      const run = runs[p.run]!;
      if (p.ok) {
        const { correction } = run.share!.observe(p.ticket, p.remaining);
        run.level = Math.max(0, Math.min(burst, run.level - correction));
      } else {
        // As the requester does: the bucket emptied, the request back in line after Retry-After (1 s).
        throttled += 1;
        run.level = 0;
        retries.push({ at: t + 1000, run: p.run });
      }
    }
    for (const run of runs) if (run.done === undefined && run.left === 0 && !pending.some((p) => runs[p.run] === run) && !retries.some((r) => runs[r.run] === run)) run.done = t;
  }
  /** Requests accepted per second between two instants, all runs together or one. */
  const rateBetween = (from: number, to: number, run?: number) => (run === undefined ? accepted.flat() : accepted[run]!).filter((t) => t >= from && t < to).length / ((to - from) / 1000);
  return { throttled, sent, rateBetween, done: runs.map((r) => r.done) };
}

describe('sharing a key with runs it cannot see (pure, simulated clock)', () => {
  const plan = { rate: 500, burst: 1000, latency: [300, 1500] as [number, number] };

  it("alone: the plan's whole rate, without 429s", () => {
    const sim = simulate({ ...plan, runs: [{ start: 0, requests: 16_000 }], seconds: 40 });
    expect(sim.rateBetween(3000, 30_000)).toBeGreaterThanOrEqual(0.98 * 500);
    expect(sim.throttled / sim.sent).toBeLessThanOrEqual(0.001);
  });

  it('two runs on one key keep the plan busy with few 429s, and the survivor takes the rate back', () => {
    const sim = simulate({ ...plan, runs: [{ start: 0, requests: 12_000 }, { start: 1000, requests: 12_000 }], seconds: 70 });
    const [a, b] = sim.done as [number, number];
    const [first, survivor] = a < b ? [a, 1] : [b, 0];
    expect(sim.rateBetween(2000, first - 500)).toBeGreaterThanOrEqual(0.9 * 500);
    expect(sim.throttled / sim.sent).toBeLessThanOrEqual(0.02);
    // Within six seconds of the other run's end, the survivor is back at the plan's rate.
    expect(sim.done[survivor]! - first).toBeGreaterThan(8000);
    expect(sim.rateBetween(first + 6000, first + 8000, survivor)).toBeGreaterThanOrEqual(0.95 * 500);
  });

  it('three runs: together still near the plan, 429s within the aim', () => {
    const sim = simulate({ ...plan, runs: [{ start: 0, requests: 9000 }, { start: 500, requests: 9000 }, { start: 1500, requests: 9000 }], seconds: 70 });
    const end = Math.min(...sim.done.map((d) => d ?? Infinity));
    expect(sim.rateBetween(3000, end - 500)).toBeGreaterThanOrEqual(0.9 * 500);
    expect(sim.throttled / sim.sent).toBeLessThanOrEqual(0.02);
  });
});
