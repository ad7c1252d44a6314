import { readFileSync, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowStatus } from '../src/api/outcome.js';
import type { RunSummary } from '../src/engine/run-summary.js';
import { AttentionList } from '../src/report/attention.js';
import { savedNote } from '../src/report/wording.js';
import { binOf, binUpperMs, MAX_BUCKETS, quantile, Timeline } from '../src/report/timeline.js';
import { renderReport } from '../src/report/html.js';
import { runCli } from './helpers/cli.js';
import { contactsFile, enrichArgs, largeFile, people, workdir } from './helpers/enrich.js';
import { HAVE_REDIS, RedisServer } from './helpers/redis.js';
import { ENTERPRISE, key, withSandbox } from './helpers/sandbox.js';

/** The value of a headline card, by its label. */
const cardValue = (html: string, label: string): string =>
  new RegExp(`<div class="label">${label}</div><div class="value">([^<]*)</div>`).exec(html)?.[1] ?? '(no card)';
const num = (text: string): number => Number(text.replace(/,/g, ''));

/** The status table: status -> [rows, credits]. */
function statusTable(html: string): Record<string, [number, number]> {
  const table: Record<string, [number, number]> = {};
  for (const m of html.matchAll(
    /<tr><td><span class="dot (\w+)"><\/span>\w+<\/td><td class="num">([\d,]+)<\/td><td class="num">([\d,]+)<\/td>/g,
  ))
    table[m[1]!] = [num(m[2]!), num(m[3]!)];
  return table;
}

/** A finished run's summary for the report: every row asked and charged, nothing else happened; `over` sets the rest. */
function summaryOf(rows: number, byStatus: Record<RowStatus, number>, over: Partial<RunSummary>): RunSummary {
  return {
    rows,
    byStatus,
    requests: rows,
    retries: 0,
    rateLimited: 0,
    quotaRefused: 0,
    uncertain: 0,
    uncertainFromEarlierRun: 0,
    fromCheckpoint: 0,
    fromOtherRuns: 0,
    fromRedis: 0,
    waitedForOtherRunsSeconds: 0,
    othersRate: 0,
    creditsSaved: 0,
    fromEarlierAttempts: 0,
    creditsEarlierAttempts: 0,
    duplicates: 0,
    creditsUsed: rows,
    creditsMaybeUsed: 0,
    maxCost: rows,
    creditsLeft: 5,
    elapsedSeconds: 0,
    requestsPerSecond: rows / (over.elapsedSeconds ?? 1),
    planRate: 500,
    rateShare: 0,
    rowsPerSecond: 0,
    peakRowsInMemory: 0,
    firstPass: 'read',
    resources: { cpuUserSeconds: 0, cpuSystemSeconds: 0, cpuMicrosPerRow: 0, maxRssMb: 0 },
    stopReason: null,
    stopMessage: null,
    stopFacts: null,
    error: null,
    exitCode: 0,
    output: 'out.csv',
    outputWritten: true,
    checkpoint: 'in.csv.checkpoint.sqlite',
    endpoint: 'crm_basico',
    sheet: null,
    uncertainAllRuns: null,
    emptyFields: [],
    redis: null,
    report: null,
    monthlyQuota: null,
    quotaResetsAt: null,
    nextStep: null,
    ...over,
  };
}

