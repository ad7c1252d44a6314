import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../src/rate/limiter.js';

/** Bottleneck's stop() waits on its own timers: let the fake clock run meanwhile. */
async function stopWithFakeTimers(limiter: RateLimiter): Promise<void> {
  const stopped = limiter.stop();
  await vi.advanceTimersByTimeAsync(1000);
  await stopped;
}

describe('rate limiter (fake clock)', () => {
  afterEach(() => vi.useRealTimers());

  it('never releases more than burst + rate x t in any window t, and keeps up the rate', async () => {
    vi.useFakeTimers({ now: 0 });
    const rate = 40;
    const burst = 10;
    const limiter = new RateLimiter({ rate, burst, maxConcurrent: 1000 });
    const released: number[] = [];
    const jobs = Array.from({ length: 130 }, () => limiter.schedule(async () => void released.push(Date.now())));
    for (let t = 0; t < 4000 && released.length < 130; t += 5) await vi.advanceTimersByTimeAsync(5);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(jobs);
    for (let i = 0; i < released.length; i++) {
      for (let j = i; j < released.length; j++) {
        const window = released[j]! - released[i]!;
        expect(j - i + 1).toBeLessThanOrEqual(burst + (rate * window) / 1000 + 1);
      }
    }
    // 130 jobs = 10 at once + 120 at 40/s: done in about 3 s.
    expect(released.at(-1)!).toBeLessThanOrEqual(3100);
    expect(released.at(-1)!).toBeGreaterThanOrEqual(2900);
    await stopWithFakeTimers(limiter);
  });

  it('starts from the tokens the server says are left', async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = new RateLimiter({ rate: 10, burst: 100, initial: 3, maxConcurrent: 1000 });
    const released: number[] = [];
    for (let i = 0; i < 5; i++) void limiter.schedule(async () => void released.push(Date.now()));
    await vi.advanceTimersByTimeAsync(20);
    expect(released).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(200);
    expect(released).toHaveLength(5);
    await stopWithFakeTimers(limiter);
  });

  it('holds no more than maxConcurrent jobs running', async () => {
    const limiter = new RateLimiter({ rate: 1000, burst: 1000, maxConcurrent: 3 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.schedule(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 40));
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(limiter.running).toBe(0);
    await limiter.stop();
  });
});
