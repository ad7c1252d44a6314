import { EXIT } from '../errors.js';
import type { TopLevelSpec } from 'vega-lite';
import type { RowStatus } from '../api/outcome.js';
import type { RunSummary, StopReason } from '../engine/run-summary.js';
import type { StopPlace } from '../engine/stop-facts.js';
import type { AttentionList } from './attention.js';
import { latencyChart, NARROW, rateChart, statusChart, toSvg, WIDE, type ChartSize } from './charts.js';
import { html, joinHtml, raw, type Html, type HtmlValue } from './html-tag.js';
import { REPORT_CSS } from './style.js';
import type { Timeline, TimelinePoint } from './timeline.js';
import { attentionNote, noRateChart, savedNote, sharedStore } from './wording.js';
import {
  DEFAULT_LANG,
  formatDate,
  formatDuration,
  formatNumber,
  formatPercent,
  t,
  type Lang,
  type MessageKey,
} from '../i18n/index.js';

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
  /** The language the report is read in: the run's (a run from the page, the page's). */
  lang?: Lang;
  /** Where it is read: a page's run is resumed on the page, so its report shows no exit code and no command line. @default 'cli' */
  place?: StopPlace;
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

/** What a status means to the reader (the status keeps its name: it is the output's `fluence_status`). */
const statusMeaning = (lang: Lang, status: RowStatus): string => t(lang, `report.status.${status}` as MessageKey);

/** What an exit code means to the reader. */
export const exitMeaning = (lang: Lang, code: number): string =>
  [0, 1, 2, 3, 130].includes(code) ? t(lang, `report.exit.${code}` as MessageKey) : '';

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

/** The report's words and figures in one language: what every section below writes with. */
interface Words {
  lang: Lang;
  /** Where the report is read (`ReportInput.place`). */
  where: StopPlace;
  say: (key: MessageKey, params?: Parameters<typeof t>[2]) => string;
  /** A count or figure as the language writes it; `unknown` when absent. */
  n: (value: number | null | undefined) => string;
}

const wordsIn = (lang: Lang, where: StopPlace = 'cli'): Words => ({
  lang,
  where,
  say: (key, params) => t(lang, key, params),
  n: (value) => (value === null || value === undefined ? t(lang, 'report.unknown') : formatNumber(lang, value, 2)),
});

/** The whole page, in the run's language: one file, its charts inline SVG, no script, no request for anything. */
export async function renderReport(r: ReportInput): Promise<string> {
  const w = wordsIn(r.lang ?? DEFAULT_LANG, r.place);
  const s = r.summary;
  const statuses: StatusLine[] = STATUS_ORDER.map((status) => ({
    status,
    rows: s.byStatus[status],
    credits: r.creditsByStatus[status] ?? 0,
  }));
  const charts = await drawCharts(r, statuses, w.lang);
  const attentionCount = r.attention.rows.length + r.attention.left;
  const file = `${baseName(r.input)}${r.sheet ? ` (${r.sheet})` : ''}`;
  return html`<!doctype html>
<html lang="${w.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${w.say('report.title', { file })}</title>
<style>
${REPORT_CSS}
</style>
</head>
<body>
<main>
${intro(r, w)}
<div class="cards">
${headline(s, attentionCount, w)}
</div>

${rateSection(s, charts.rate, w)}

${statusSection(statuses, charts.status, w)}

${latencySection(r.timeline, charts, w)}

${sharedSection(s, w)}

${attentionSection(r, attentionCount, w)}

<footer>${footer(s, w)}</footer>
</main>
</body>
</html>
`.toString();
}

/** The last line: the exit code (the CLI's run) and the request counts, the quota's refusals among them. */
function footer(s: RunSummary, w: Words): string {
  const counts = { requests: s.requests, retries: s.retries, limited: s.rateLimited, uncertain: s.uncertain };
  const line =
    w.where === 'page'
      ? w.say('report.footer.page', counts)
      : w.say('report.footer', { exitCode: String(s.exitCode), meaning: exitMeaning(w.lang, s.exitCode), ...counts });
  return s.quotaRefused ? `${line}${w.say('report.footer.quota', { count: s.quotaRefused })}` : line;
}

