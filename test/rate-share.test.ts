import { describe, expect, it } from 'vitest';
import { TIERS } from '../src/api/plans.js';
import { heldAtStart, missedAtStart, RateShare, RELEASE_MS, START_SHARE, type Ticket } from '../src/rate/share.js';

/**
 * A simulated key: the server's token bucket and N runs, each with its own bucket refilled at the
 * rate its `RateShare` allows, on a 1 ms fake clock. Answers come back after a latency drawn from
 * a seeded generator; a 429 empties the run's bucket and the request goes back in its queue.
 */
function simulate(options: {
  rate: number;
  burst: number;
  runs: Array<{ start: number; requests: number }>;
  seconds: number;
  latency: [number, number];
  seed?: number;
  preflightMs?: number;
}) {
  const { rate, burst } = options;
  let seed = options.seed ?? 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let server = burst;
  const accepted: number[][] = options.runs.map(() => []);
  let throttled = 0;
  let sent = 0;
  type Pending = { at: number; run: number; ticket: Ticket; ok: boolean; remaining: number };
  const pending: Pending[] = [];
  const runs = options.runs.map((r) => ({
    ...r,
    left: r.requests,
    level: 0,
    share: undefined as RateShare | undefined,
    held: 0,
    startedAt: 0,
    bonus: 0,
    bonusRate: 0,
    done: undefined as number | undefined,
    remaining: undefined as number | undefined,
  }));
  // The preflight reads the server's bucket this long before the run's first request (the
  // account call's answer, the first pass over the file): runs started together all read it full.
  const preflightMs = options.preflightMs ?? 0;
  const retries: Array<{ at: number; run: number }> = [];
  for (let t = 0; t < options.seconds * 1000; t++) {
    server = Math.min(burst, server + rate / 1000);
    for (let k = retries.length - 1; k >= 0; k--) {
      if (retries[k]!.at > t) continue;
      runs[retries[k]!.run]!.left += 1;
      retries.splice(k, 1);
    }
    for (const run of runs) if (t === run.start) run.remaining = Math.floor(server);
    for (const [i, run] of runs.entries()) {
      if (t < run.start + preflightMs || run.done !== undefined) continue;
      if (!run.share) {
        // As run.ts does: the preflight's X-RateLimit-Remaining (a nearly empty bucket means
        // someone is using the key), the local bucket 0.1 s of rate short of it, less the reserve.
        const remaining = run.remaining!;
        run.share = new RateShare({
          rate,
          burst,
          nowMs: t,
          initial: remaining,
          othersAtStart: remaining < burst / 2 ? rate * (1 - remaining / burst) : 0,
        });
        const initial = Math.max(1, remaining - Math.ceil(rate * 0.1));
        // As LocalBucket does: part of it held until the first look at the server.
        const level = Math.max(0, Math.min(burst, initial) - Math.floor(run.share.reserve));
        run.held = heldAtStart(level);
        run.level = level - run.held;
        run.startedAt = t;
      }
      const bonus = Math.min(run.bonus, run.bonusRate);
      run.bonus -= bonus;
      run.level = Math.min(burst - Math.floor(run.share.reserve), run.level + run.share.ownRate / 1000 + bonus);
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
        const { correction, start } = run.share!.observe(p.ticket, p.remaining);
        if (start === 'alone') {
          run.bonus = run.held + missedAtStart(rate, t - run.startedAt);
          run.bonusRate = run.bonus / RELEASE_MS;
        }
        if (start) run.held = 0;
        if (correction > 0) run.bonus = 0;
        run.level = Math.max(0, Math.min(burst - Math.floor(run.share!.reserve), run.level - correction));
      } else {
        // As the requester does: the bucket emptied, the request back in line after Retry-After (1 s).
        throttled += 1;
        run.level = 0;
        retries.push({ at: t + 1000, run: p.run });
      }
    }
    for (const run of runs)
      if (
        run.done === undefined &&
        run.left === 0 &&
        !pending.some((p) => runs[p.run] === run) &&
        !retries.some((r) => runs[r.run] === run)
      )
        run.done = t;
  }
  /** Requests accepted per second between two instants, all runs together or one. */
  const rateBetween = (from: number, to: number, run?: number) =>
    (run === undefined ? accepted.flat() : accepted[run]!).filter((t) => t >= from && t < to).length /
    ((to - from) / 1000);
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
    const sim = simulate({
      ...plan,
      runs: [
        { start: 0, requests: 12_000 },
        { start: 1000, requests: 12_000 },
      ],
      seconds: 70,
    });
    const [a, b] = sim.done as [number, number];
    const [first, survivor] = a < b ? [a, 1] : [b, 0];
    expect(sim.rateBetween(2000, first - 500)).toBeGreaterThanOrEqual(0.9 * 500);
    expect(sim.throttled / sim.sent).toBeLessThanOrEqual(0.02);
    // Within six seconds of the other run's end, the survivor is back at the plan's rate.
    expect(sim.done[survivor]! - first).toBeGreaterThan(8000);
    expect(sim.rateBetween(first + 6000, first + 8000, survivor)).toBeGreaterThanOrEqual(0.95 * 500);
  });

  it('three runs: together still near the plan, 429s within the aim', () => {
    const sim = simulate({
      ...plan,
      runs: [
        { start: 0, requests: 9000 },
        { start: 500, requests: 9000 },
        { start: 1500, requests: 9000 },
      ],
      seconds: 70,
    });
    const end = Math.min(...sim.done.map((d) => d ?? Infinity));
    expect(sim.rateBetween(3000, end - 500)).toBeGreaterThanOrEqual(0.9 * 500);
    expect(sim.throttled / sim.sent).toBeLessThanOrEqual(0.02);
  });
});

