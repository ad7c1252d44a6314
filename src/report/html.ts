import type { TopLevelSpec } from 'vega-lite';
import type { RowStatus } from '../api/outcome.js';
import type { RunSummary } from '../engine/run-summary.js';
import type { AttentionList } from './attention.js';
import { latencyChart, NARROW, rateChart, statusChart, toSvg, WIDE, type ChartSize } from './charts.js';
import { html, joinHtml, raw, type Html, type HtmlValue } from './html-tag.js';
import { REPORT_CSS } from './style.js';
import type { Timeline, TimelinePoint } from './timeline.js';
import { attentionNote, noRateChart, savedNote, sharedStore } from './wording.js';

/** What the report is made of: the run's summary (the same object as the JSON summary), and what it collected over time. */
export interface ReportInput {
  summary: RunSummary;
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

const n = (value: number | null | undefined): string =>
  value === null || value === undefined ? 'unknown' : value.toLocaleString('en-US');

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** One status's line: its rows and the credits spent on them. */
interface StatusLine {
  status: RowStatus;
  rows: number;
  credits: number;
}

/** The charts as drawn (trusted SVG), and the points with an answer time (one alone is said, not drawn). */
interface Charts {
  rate: Html | undefined;
  status: Html | undefined;
  latency: Html | undefined;
  answered: TimelinePoint[];
}

/** The whole page: one file, its charts inline SVG, no script, no request for anything. */
export async function renderReport(r: ReportInput): Promise<string> {
  const s = r.summary;
  const statuses: StatusLine[] = STATUS_ORDER.map((status) => ({
    status,
    rows: s.byStatus[status],
    credits: r.creditsByStatus[status] ?? 0,
  }));
  const charts = await drawCharts(r, statuses);
  const attentionCount = r.attention.rows.length + r.attention.left;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fluence-enrich report: ${baseName(r.input)}${r.sheet ? html` (${r.sheet})` : ''}</title>
<style>
${REPORT_CSS}
</style>
</head>
<body>
<main>
${intro(r)}
<div class="cards">
${headline(s, attentionCount)}
</div>

${rateSection(s, charts.rate)}

${statusSection(statuses, charts.status)}

${latencySection(r.timeline, charts)}

${sharedSection(s)}

${attentionSection(r, attentionCount)}

<footer>fluence-enrich &middot; exit code ${s.exitCode}: ${EXIT_MEANING[s.exitCode] ?? ''} &middot; ${n(s.requests)} requests, ${n(s.retries)} retries, ${n(s.rateLimited)} rate-limited, ${n(s.uncertain)} uncertain</footer>
</main>
</body>
</html>
`.toString();
}

/** The three charts, each drawn wide and narrow; a chart needs two points at least (one draws an empty frame on a zero-width axis). */
async function drawCharts(r: ReportInput, statuses: StatusLine[]): Promise<Charts> {
  const s = r.summary;
  // The run's points at each drawn size, made once: the rate and latency charts share them.
  const drawn = new Map([WIDE, NARROW].map((size) => [size, r.timeline.points(size.points)]));
  const pointsAt = (size: ChartSize): TimelinePoint[] => drawn.get(size)!;
  const answered = pointsAt(WIDE).filter((p) => p.medianMs !== undefined);
  const [rate, status, latency] = await Promise.all([
    s.requests > 0 && pointsAt(WIDE).length > 1
      ? chart((size) => rateChart(pointsAt(size), s.planRate, r.timeline.pointSeconds(size.points), size))
      : undefined,
    s.rows > 0 ? chart((size) => statusChart(statuses, size)) : undefined,
    answered.length > 1
      ? chart((size) => latencyChart(pointsAt(size), r.timeline.pointSeconds(size.points), size))
      : undefined,
  ]);
  return { rate, status, latency, answered };
}

/** A chart drawn wide and narrow; CSS shows the one that fits the screen. Vega draws the SVG from numbers: trusted. */
async function chart(spec: (size: ChartSize) => TopLevelSpec): Promise<Html> {
  const [wide, narrow] = await Promise.all([toSvg(spec(WIDE)), toSvg(spec(NARROW))]);
  return html`<div class="wide">${raw(wide)}</div><div class="narrow">${raw(narrow)}</div>`;
}

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

const card = (label: string, value: string, note = '', tone = ''): Html =>
  html`<div class="card${tone ? ` ${tone}` : ''}"><div class="label">${label}</div><div class="value">${value}</div>${note ? html`<div class="note">${note}</div>` : ''}</div>`;

/** The title, what was read and written, and how the run stopped. */
function intro(r: ReportInput): Html {
  const s = r.summary;
  const inputName = `${r.input}${r.sheet ? ` (sheet "${r.sheet}")` : ''}`;
  const stopped: HtmlValue = s.error
    ? html`<p class="sub"><strong>Stopped on an error [${s.error.code}]:</strong> ${s.error.message}</p>`
    : s.stopReason && html`<p class="sub"><strong>Stopped (${s.stopReason}):</strong> ${s.stopMessage}</p>`;
  return html`<h1>Enrichment run report</h1>
<p class="sub">${inputName} &rarr; ${s.output} &middot; /${s.endpoint} &middot; written ${r.writtenAt.toISOString().replace('T', ' ').slice(0, 19)} UTC</p>
${stopped}
${s.outputWritten === false && html`<p class="sub">No output was written: a file at ${s.output}, if there is one, is from an earlier run.</p>`}`;
}

/** The cards at the top: rows, credits spent, saved and left, time, the plan's rate, the exit code, rows to look at. */
function headline(s: RunSummary, attentionCount: number): Html {
  const exitTone = s.exitCode === 0 ? 'good' : s.exitCode === 2 ? 'warn' : 'bad';
  return joinHtml([
    card('rows', n(s.rows), `${n(s.byStatus.ok)} ok`),
    card(
      'credits spent',
      n(s.creditsUsed),
      s.creditsMaybeUsed
        ? `+ up to ${n(s.creditsMaybeUsed)} possibly charged without an answer`
        : `at most ${n(s.maxCost)} was possible`,
    ),
    card('credits saved', n(s.creditsSaved), savedNote(s)),
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
  ]);
}

/** Requests per second against the plan's rate, or why there is no chart. */
function rateSection(s: RunSummary, rate: Html | undefined): Html {
  const figure =
    rate &&
    html`<figure>${rate}<figcaption>Requests sent per second; the dashed line is the plan's rate (above it at the start: the plan's burst, a bucket that starts full).${s.rateLimited ? ` Red marks: seconds with 429 answers (${n(s.rateLimited)} in all).` : ' No 429 answer.'}${s.retries ? ` Amber marks: seconds with retries (${n(s.retries)} in all).` : ' No retry.'}</figcaption></figure>`;
  return html`<section>
<h2>Did the run use the plan's rate?</h2>
${figure || html`<p>${noRateChart(s)}</p>`}
</section>`;
}

/** Rows and credits by status, with what each status means. */
function statusSection(statuses: StatusLine[], chart: Html | undefined): Html {
  const rows = statuses.map(
    (x) =>
      html`<tr><td><span class="dot ${x.status}"></span>${x.status}</td><td class="num">${n(x.rows)}</td><td class="num">${n(x.credits)}</td><td class="meaning">${STATUS_MEANING[x.status]}</td></tr>`,
  );
  return html`<section>
<h2>What came back, and what it cost</h2>
${chart && html`<figure>${chart}</figure>`}
<div class="scroll"><table>
<thead><tr><th>status</th><th class="num">rows</th><th class="num">credits</th><th class="meaning">meaning</th></tr></thead>
<tbody>
${joinHtml(rows)}
</tbody>
</table></div>
</section>`;
}

/** How long answers took: a chart, one sentence when they all came within a second, else nothing. */
function latencySection(timeline: Timeline, charts: Charts): HtmlValue {
  if (charts.latency) {
    const per = timeline.pointSeconds(WIDE.points);
    return html`<section>
<h2>How long answers took</h2>
<figure>${charts.latency}<figcaption>Median and 95th percentile of the time from sending a request to its answer, per ${per === 1 ? 'second' : `${per} s`} (read from a histogram: within 9 %).</figcaption></figure>
</section>`;
  }
  const [one] = charts.answered;
  if (charts.answered.length !== 1 || !one) return '';
  return html`<section>
<h2>How long answers took</h2>
<p>Median ${n(Math.round(one.medianMs!))} ms, 95th percentile ${n(Math.round(one.p95Ms!))} ms (read from a histogram: within 9 %); the answers came within one second, too short to chart.</p>
</section>`;
}

/** What came from, or waited on, other runs on the same cache or Redis; nothing when the run shared nothing. */
function sharedSection(s: RunSummary): HtmlValue {
  const shared =
    s.fromOtherRuns > 0 || s.fromRedis > 0 || s.waitedForOtherRunsSeconds > 0 || s.othersRate > 0 || s.redis;
  if (!shared) return '';
  return html`<section>
<h2>Shared with other runs</h2>
<table><tbody>
<tr><td>rows answered by another run on the same ${sharedStore(s)} while this one ran (0 credits)</td><td class="num">${n(s.fromOtherRuns)}</td></tr>
<tr><td>rows answered from Redis (bought earlier, on any machine)</td><td class="num">${n(s.fromRedis)}</td></tr>
<tr><td>seconds some row waited for another run's answer</td><td class="num">${n(s.waitedForOtherRunsSeconds)}</td></tr>
<tr><td>requests per second others took from the key, at the end</td><td class="num">${n(s.othersRate)}</td></tr>
${s.redis && html`<tr><td>Redis</td><td class="num">${s.redis.at} (${s.redis.prefix})</td></tr>`}
</tbody></table>
</section>`;
}

/** What to do next, and the command that does it. */
function rerunAdvice(r: ReportInput): Html {
  const next = r.summary.nextStep;
  return html`${next && html`<p><strong>Next:</strong> ${next}</p>`}<p><code>${r.rerun}</code></p>`;
}

/** The rows a person should look at (invalid, failed, pending), or that there are none, or that no output was written. */
function attentionSection(r: ReportInput, count: number): Html {
  const s = r.summary;
  const noOutput =
    s.outputWritten === false &&
    html`<p>No output was written: the run stopped on an error${s.rows ? ` after ${n(s.rows)} rows` : ' before its first row'}.</p>${rerunAdvice(r)}`;
  const none = s.outputWritten !== false && html`<p>None: every row has a final answer.</p>`;
  return html`<section>
<h2>Rows that need attention${count ? ` (${n(count)})` : ''}</h2>
${noOutput}
${count === 0 ? none : attentionList(r)}
</section>`;
}

/** The listed rows in input order, and how many more there are of each status. */
function attentionList(r: ReportInput): Html {
  const rows = r.attention.rows.map(
    (a) =>
      html`<tr><td class="num">${a.line}</td><td>${a.status}</td><td>${a.names}</td><td class="error">${a.error}</td></tr>`,
  );
  const more = attentionNote(r.attention.rows.length, r.attention.more);
  return html`<p>Invalid rows need a fix in the input; failed and pending rows are asked again by the same command.</p>
${r.summary.outputWritten !== false && rerunAdvice(r)}
<div class="scroll"><table>
<thead><tr><th class="num">line</th><th>status</th><th>contact</th><th>reason</th></tr></thead>
<tbody>
${joinHtml(rows)}
</tbody>
</table></div>
${more && html`<p class="sub">${more} The output file has every row with its <code>fluence_status</code> and <code>fluence_error</code>.</p>`}`;
}
