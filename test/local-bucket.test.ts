import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BucketOptions } from '../src/rate/bucket.js';
import { LocalBucket } from '../src/rate/local-bucket.js';
import { RateShare } from '../src/rate/share.js';

const options = (over: Partial<BucketOptions>): BucketOptions => ({
  rate: 10,
  capacity: 10,
  initial: 0,
  tickMs: 50,
  onError: () => undefined,
  ...over,
});

/** Lets what is under way finish: 5 ms of fake clock, short of a 50 ms tick. */
const settle = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(5);
};

/** The level once what is under way (a refill, a correction) has landed. */
async function levelOf(bucket: LocalBucket): Promise<number> {
  await settle();
  const level = bucket.level();
  await settle();
  return level;
}

/** Stops the bucket, the fake clock running meanwhile. */
async function stop(bucket: LocalBucket): Promise<void> {
  const stopped = bucket.stop();
  await vi.advanceTimersByTimeAsync(1000);
  await stopped;
}

describe("a run's own bucket (fake clock)", () => {
  afterEach(() => vi.useRealTimers());

  it('refills from elapsed time, fractions included, and stops at its capacity', async () => {
    vi.useFakeTimers({ now: 0 });
    // 3/s at 50 ms ticks is 0.15 token a tick: dropping fractions would never refill at all.
    const bucket = new LocalBucket(options({ rate: 3, capacity: 5 }));
    // (21 ticks: 20 would be 2.999... in floating point.)
    await vi.advanceTimersByTimeAsync(1050);
    expect(await levelOf(bucket)).toBe(3);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await levelOf(bucket)).toBe(5);
    await stop(bucket);
  });

  it('credits a late tick at most two periods (a busy process must not release a lump the server never refilled)', async () => {
    vi.useFakeTimers({ now: 0 });
    const bucket = new LocalBucket(options({ rate: 100, capacity: 1000 }));
    // The clock jumps a second while no timer runs, as when the event loop was busy.
    vi.setSystemTime(1000);
    await vi.advanceTimersByTimeAsync(50);
    // Two periods (100 ms) at 100/s, not the 105 tokens the elapsed time would give.
    expect(await levelOf(bucket)).toBe(10);
    await stop(bucket);
  });

  it('a take waits for its tokens, then takes them all at once', async () => {
    vi.useFakeTimers({ now: 0 });
    // One token a tick.
    const bucket = new LocalBucket(options({ rate: 20, capacity: 10 }));
    let taken = false;
    void bucket.take(3).then(() => (taken = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(taken).toBe(false);
    await vi.advanceTimersByTimeAsync(60);
    expect(taken).toBe(true);
    expect(await levelOf(bucket)).toBe(0);
    await stop(bucket);
  });

  it('empty() drops the tokens and the fraction not yet counted (the server said 429)', async () => {
    vi.useFakeTimers({ now: 0 });
    // Half a token a tick.
    const bucket = new LocalBucket(options({ rate: 10, initial: 4 }));
    await vi.advanceTimersByTimeAsync(50);
    await settle();
    const emptied = bucket.empty();
    await settle();
    await emptied;
    expect(await levelOf(bucket)).toBe(0);
    // With the half token kept, this tick would make a whole one.
    await vi.advanceTimersByTimeAsync(50);
    expect(await levelOf(bucket)).toBe(0);
    await stop(bucket);
  });

  it('gives back tokens taken for requests that never left', async () => {
    vi.useFakeTimers({ now: 0 });
    const bucket = new LocalBucket(options({ rate: 1, initial: 0 }));
    bucket.giveBack(2);
    await settle();
    expect(await levelOf(bucket)).toBe(2);
    await stop(bucket);
  });

  it("follows the server's bucket by the share rule: others' tokens taken out, the refill becomes this run's share", async () => {
    vi.useFakeTimers({ now: 0 });
    const share = new RateShare({ rate: 100, burst: 200, nowMs: 0 });
    const bucket = new LocalBucket(options({ rate: 100, capacity: 200, initial: 100, tickMs: 50 }));
    // The request left at 300 ms expecting 199 tokens at the server; the server had 150: others took 49.
    const ticket = share.ticket(300);
    bucket.followServer(share, ticket, undefined);
    await settle();
    expect(await levelOf(bucket)).toBe(100);
    bucket.followServer(share, ticket, 150);
    await settle();
    expect(await levelOf(bucket)).toBe(51);
    expect(share.ownRate).toBeLessThan(60);
    // A second at the share's rate (~56/s), not the plan's 100/s.
    await vi.advanceTimersByTimeAsync(1000);
    const level = await levelOf(bucket);
    expect(level).toBeGreaterThanOrEqual(51 + Math.floor(share.ownRate) - 1);
    expect(level).toBeLessThanOrEqual(51 + Math.ceil(share.ownRate));
    await stop(bucket);
  });

  it('holds part of its start until told: alone, it gets it back with the refill missed over a second; not alone, it drops it', async () => {
    vi.useFakeTimers({ now: 0 });
    for (const [remaining, expected] of [
      [undefined, 'alone'],
      [100, 'shared'],
    ] as const) {
      const share = new RateShare({ rate: 100, burst: 200, nowMs: Date.now() });
      const bucket = new LocalBucket(
        options({ rate: share.ownRate, capacity: 180, initial: 180, held: 120, tickMs: 50 }),
      );
      expect(await levelOf(bucket)).toBe(60);
      const taken = bucket.take(60);
      await settle();
      await taken;
      // Half a second at a third of the plan: ~16 tokens.
      await vi.advanceTimersByTimeAsync(495);
      const before = await levelOf(bucket);
      expect(before).toBeLessThanOrEqual(18);
      const ticket = share.ticket(Date.now());
      const seen = { ...ticket, expected: 199 };
      bucket.followServer(share, remaining === undefined ? ticket : seen, remaining);
      await settle();
      const after = await levelOf(bucket);
      if (expected === 'alone') {
        // Alone: 120 held + ~33 missed (0.5 s x 2/3 of 100/s) come back over a second, not at once.
        expect(after).toBeLessThan(before + 20);
        await vi.advanceTimersByTimeAsync(500);
        const half = await levelOf(bucket);
        expect(half).toBeGreaterThanOrEqual(before + 50 + 70);
        expect(half).toBeLessThanOrEqual(before + 50 + 80 + 2);
      } else {
        // Shared: the others' 99 tokens come out, and nothing held comes back.
        expect(after).toBe(0);
        await vi.advanceTimersByTimeAsync(500);
        expect(await levelOf(bucket)).toBeLessThanOrEqual(Math.ceil(share.ownRate / 2) + 1);
      }
      await stop(bucket);
    }
  });

  it('stop() drops a waiting take and refills no more', async () => {
    vi.useFakeTimers({ now: 0 });
    const bucket = new LocalBucket(options({ rate: 10, capacity: 10 }));
    const take = bucket.take(5);
    const outcome = take.then(
      () => 'taken',
      () => 'dropped',
    );
    await stop(bucket);
    expect(await outcome).toBe('dropped');
    await vi.advanceTimersByTimeAsync(2000);
    expect(await levelOf(bucket)).toBe(0);
  });
});