/** The tiers of the API docs (src/api/plans.ts), each with two and three runs started together. */
const TIER_CASES = Object.entries(TIERS).filter(([name]) => name !== 'business');

describe('several runs started together or nearly on one key, at every tier (pure, simulated clock)', () => {
  for (const [name, { rate, burst }] of TIER_CASES) {
    for (const runs of [2, 3]) {
      for (const [latency, spread] of [
        [[200, 800], 50],
        [[300, 1500], 50],
        [[200, 800], 400],
        [[300, 1500], 1000],
      ] as Array<[[number, number], number]>) {
        it(`${runs} runs on ${name} (${rate}/s, burst ${burst}), answers in ${latency[0]}-${latency[1]} ms, started ${spread} ms apart: 429s <= 2 %, together >= 0.90 of the plan`, () => {
          // Each run asks enough for ~30 s of the plan between them.
          const requests = Math.round((rate * 30) / runs);
          const sim = simulate({
            rate,
            burst,
            latency,
            preflightMs: 300,
            runs: Array.from({ length: runs }, (_, i) => ({ start: i * spread, requests })),
            seconds: 90,
          });
          const end = Math.max(...sim.done.map((d) => d ?? Infinity));
          const share = sim.throttled / sim.sent;
          const combined = (runs * requests) / (end / 1000) / rate;
          console.log(
            `${runs} runs ${name} ${latency.join('-')} ms, ${spread} ms apart: 429s ${(100 * share).toFixed(2)} %, combined ${combined.toFixed(3)}`,
          );
          expect(end).toBeLessThan(Infinity);
          expect(share).toBeLessThanOrEqual(0.02);
          expect(combined).toBeGreaterThanOrEqual(0.9);
        });
      }
    }
  }
});

describe('others on the key: evidence only', () => {
  // A 5/s key (burst 10) found at 4 tokens: the start's guess says ~3/s of others.
  const start = { rate: 5, burst: 10, initial: 4, othersAtStart: 5 * (1 - 4 / 10), nowMs: 0 };

  it('a run that sent nothing reports nobody, whatever the bucket looked like at the start', () => {
    const share = new RateShare(start);
    expect(share.othersRate).toBe(0);
    // The guess still makes the run careful meanwhile.
    expect(share.ownRate).toBeLessThan(5);
  });

  it('answers that show the bucket as predicted clear the guess at the first look', () => {
    const share = new RateShare(start);
    const first = share.ticket(0);
    share.observe(first, Math.floor(first.expected));
    const later = share.ticket(1000);
    const seen = share.observe(later, Math.floor(later.expected));
    expect(share.othersRate).toBe(0);
    expect(seen.ownRate).toBe(5);
    // Alone is said at the second clear look.
    expect(seen.start).toBeUndefined();
    const again = share.ticket(1300);
    expect(share.observe(again, Math.floor(again.expected)).start).toBe('alone');
  });

  it('answers that show others taking tokens report them', () => {
    const share = new RateShare({ rate: 100, burst: 200, nowMs: 0 });
    share.ticket(0);
    const later = share.ticket(1000);
    // 60 tokens gone in a second that this run did not take.
    const seen = share.observe(later, Math.floor(later.expected) - 60);
    expect(seen.start).toBe('shared');
    expect(share.othersRate).toBeGreaterThan(50);
  });
});

describe('the start: a share of the bucket until the first look', () => {
  it('alone: two clear looks give back what was held and the refill missed', () => {
    const share = new RateShare({ rate: 100, burst: 200, nowMs: 0 });
    expect(share.ownRate).toBeCloseTo(100 * START_SHARE);
    const early = share.ticket(0);
    // Too early to be a look (under a quarter second after the start): still careful.
    expect(share.observe(early, Math.floor(early.expected)).start).toBeUndefined();
    const ticket = share.ticket(400);
    const seen = share.observe(ticket, Math.floor(ticket.expected));
    // The first clear look restores the plan's rate; the second says alone (the held tokens back).
    expect(seen.start).toBeUndefined();
    expect(seen.ownRate).toBe(100);
    const second = share.ticket(700);
    expect(share.observe(second, Math.floor(second.expected)).start).toBe('alone');
    expect(heldAtStart(180)).toBe(120);
    expect(missedAtStart(100, 600)).toBeCloseTo(40);
  });

  it('answers without X-RateLimit-Remaining: nothing to learn, the whole plan at once', () => {
    const share = new RateShare({ rate: 100, burst: 200, nowMs: 0 });
    expect(share.observe(share.ticket(10), undefined).start).toBe('alone');
    expect(share.ownRate).toBe(100);
  });
});
