import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { watchProgress } from '../src/engine/progress.js';
import { RunStats } from '../src/engine/stats.js';
import { enrichFile, type ProgressSnapshot } from '../src/index.js';
import { contactsFile, people, workdir } from './helpers/enrich.js';
import { ENTERPRISE, withSandbox } from './helpers/sandbox.js';

describe("the library's progress hook (what the page's events come from)", () => {
  it("onProgress: the run's own counters when the rows start and when they end", async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [...people(30, 'Acme Hook'), ['', 'Sem', 'Nome']]);
      const seen: ProgressSnapshot[] = [];
      const result = await enrichFile(
        { input, output: join(dir, 'out.csv'), baseUrl: sandbox.url, apiKey: ENTERPRISE },
        { onProgress: (snapshot) => seen.push(snapshot) },
      );
      expect(result.exitCode).toBe(0);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen[0]).toMatchObject({ rows: 0, total: 31, credits: 0 });
      const last = seen.at(-1)!;
      const byStatus = result.summary.byStatus as Record<string, number>;
      expect(last).toMatchObject({
        rows: 31,
        total: 31,
        requests: result.summary.requests,
        ok: byStatus.ok,
        invalid: 1,
        pending: 0,
        credits: result.summary.creditsUsed,
        planRate: result.summary.planRate,
      });
      expect(last.notFound).toBe(byStatus.not_found! + byStatus.ambiguous! + byStatus.insufficient_data!);
    });
  });
});

describe('rateNow: the rate lately, for a live chart', () => {
  it('over the last 2 s, not the average since the start', () => {
    vi.useFakeTimers();
    try {
      const stats = new RunStats();
      const seen: ProgressSnapshot[] = [];
      const stop = watchProgress(stats, 100, (snapshot) => seen.push(snapshot));
      // 20 requests a second for 3 s, then none for 3 s.
      for (let ms = 0; ms < 3000; ms += 50) {
        stats.sent();
        vi.advanceTimersByTime(50);
      }
      expect(seen.at(-1)!.rateNow).toBeCloseTo(20, 0);
      vi.advanceTimersByTime(3000);
      expect(seen.at(-1)!.rateNow).toBe(0);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
