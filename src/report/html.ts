import type { RowStatus } from '../api/outcome.js';
import type { AttentionList } from './attention.js';
import { latencyChart, NARROW, rateChart, statusChart, toSvg, WIDE, type ChartSize } from './charts.js';
import type { TopLevelSpec } from 'vega-lite';
import type { Timeline, TimelinePoint } from './timeline.js';
import { attentionNote, noRateChart, savedNote, sharedStore } from './wording.js';

/** What the report is made of: the run's summary (the same object as the JSON summary), and what it collected over time. */
export interface ReportInput {
  // biome-ignore lint/suspicious/noExplicitAny: the summary is the JSON that run-record.ts builds (and --summary writes): read as such.
  summary: Record<string, any>;
  input: string;
  /** The .xlsx sheet that was read, when known. */
  sheet?: string | null;
  timeline: Timeline;
  attention: AttentionList;
  creditsByStatus: Record<RowStatus, number>;
  /** The command that resumes this run, as the user typed it (without secrets). */
  rerun: string;
  writtenAt: Date;
}

const STATUS_ORDER: RowStatus[] = [
  'ok',
  'not_found',
  'ambiguous',
  'insufficient_data',
  'invalid_input',
  'failed',
  'pending',
];

const STATUS_MEANING: Record<RowStatus, string> = {
  ok: 'profile found',
  not_found: 'no profile found (charged: the search was made)',
  ambiguous: 'several people match (charged)',
  insufficient_data: 'too little public data (refunded)',
  invalid_input: 'the row would not do: fix it in the input',
  failed: 'no final answer after the retries: a rerun asks again',
  pending: 'not asked before the run stopped: a rerun asks',
};

export const EXIT_MEANING: Record<number, string> = {
  0: 'every row has a final answer',
  1: 'fatal: the run stopped on an error',
  2: 'some rows are failed or pending: run the same command again to resume',
  3: 'stopped for credits, the --max-credits budget or the monthly quota',
  130: 'quit at once by a second signal',
};

const escapeHtml = (text: unknown): string =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const n = (value: number | null | undefined): string =>
  value === null || value === undefined ? 'unknown' : value.toLocaleString('en-US');

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const card = (label: string, value: string, note = '', tone = ''): string =>
  `<div class="card${tone ? ` ${tone}` : ''}"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div>${note ? `<div class="note">${escapeHtml(note)}</div>` : ''}</div>`;