describe('--report: one HTML file of what the run did and cost (real CLI)', () => {
  it('holds the numbers of the summary JSON: rows, statuses and their credits, credits spent, saved and left, exit code; the charts are inline SVG; nothing is fetched; the key is absent', async () => {
    // 500s and 429-free faults give retries; invalid rows and a rerun give every kind of number.
    await withSandbox(
      { faults: { rates: { error500: 0.15 }, seed: 'report', latencyMs: [5, 40] } },
      async (sandbox) => {
        const dir = await workdir();
        const rows: Array<[string, string, string]> = [
          ...people(40, 'Acme'),
          ['Solo', '', 'Sem Sobrenome'],
          ['', 'Silva', 'Sem Nome'],
          ...people(10, 'Acme'),
        ];
        const input = join(dir, 'in.csv');
        await writeFile(
          input,
          `${['id,primeiro_nome,ultimo_nome,empresa', ...rows.map((r, i) => `${i + 1},${r.join(',')}`)].join('\n')}\n`,
        );
        const report = join(dir, 'report.html');
        const first = await runCli([...enrichArgs(sandbox, input, dir, ['--report', report, '--max-credits', '30'])], {
          env: { FLUENCE_API_KEY: ENTERPRISE },
        });
        expect(first.code, first.stderr).toBe(3);
        const again = await runCli([...enrichArgs(sandbox, input, dir, ['--report', report])], {
          env: { FLUENCE_API_KEY: ENTERPRISE },
        });
        expect(again.code, again.stderr).toBe(0);
        const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
        const html = readFileSync(report, 'utf8');
        expect(summary.report).toBe(report);

        expect(num(cardValue(html, 'rows'))).toBe(summary.rows);
        expect(num(cardValue(html, 'credits spent'))).toBe(summary.creditsUsed);
        expect(num(cardValue(html, 'credits saved'))).toBe(summary.creditsSaved);
        expect(num(cardValue(html, 'credits left'))).toBe(summary.creditsLeft);
        expect(cardValue(html, 'exit code')).toBe('0');
        expect(html).toContain('every row has a final answer');
        const table = statusTable(html);
        for (const [status, count] of Object.entries(summary.byStatus)) expect(table[status]?.[0], status).toBe(count);
        // Credits by status add up to the credits spent.
        expect(Object.values(table).reduce((sum, [, credits]) => sum + credits, 0)).toBe(summary.creditsUsed);
        expect(summary.creditsSaved).toBeGreaterThan(0);
        expect(num(cardValue(html, 'need attention'))).toBe(
          summary.byStatus.invalid_input + summary.byStatus.failed + summary.byStatus.pending,
        );
        // The two invalid rows, by line and name, with their reasons.
        expect(html).toMatch(
          /<td class="num">42<\/td><td>invalid_input<\/td><td>Solo \(Sem Sobrenome\)<\/td><td class="error">[^<]+<\/td>/,
        );
        expect(html).toMatch(/<td class="num">43<\/td><td>invalid_input<\/td><td>Silva \(Sem Nome\)<\/td>/);

        // Charts are SVG in the page; no script, no external resource.
        expect(html.match(/<svg/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
        expect(html).not.toMatch(/<script|<link |<img |src=|url\(/i);
        expect(html).not.toContain(ENTERPRISE);
      },
    );
  });

  it("the first run's report shows its retries, its stop and the rerun command; the key is never in it", async () => {
    await withSandbox(
      { faults: { rates: { error500: 0.3 }, seed: 'retries', latencyMs: [5, 20] } },
      async (sandbox) => {
        const dir = await workdir();
        const input = join(dir, 'in.csv');
        await writeFile(
          input,
          `${['primeiro_nome,ultimo_nome,empresa', ...people(60, 'Acme').map((p) => p.join(','))].join('\n')}\n`,
        );
        const report = join(dir, 'r.html');
        const run = await runCli([...enrichArgs(sandbox, input, dir, ['--report', report, '--max-credits', '20'])], {
          env: { FLUENCE_API_KEY: ENTERPRISE },
        });
        expect(run.code, run.stderr).toBe(3);
        const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
        const html = readFileSync(report, 'utf8');
        expect(summary.retries).toBeGreaterThan(0);
        // In the chart's caption, or in the sentence that stands for it when the run is too short to chart.
        expect(html).toContain(`retries (${summary.retries} in all)`);
        // The reason in the terminal's words, not its code.
        expect(html).toContain('<strong>Stopped (--max-credits limit):</strong>');
        expect(run.stderr).toContain(`stopped (--max-credits limit): ${summary.stopMessage}`);
        expect(cardValue(html, 'exit code')).toBe('3');
        expect(html).toContain(`fluence-enrich enrich ${input} -o ${join(dir, 'out.csv')}`);
        expect(num(cardValue(html, 'need attention'))).toBe(summary.byStatus.pending + summary.byStatus.failed);
        expect(html).not.toContain(ENTERPRISE);
      },
    );
  });

  it('a 200,000-row run: the attention list stops at 300 rows and counts the rest; the page stays small', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      // Every row invalid (no surname): nothing to pay, the whole run is the reader, writer and report.
      const input = await largeFile(
        join(dir, 'big.csv'),
        'primeiro_nome,ultimo_nome,empresa',
        200_000,
        (i) => `Pessoa${i},,Acme\n`,
      );
      const report = join(dir, 'big.html');
      const run = await runCli([...enrichArgs(sandbox, input, dir, ['--report', report])], {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(run.code, run.stderr).toBe(0);
      const html = readFileSync(report, 'utf8');
      expect(html.match(/<td>invalid_input<\/td>/g)).toHaveLength(300);
      expect(html).toContain('Listed: the first 300 in input order. Not listed: 199,700 more (199,700 invalid_input).');
      expect(num(cardValue(html, 'need attention'))).toBe(200_000);
      // Under 256 KB whatever the size of the run (the bench measures 1,000 to 1,000,000 rows: 84-181 KB).
      expect(statSync(report).size).toBeLessThan(256 * 1024);
    });
  });

  it('the timeline stays bounded: a week of seconds is at most 1,800 points, counts kept; latency quantiles within a bin (9 %)', async () => {
    const start = 0;
    const timeline = new Timeline(start);
    for (let s = 0; s < 7 * 24 * 3600; s += 7) {
      timeline.request(start + s * 1000);
      timeline.latency(250, start + s * 1000);
    }
    const points = timeline.points();
    expect(points.length).toBeLessThanOrEqual(MAX_BUCKETS);
    const requests = points.reduce((sum, p) => sum + p.requestsPerSecond * timeline.widthSeconds, 0);
    expect(Math.round(requests)).toBe(Math.ceil((7 * 24 * 3600) / 7));
    expect(points[0]!.medianMs).toBeGreaterThanOrEqual(250);
    expect(points[0]!.medianMs! / 250).toBeLessThan(1.1);
    const histogram = new Map<number, number>();
    for (let ms = 1; ms <= 1000; ms++) histogram.set(binOf(ms), (histogram.get(binOf(ms)) ?? 0) + 1);
    expect(quantile(histogram, 0.5)! / 500).toBeLessThan(1.1);
    expect(quantile(histogram, 0.95)! / 950).toBeLessThan(1.1);
    expect(binUpperMs(binOf(950))).toBeGreaterThanOrEqual(950);

    // A million-row run's page is the size of a thousand-row one's: rendered from buckets, not rows.
    const sizes: number[] = [];
    for (const rows of [1_000, 1_000_000]) {
      const t = new Timeline(0);
      const attention = new AttentionList();
      for (let i = 0; i < rows; i++) {
        const now = (i / rows) * 3_600_000;
        t.request(now);
        t.row(now);
        t.latency(100 + (i % 900), now);
        if (i % 10 === 0)
          attention.add({ line: i + 2, status: 'invalid_input', names: `Pessoa${i} (Acme)`, error: 'no surname' });
      }
      const byStatus = {
        ok: rows,
        not_found: 0,
        ambiguous: 0,
        insufficient_data: 0,
        invalid_input: 0,
        failed: 0,
        pending: 0,
      };
      const summary = summaryOf(rows, byStatus, { creditsLeft: 5, elapsedSeconds: 3600, rateShare: 0.5 });
      const html = await renderReport({
        summary,
        input: 'in.csv',
        timeline: t,
        attention,
        creditsByStatus: { ...byStatus },
        rerun: 'fluence-enrich enrich in.csv',
        writtenAt: new Date(0),
      });
      sizes.push(html.length);
    }
    expect(sizes[1]! / sizes[0]!).toBeLessThan(2);
  });
});

describe("--report: a stop's reason and the quota's refusals in the reader's words", () => {
  it("a quota stop in Portuguese: the heading says the terminal's reason, the reset as a date, the quota's 429s counted apart from the rate limit", async () => {
    const capped = key('Capped', { plan: 'crm_business', credits: 1000, monthly_quota: 10 });
    await withSandbox({ keys: [capped] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(60, 'Teste 404'));
      const report = join(dir, 'r.html');
      const run = await runCli(enrichArgs(sandbox, input, dir, ['--report', report, '--lang', 'pt-BR']), {
        env: { FLUENCE_API_KEY: capped.key },
      });
      expect(run.code, run.stderr).toBe(3);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      const html = readFileSync(report, 'utf8');
      const [year, month, day] = (summary.stopFacts.resetsAt as string).slice(0, 10).split('-');
      const words = `a cota mensal do plano acabou; ela renova em ${day}/${month}/${year}, 00:00 UTC`;
      expect(summary.stopMessage).toBe(words);
      expect(html).toContain(`<strong>Parou (cota mensal):</strong> ${words}`);
      expect(run.stderr).toContain(`parou (cota mensal): ${words}`);
      expect(html).not.toMatch(/Parou \(quota\)|T00:00:00/);
      expect(html).toContain(`até ${day}/${month}/${year}, 00:00 UTC`);
      // Every quota 429 the sandbox gave is counted, and not as the rate limit.
      expect(summary.quotaRefused).toBe(sandbox.ledger.quotaExceeded);
      expect(summary.quotaRefused).toBeGreaterThan(0);
      expect(summary.rateLimited).toBe(0);
      const n = summary.quotaRefused as number;
      const refused = n === 1 ? '1 consulta foi recusada' : `${n} consultas foram recusadas`;
      expect(html).toContain(`${refused} pela cota mensal do plano`);
      expect(html).toContain(`recusadas pela cota mensal`);
      expect(html).not.toContain('Nenhuma resposta 429.');
      expect(html).not.toContain('nenhuma resposta 429,');
    });
  });

  it("a page's run: its reason and words in the page's terms; no exit code, no command line", async () => {
    const byStatus = {
      ok: 7,
      not_found: 0,
      ambiguous: 0,
      insufficient_data: 0,
      invalid_input: 0,
      failed: 0,
      pending: 3,
    };
    const summary = summaryOf(10, byStatus, {
      requests: 7,
      exitCode: 3,
      stopReason: 'budget',
      stopFacts: { reason: 'budget', limit: 7, cost: 1, spent: 7, held: 0 },
      stopMessage: 'seu limite de custo (7 créditos) não comporta mais uma consulta de 1 crédito',
      nextStep: '3 linhas pendentes: seu limite de custo foi atingido. Aperte Retomar',
    });
    const attention = new AttentionList();
    attention.add({ line: 9, status: 'pending', names: 'Ana Souza (Acme)', error: 'não enviada' });
    const input = {
      summary,
      input: 'contatos.csv',
      timeline: new Timeline(0),
      attention,
      creditsByStatus: { ...byStatus },
      rerun: 'fluence-enrich serve --dir /tmp/x (run abc)',
      writtenAt: new Date(0),
      lang: 'pt-BR' as const,
    };
    const page = await renderReport({ ...input, place: 'page' });
    expect(page).toContain('<strong>Parou (seu limite de custo):</strong>');
    expect(page).not.toContain('fluence-enrich serve --dir');
    expect(page).not.toContain('código de saída');
    expect(page).not.toContain('--max-credits');
    const cli = await renderReport(input);
    expect(cli).toContain('<strong>Parou (limite de --max-credits):</strong>');
    expect(cli).toContain('fluence-enrich serve --dir');
    expect(cli).toContain('código de saída');
  });
});

describe('--report: what the page says, case by case (real CLI)', () => {
  it('rows needing attention are listed in input order, the first 300, however their answers arrive; the rest are counted', async () => {
    // Ten slow failures first (500 after 300 ms, no retry), then 400 invalid rows that are ready at once.
    await withSandbox({ faults: { latencyMs: 300 } }, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'in.csv');
      const lines = [
        ...people(10, 'Teste 500').map((p) => p.join(',')),
        ...Array.from({ length: 400 }, (_, i) => `Sem${i},,Acme`),
      ];
      await writeFile(input, `${['primeiro_nome,ultimo_nome,empresa', ...lines].join('\n')}\n`);
      const report = join(dir, 'r.html');
      const run = await runCli(enrichArgs(sandbox, input, dir, ['--report', report, '--retries', '0']), {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(run.code, run.stderr).toBe(2);
      const html = readFileSync(report, 'utf8');
      const listed = [...html.matchAll(/<tr><td class="num">(\d+)<\/td><td>(failed|invalid_input)<\/td>/g)].map((m) =>
        Number(m[1]),
      );
      expect(listed).toEqual(Array.from({ length: 300 }, (_, i) => i + 2));
      expect(html).toContain('Listed: the first 300 in input order. Not listed: 110 more (110 invalid_input).');
      expect(sandbox.ledger.requests['/crm_basico']).toEqual({ 500: 10 });
    });
  });

  it('a run under a second draws no empty chart on a zero-width axis: a sentence says what it did', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(3, 'Teste 404'));
      const report = join(dir, 'r.html');
      const run = await runCli(enrichArgs(sandbox, input, dir, ['--report', report]), {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(run.code, run.stderr).toBe(0);
      const html = readFileSync(report, 'utf8');
      // A one-point chart's axis is labelled 0.000000; a loaded machine may stretch the run past a second, and then a chart is right.
      expect(html).not.toContain('0.000000');
      if (!html.includes('Red marks') && !html.includes('No 429 answer.')) {
        expect(html).toMatch(
          /3 requests in \d\.\d s against the plan&#39;s 500\/s, with no 429 and no retry: too short a run to chart its rate second by second\./,
        );
      }
    });
  });

  it('the rule behind it: under two seconds of activity, a sentence for the rate and the answer times; longer, the charts', async () => {
    const page = async (seconds: number[]) => {
      const timeline = new Timeline(0);
      for (const at of seconds) {
        timeline.request(at * 1000);
        timeline.latency(120, at * 1000 + 100);
        timeline.row(at * 1000 + 100);
      }
      const byStatus = {
        ok: 0,
        not_found: seconds.length,
        ambiguous: 0,
        insufficient_data: 0,
        invalid_input: 0,
        failed: 0,
        pending: 0,
      };
      const summary = summaryOf(seconds.length, byStatus, {
        elapsedSeconds: Math.max(...seconds) + 0.2,
        requestsPerSecond: 1,
        rateShare: 0,
      });
      return renderReport({
        summary,
        input: 'in.csv',
        timeline,
        attention: new AttentionList(),
        creditsByStatus: { ...byStatus },
        rerun: 'fluence-enrich enrich in.csv',
        writtenAt: new Date(0),
      });
    };
    const short = await page([0.1, 0.2, 0.5]);
    expect(short).toContain(
      '3 requests in 0.7 s against the plan&#39;s 500/s, with no 429 and no retry: too short a run to chart its rate second by second.',
    );
    expect(short).toMatch(/Median 12\d ms, 95th percentile 12\d ms .*too short to chart/);
    expect(short).not.toContain('0.000000');
    // Status chart only (drawn wide and narrow).
    expect(short.match(/<svg/g)).toHaveLength(2);
    const long = await page([0.1, 1.2, 2.5]);
    expect(long).not.toContain('too short');
    expect(long.match(/<svg/g)).toHaveLength(6);
  });

  it('shows the sheet that was read from an .xlsx input', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const book = new ExcelJS.Workbook();
      book.addWorksheet('Resumo').addRow(['Exportado em', '2026-11-01']);
      const sheet = book.addWorksheet('Contatos de Março');
      sheet.addRow(['Nome', 'Sobrenome', 'Empresa']);
      sheet.addRow(['Ana', 'Souza', 'Teste 404']);
      const input = join(dir, 'contatos.xlsx');
      await book.xlsx.writeFile(input);
      const report = join(dir, 'r.html');
      const run = await runCli(enrichArgs(sandbox, input, dir, ['--report', report, '--sheet', 'Contatos de Março']), {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(readFileSync(report, 'utf8')).toContain(`${input} (sheet &quot;Contatos de Março&quot;)`);
      expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).sheet).toBe('Contatos de Março');
    });
  });

  it('credits saved says where the saving came from: the checkpoint, other runs on the same cache or Redis, or Redis', () => {
    const none = { fromCheckpoint: 0, fromOtherRuns: 0, fromRedis: 0, duplicates: 0 };
    expect(savedNote(none)).toBe('no stored answer reused');
    expect(savedNote({ ...none, fromCheckpoint: 12, duplicates: 3 })).toBe(
      '12 rows from the checkpoint; 3 repeats in the file asked once (not counted)',
    );
    expect(savedNote({ ...none, fromOtherRuns: 5 })).toBe('5 from other runs on the same cache');
    expect(savedNote({ ...none, fromOtherRuns: 5, fromRedis: 7, redis: { at: 'redis://h' } })).toBe(
      '5 from other runs on the same Redis, 7 from Redis, bought before this run',
    );
  });
});