/** The three charts, each drawn wide and narrow; a chart needs two points at least (one draws an empty frame on a zero-width axis). */
async function drawCharts(r: ReportInput, statuses: StatusLine[], lang: Lang): Promise<Charts> {
  const s = r.summary;
  // The run's points at each drawn size, made once: the rate and latency charts share them.
  const drawn = new Map([WIDE, NARROW].map((size) => [size, r.timeline.points(size.points)]));
  const pointsAt = (size: ChartSize): TimelinePoint[] => drawn.get(size)!;
  const answered = pointsAt(WIDE).filter((p) => p.medianMs !== undefined);
  const seconds = (size: ChartSize): number => r.timeline.pointSeconds(size.points);
  const [rate, status, latency] = await Promise.all([
    s.requests > 0 && pointsAt(WIDE).length > 1
      ? chart((size) => rateChart(pointsAt(size), s.planRate, seconds(size), size, lang))
      : undefined,
    s.rows > 0 ? chart((size) => statusChart(statuses, size, lang)) : undefined,
    answered.length > 1 ? chart((size) => latencyChart(pointsAt(size), seconds(size), size, lang)) : undefined,
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
function intro(r: ReportInput, w: Words): Html {
  const s = r.summary;
  const inputName = r.sheet ? w.say('report.sheet', { input: r.input, sheet: r.sheet }) : r.input;
  const stopped: HtmlValue = s.error
    ? html`<p class="sub"><strong>${w.say('report.stoppedOnError', { code: s.error.code })}</strong> ${s.error.message}</p>`
    : s.stopReason &&
      html`<p class="sub"><strong>${w.say('report.stopped', { reason: reasonWords(s.stopReason, w) })}</strong> ${stopWords(s)}</p>`;
  // The time the report was written, in UTC as before, the day in the language's order.
  const utc = new Date(r.writtenAt.getTime() + r.writtenAt.getTimezoneOffset() * 60_000);
  const at = `${formatDate(w.lang, utc, true)} UTC`;
  return html`<h1>${w.say('report.heading')}</h1>
<p class="sub">${inputName} &rarr; ${s.output} &middot; /${s.endpoint} &middot; ${w.say('report.written', { at })}</p>
${stopped}
${s.outputWritten === false && html`<p class="sub">${w.say('report.noOutput', { output: s.output })}</p>`}`;
}

/** Why the run stopped, with its figures: the summary says it in the run's language, the report's. */
const stopWords = (s: RunSummary): string => s.stopMessage ?? '';

/** Why the run stopped in a few words: the terminal's own (`cli.stopReason`, as `stopReasonWords` says them), or the page's. */
const reasonWords = (reason: StopReason, w: Words): string => w.say('cli.stopReason', { reason, where: w.where });

/**
 * Under the credits spent: what may have been charged without an answer, else the most this
 * attempt could spend; a run resumed from the page spent the first part before (the page shows
 * the run's credits, so the report counts them too, and not as saved).
 */
function spentNote(s: RunSummary, { say }: Words): string {
  const note = s.creditsMaybeUsed
    ? say('report.card.maybeUsed', { count: s.creditsMaybeUsed })
    : say('report.card.maxCost', { max: s.maxCost });
  if (!s.creditsEarlierAttempts) return note;
  const parts = { earlier: s.creditsEarlierAttempts, now: s.creditsUsed };
  return `${say('report.card.spentResumed', parts)}; ${note}`;
}

/** The cards at the top: rows, credits spent, saved and left, time, the plan's rate, the exit code, rows to look at. */
function headline(s: RunSummary, attentionCount: number, w: Words): Html {
  const { say, n } = w;
  const exitTone = s.exitCode === EXIT.done ? 'good' : s.exitCode === EXIT.rerun ? 'warn' : 'bad';
  const planNote = s.planRate
    ? say('report.card.planNote', { rate: s.planRate })
    : say(s.error ? 'report.card.noRequestSent' : 'report.card.noRequestNeeded');
  return joinHtml([
    card(say('report.card.rows'), n(s.rows), say('report.card.rowsOk', { ok: s.byStatus.ok })),
    card(say('report.card.spent'), n(s.creditsUsed + s.creditsEarlierAttempts), spentNote(s, w)),
    card(say('report.card.saved'), n(s.creditsSaved), savedNote(s, w.lang)),
    card(say('report.card.left'), n(s.creditsLeft), say('report.card.leftNote')),
    card(
      say('report.card.elapsed'),
      formatDuration(w.lang, s.elapsedSeconds),
      say('report.card.elapsedNote', { requests: s.requests, rate: n(s.requestsPerSecond) }),
    ),
    card(say('report.card.plan'), s.planRate ? formatPercent(w.lang, s.rateShare, 0) : '-', planNote),
    // A page's run has no exit code to act on: the page says what to do (Resume).
    w.where === 'page'
      ? html``
      : card(
          say('report.card.exit'),
          String(s.exitCode),
          `${exitMeaning(w.lang, s.exitCode)}${s.error ? ` [${s.error.code}]` : ''}`,
          exitTone,
        ),
    s.outputWritten === false
      ? card(say('report.card.attention'), '-', say('report.card.noOutput'), 'bad')
      : card(
          say('report.card.attention'),
          n(attentionCount),
          say(attentionCount ? 'report.card.listed' : 'report.card.none'),
          attentionCount ? 'warn' : 'good',
        ),
  ]);
}

/** Requests per second against the plan's rate, or why there is no chart. */
function rateSection(s: RunSummary, rate: Html | undefined, w: Words): Html {
  const { say } = w;
  const caption = [
    say('report.rate.caption'),
    s.rateLimited
      ? say('report.rate.limited', { count: s.rateLimited })
      : say(s.quotaRefused ? 'report.rate.noRateLimited' : 'report.rate.noLimited'),
    s.quotaRefused ? say('report.rate.quota', { count: s.quotaRefused }) : '',
    s.retries ? say('report.rate.retries', { count: s.retries }) : say('report.rate.noRetries'),
  ].join('');
  const figure = rate && html`<figure>${rate}<figcaption>${caption}</figcaption></figure>`;
  return html`<section>
<h2>${say('report.rate.heading')}</h2>
${figure || html`<p>${noRateChart(s, w.lang)}</p>`}
</section>`;
}

/** Rows and credits by status, with what each status means. */
function statusSection(statuses: StatusLine[], chart: Html | undefined, w: Words): Html {
  const { say, n } = w;
  const rows = statuses.map(
    (x) =>
      html`<tr><td><span class="dot ${x.status}"></span>${x.status}</td><td class="num">${n(x.rows)}</td><td class="num">${n(x.credits)}</td><td class="meaning">${statusMeaning(w.lang, x.status)}</td></tr>`,
  );
  return html`<section>
<h2>${say('report.status.heading')}</h2>
${chart && html`<figure>${chart}</figure>`}
<div class="scroll"><table>
<thead><tr><th>${say('report.status.status')}</th><th class="num">${say('report.status.rows')}</th><th class="num">${say('report.status.credits')}</th><th class="meaning">${say('report.status.meaning')}</th></tr></thead>
<tbody>
${joinHtml(rows)}
</tbody>
</table></div>
</section>`;
}

/** How long answers took: a chart, one sentence when they all came within a second, else nothing. */
function latencySection(timeline: Timeline, charts: Charts, w: Words): HtmlValue {
  const { say } = w;
  if (charts.latency) {
    const per = timeline.pointSeconds(WIDE.points);
    return html`<section>
<h2>${say('report.latency.heading')}</h2>
<figure>${charts.latency}<figcaption>${say('report.latency.caption', { per })}</figcaption></figure>
</section>`;
  }
  const [one] = charts.answered;
  if (charts.answered.length !== 1 || !one) return '';
  const [median, p95] = [Math.round(one.medianMs!), Math.round(one.p95Ms!)];
  return html`<section>
<h2>${say('report.latency.heading')}</h2>
<p>${say('report.latency.one', { median, p95 })}</p>
</section>`;
}

/** What came from, or waited on, other runs on the same cache or Redis; nothing when the run shared nothing. */
function sharedSection(s: RunSummary, w: Words): HtmlValue {
  const { say, n } = w;
  const shared =
    s.fromOtherRuns > 0 || s.fromRedis > 0 || s.waitedForOtherRunsSeconds > 0 || s.othersRate > 0 || s.redis;
  if (!shared) return '';
  return html`<section>
<h2>${say('report.shared.heading')}</h2>
<table><tbody>
<tr><td>${say('report.shared.fromOthers', { store: sharedStore(s, w.lang) })}</td><td class="num">${n(s.fromOtherRuns)}</td></tr>
<tr><td>${say('report.shared.fromRedis')}</td><td class="num">${n(s.fromRedis)}</td></tr>
<tr><td>${say('report.shared.waited')}</td><td class="num">${n(s.waitedForOtherRunsSeconds)}</td></tr>
<tr><td>${say('report.shared.othersRate')}</td><td class="num">${n(s.othersRate)}</td></tr>
${s.redis && html`<tr><td>Redis</td><td class="num">${s.redis.at} (${s.redis.prefix})</td></tr>`}
</tbody></table>
</section>`;
}

/** What to do next, and the command that does it. */
function rerunAdvice(r: ReportInput, w: Words): Html {
  const next = r.summary.nextStep;
  // A page's run is resumed with its Resume button: no command line to copy.
  const command = w.where === 'cli' && html`<p><code>${r.rerun}</code></p>`;
  return html`${next && html`<p><strong>${w.say('report.next')}</strong> ${next}</p>`}${command}`;
}

/** The rows a person should look at (invalid, failed, pending), or that there are none, or that no output was written. */
function attentionSection(r: ReportInput, count: number, w: Words): Html {
  const { say, n } = w;
  const s = r.summary;
  const stoppedAt = s.rows
    ? say('report.attention.noOutputAfter', { rows: s.rows })
    : say('report.attention.noOutputBefore');
  const noOutput = s.outputWritten === false && html`<p>${stoppedAt}</p>${rerunAdvice(r, w)}`;
  const none = s.outputWritten !== false && html`<p>${say('report.attention.none')}</p>`;
  return html`<section>
<h2>${say('report.attention.heading')}${count ? ` (${n(count)})` : ''}</h2>
${noOutput}
${count === 0 ? none : attentionList(r, w)}
</section>`;
}

/** The listed rows in input order, and how many more there are of each status. */
function attentionList(r: ReportInput, w: Words): Html {
  const { say } = w;
  const rows = r.attention.rows.map(
    (a) =>
      html`<tr><td class="num">${a.line}</td><td>${a.status}</td><td>${a.names}</td><td class="error">${a.error}</td></tr>`,
  );
  const more = attentionNote(r.attention.rows.length, r.attention.more, w.lang);
  return html`<p>${say(w.where === 'page' ? 'report.attention.intro.page' : 'report.attention.intro')}</p>
${r.summary.outputWritten !== false && rerunAdvice(r, w)}
<div class="scroll"><table>
<thead><tr><th class="num">${say('report.attention.line')}</th><th>${say('report.attention.status')}</th><th>${say('report.attention.contact')}</th><th>${say('report.attention.reason')}</th></tr></thead>
<tbody>
${joinHtml(rows)}
</tbody>
</table></div>
${more && html`<p class="sub">${more} ${say('report.attention.outputHas')}</p>`}`;
}