/** The whole page: one file, its charts inline SVG, no script, no request for anything. */
export async function renderReport(r: ReportInput): Promise<string> {
  const s = r.summary;
  // The run's points at each drawn size, made once: the rate and latency charts share them.
  const drawn = new Map([WIDE, NARROW].map((size) => [size, r.timeline.points(size.points)]));
  const pointsAt = (size: ChartSize): TimelinePoint[] => drawn.get(size)!;
  const statuses = STATUS_ORDER.map((status) => ({
    status,
    rows: s.byStatus[status] as number,
    credits: r.creditsByStatus[status] ?? 0,
  }));
  // A chart needs two points at least: one draws an empty frame on a zero-width axis.
  const answered = pointsAt(WIDE).filter((p) => p.medianMs !== undefined);
  const [rateSvg, statusSvg, latencySvg] = await Promise.all([
    s.requests > 0 && pointsAt(WIDE).length > 1
      ? chart((size) => rateChart(pointsAt(size), s.planRate, r.timeline.pointSeconds(size.points), size))
      : undefined,
    s.rows > 0 ? chart((size) => statusChart(statuses, size)) : undefined,
    answered.length > 1
      ? chart((size) => latencyChart(pointsAt(size), r.timeline.pointSeconds(size.points), size))
      : undefined,
  ]);
  const exitTone = s.exitCode === 0 ? 'good' : s.exitCode === 2 ? 'warn' : 'bad';
  const attentionCount = r.attention.rows.length + r.attention.left;
  const shared =
    s.fromOtherRuns > 0 || s.fromRedis > 0 || s.waitedForOtherRunsSeconds > 0 || s.othersRate > 0 || s.redis;

  const headline = [
    card('rows', n(s.rows), `${n(s.byStatus.ok)} ok`),
    card(
      'credits spent',
      n(s.creditsUsed),
      s.creditsMaybeUsed
        ? `+ up to ${n(s.creditsMaybeUsed)} possibly charged without an answer`
        : `at most ${n(s.maxCost)} was possible`,
    ),
    card('credits saved', n(s.creditsSaved), savedNote(s as Parameters<typeof savedNote>[0])),
    card('credits left', n(s.creditsLeft), 'on the account, after this run'),
    card('elapsed', duration(s.elapsedSeconds), `${n(s.requests)} requests, ${s.requestsPerSecond}/s`),
    card(
      'plan used',
      s.planRate ? `${Math.round(s.rateShare * 100)} %` : '-',
      s.planRate ? `of ${n(s.planRate)} requests/s` : s.error ? 'no request was sent' : 'no request was needed',
    ),
    card(
      'exit code',
      String(s.exitCode),
      `${EXIT_MEANING[s.exitCode] ?? ''}${s.error ? ` [${s.error.code}]` : ''}`,
      exitTone,
    ),
    s.outputWritten === false
      ? card('need attention', '-', 'no output was written', 'bad')
      : card(
          'need attention',
          n(attentionCount),
          attentionCount ? 'listed below' : 'none',
          attentionCount ? 'warn' : 'good',
        ),
  ].join('\n');

  const statusRows = statuses
    .map(
      (x) =>
        `<tr><td><span class="dot ${x.status}"></span>${x.status}</td><td class="num">${n(x.rows)}</td><td class="num">${n(x.credits)}</td><td class="meaning">${escapeHtml(STATUS_MEANING[x.status])}</td></tr>`,
    )
    .join('\n');

  const attentionRows = r.attention.rows
    .map(
      (a) =>
        `<tr><td class="num">${a.line}</td><td>${a.status}</td><td>${escapeHtml(a.names)}</td><td class="error">${escapeHtml(a.error)}</td></tr>`,
    )
    .join('\n');
  const more = attentionNote(r.attention.rows.length, r.attention.more);
  const rerunAdvice = s.nextStep ? `<p><strong>Next:</strong> ${escapeHtml(s.nextStep)}</p>` : '';
  const inputName = `${r.input}${r.sheet ? ` (sheet "${r.sheet}")` : ''}`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fluence-enrich report: ${escapeHtml(baseName(r.input))}${r.sheet ? ` (${escapeHtml(r.sheet)})` : ''}</title>
<style>
:root { color-scheme: light; --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --good: #16a34a; --warn: #d97706; --bad: #dc2626; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f9fafb; }
main { max-width: 980px; margin: 0 auto; padding: 20px 16px 40px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
.sub { color: var(--muted); margin: 0; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; margin-top: 16px; }
.card { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 13px; }
.card .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .note { color: var(--muted); font-size: 12px; }
.card.good { border-left: 4px solid var(--good); } .card.warn { border-left: 4px solid var(--warn); } .card.bad { border-left: 4px solid var(--bad); }
section { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin-top: 14px; }
section h2 { margin-top: 0; }
figure { margin: 0; } figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 13px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.error { overflow-wrap: break-word; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
.dot.ok { background: #16a34a; } .dot.not_found { background: #64748b; } .dot.ambiguous { background: #a855f7; } .dot.insufficient_data { background: #0ea5e9; }
.dot.invalid_input { background: #f59e0b; } .dot.failed { background: #dc2626; } .dot.pending { background: #9ca3af; }
code { background: #f3f4f6; padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
.narrow { display: none; }
@media (max-width: 640px) {
  main { padding: 14px 10px 30px; }
  .card .value { font-size: 20px; } .cards { grid-template-columns: repeat(2, 1fr); }
  .meaning { display: none; }
  .wide { display: none; } .narrow { display: block; }
  th, td { padding: 5px 4px; }
}
@media print { body { background: white; } section, .card { break-inside: avoid; border-color: #ccc; } .scroll { overflow: visible; } .wide { display: block; } .narrow { display: none; } }
</style>
</head>
<body>
<main>
<h1>Enrichment run report</h1>
<p class="sub">${escapeHtml(inputName)} &rarr; ${escapeHtml(s.output)} &middot; /${escapeHtml(s.endpoint)} &middot; written ${escapeHtml(r.writtenAt.toISOString().replace('T', ' ').slice(0, 19))} UTC</p>
${s.error ? `<p class="sub"><strong>Stopped on an error [${escapeHtml(s.error.code)}]:</strong> ${escapeHtml(s.error.message)}</p>` : s.stopReason ? `<p class="sub"><strong>Stopped (${escapeHtml(s.stopReason)}):</strong> ${escapeHtml(s.stopMessage)}</p>` : ''}
${s.outputWritten === false ? `<p class="sub">No output was written: a file at ${escapeHtml(s.output)}, if there is one, is from an earlier run.</p>` : ''}
<div class="cards">
${headline}
</div>

<section>
<h2>Did the run use the plan's rate?</h2>
${rateSvg ? `<figure>${rateSvg}<figcaption>Requests sent per second; the dashed line is the plan's rate (above it at the start: the plan's burst, a bucket that starts full).${s.rateLimited ? ` Red marks: seconds with 429 answers (${n(s.rateLimited)} in all).` : ' No 429 answer.'}${s.retries ? ` Amber marks: seconds with retries (${n(s.retries)} in all).` : ' No retry.'}</figcaption></figure>` : `<p>${escapeHtml(noRateChart(s as Parameters<typeof noRateChart>[0]))}</p>`}
</section>

<section>
<h2>What came back, and what it cost</h2>
${statusSvg ? `<figure>${statusSvg}</figure>` : ''}
<div class="scroll"><table>
<thead><tr><th>status</th><th class="num">rows</th><th class="num">credits</th><th class="meaning">meaning</th></tr></thead>
<tbody>
${statusRows}
</tbody>
</table></div>
</section>

${
  latencySvg
    ? `<section>
<h2>How long answers took</h2>
<figure>${latencySvg}<figcaption>Median and 95th percentile of the time from sending a request to its answer, per ${r.timeline.pointSeconds(WIDE.points) === 1 ? 'second' : `${r.timeline.pointSeconds(WIDE.points)} s`} (read from a histogram: within 9 %).</figcaption></figure>
</section>`
    : answered.length === 1
      ? `<section>
<h2>How long answers took</h2>
<p>Median ${n(Math.round(answered[0]!.medianMs!))} ms, 95th percentile ${n(Math.round(answered[0]!.p95Ms!))} ms (read from a histogram: within 9 %); the answers came within one second, too short to chart.</p>
</section>`
      : ''
}

${
  shared
    ? `<section>
<h2>Shared with other runs</h2>
<table><tbody>
<tr><td>rows answered by another run on the same ${sharedStore(s)} while this one ran (0 credits)</td><td class="num">${n(s.fromOtherRuns)}</td></tr>
<tr><td>rows answered from Redis (bought earlier, on any machine)</td><td class="num">${n(s.fromRedis)}</td></tr>
<tr><td>seconds some row waited for another run's answer</td><td class="num">${n(s.waitedForOtherRunsSeconds)}</td></tr>
<tr><td>requests per second others took from the key, at the end</td><td class="num">${n(s.othersRate)}</td></tr>
${s.redis ? `<tr><td>Redis</td><td class="num">${escapeHtml(s.redis.at)} (${escapeHtml(s.redis.prefix)})</td></tr>` : ''}
</tbody></table>
</section>`
    : ''
}

<section>
<h2>Rows that need attention${attentionCount ? ` (${n(attentionCount)})` : ''}</h2>
${s.outputWritten === false ? `<p>No output was written: the run stopped on an error${s.rows ? ` after ${n(s.rows)} rows` : ' before its first row'}.</p>${rerunAdvice}<p><code>${escapeHtml(r.rerun)}</code></p>` : ''}
${
  attentionCount === 0
    ? s.outputWritten === false
      ? ''
      : '<p>None: every row has a final answer.</p>'
    : `<p>Invalid rows need a fix in the input; failed and pending rows are asked again by the same command.</p>
${s.outputWritten === false ? '' : `${rerunAdvice}<p><code>${escapeHtml(r.rerun)}</code></p>`}
<div class="scroll"><table>
<thead><tr><th class="num">line</th><th>status</th><th>contact</th><th>reason</th></tr></thead>
<tbody>
${attentionRows}
</tbody>
</table></div>
${more ? `<p class="sub">${escapeHtml(more)} The output file has every row with its <code>fluence_status</code> and <code>fluence_error</code>.</p>` : ''}`
}
</section>

<footer>fluence-enrich &middot; exit code ${s.exitCode}: ${escapeHtml(EXIT_MEANING[s.exitCode] ?? '')} &middot; ${n(s.requests)} requests, ${n(s.retries)} retries, ${n(s.rateLimited)} rate-limited, ${n(s.uncertain)} uncertain</footer>
</main>
</body>
</html>
`;
}

/** A chart drawn wide and narrow; CSS shows the one that fits the screen. */
async function chart(spec: (size: ChartSize) => TopLevelSpec): Promise<string> {
  const [wide, narrow] = await Promise.all([toSvg(spec(WIDE)), toSvg(spec(NARROW))]);
  return `<div class="wide">${wide}</div><div class="narrow">${narrow}</div>`;
}

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