describe.skipIf(!HAVE_REDIS)('--report of a run through Redis (real CLI, real Redis)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('a run answered from Redis says so in credits saved, and its shared table speaks of the same Redis, not a cache', async () => {
    await withSandbox({}, async (sandbox) => {
      const input = await contactsFile(await workdir(), people(6, 'Teste 404'));
      const first = await workdir();
      expect(
        (
          await runCli(enrichArgs(sandbox, input, first, ['--redis', redis.url]), {
            env: { FLUENCE_API_KEY: ENTERPRISE },
          })
        ).code,
      ).toBe(0);
      // Another machine: no checkpoint of its own.
      const dir = await workdir();
      const report = join(dir, 'r.html');
      const run = await runCli(enrichArgs(sandbox, input, dir, ['--redis', redis.url, '--report', report]), {
        env: { FLUENCE_API_KEY: ENTERPRISE },
      });
      expect(run.code, run.stderr).toBe(0);
      const html = readFileSync(report, 'utf8');
      expect(num(cardValue(html, 'credits saved'))).toBe(6);
      expect(html).toContain('<div class="note">6 from Redis, bought before this run</div>');
      expect(html).toContain('rows answered by another run on the same Redis while this one ran');
      expect(html).not.toContain('on the same cache');
      expect(sandbox.ledger.totalCharged).toBe(6);
    });
  });
});
