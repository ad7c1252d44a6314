import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
