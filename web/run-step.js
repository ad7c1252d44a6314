// @ts-check
// Steps 4 and 5: start the run, watch the server's live events (the run's own statistics),
// stop it gracefully, resume it, then download the result and open its report. The run on
// screen is `PageState.run`: the events only change it, and `renderRun` draws both steps from it.
import { getRun, resumeRun, runEvents, runUrl, stopRun } from './api.js';
import { rateChart } from './chart.js';
import { parseLimit, showLimitError } from './cost-step.js';
import { $, figures, show } from './dom.js';
import { credits, duration, num, t, when } from './i18n.js';

/** @typedef {import('./app.js').PageState} PageState */
/** @typedef {import('./api.js').ProgressEvent} ProgressEvent */
/** @typedef {import('./api.js').DoneEvent} DoneEvent */
/** @typedef {import('./api.js').RunDetail} RunDetail */
/** @typedef {import('./api.js').ResumeRequest} ResumeRequest */

/**
 * The run on screen, as its server last told it.
 * @typedef {object} WatchedRun
 * @property {string} id
 * @property {import('./api.js').RunView['status'] | 'disconnected'} status what the panel says:
 *   the server's word, `stopping` once Stop is pressed, `disconnected` while its events are lost
 * @property {ProgressEvent} [progress] its last figures
 * @property {boolean} [final] `progress` is the run's record after its end: no point on the chart
 * @property {DoneEvent} [done] how it ended, as its events said
 * @property {RunDetail | null} [record] the run's record read after its end (null: unreadable), undefined until read
 * @property {boolean} [hidden] a new file put steps 4 and 5 away; the run is still followed (the list, the price)
 * @property {() => void} close ends its events; also what tells this watch from a later one of the same run
 * @property {ReturnType<typeof rateChart>} chart
 */

/**
 * What the panel reads and changes of the page: its state, and the runs list to read again.
 * @typedef {{ state: () => PageState, update: (change: Partial<PageState>) => void, runsChanged: () => unknown }} Page
 */

/** Tells the rest of the page (the runs list, the header, step 3) about the run on screen. */
const tell = (/** @type {string} */ type, /** @type {unknown} */ detail) =>
  document.dispatchEvent(new CustomEvent(type, { detail }));

/** Writes only a changed text: the run's state and result are live regions, read aloud when written. */
function setText(/** @type {HTMLElement} */ node, /** @type {string} */ text) {
  if (node.textContent !== text) node.textContent = text;
}

/** A `done` for a run this server is not running: another `serve` on the same work folder is. */
const isElsewhere = (/** @type {DoneEvent | undefined} */ done) =>
  done?.status === 'running' || done?.status === 'stopping';

/** Ended here, and its record read (or found unreadable): the result and its files can be shown. */
const isSettled = (/** @type {WatchedRun} */ run) =>
  run.done !== undefined && !isElsewhere(run.done) && run.record !== undefined;

function counters(/** @type {ProgressEvent} */ p) {
  figures($('counters'), [
    [t('ok'), num(p.ok)],
    [t('notFound'), num(p.notFound)],
    [t('invalidRows'), num(p.invalid)],
    [t('failed'), num(p.failed)],
    // The server counts every attempt: after a resume, what the stopped part spent too.
    [t('credits'), num(p.credits), undefined, 'strong'],
    [t('rateNow'), t('rateValue', { now: num(Math.round((p.rateNow ?? 0) * 10) / 10), plan: num(p.planRate) })],
    [t('timeLeft'), duration(p.etaSeconds)],
  ]);
}

/**
 * The bar, the rows and the counters. Disconnected, the run is not known to go on (its server
 * may be gone): no time left and no rate, the last figures stay.
 */
function renderProgress(/** @type {WatchedRun} */ run) {
  const p = run.progress;
  const bar = $('run-progress', HTMLProgressElement);
  show($('rate-limited'), (p?.rateLimited ?? 0) > 0);
  if (!p) {
    bar.max = 1;
    bar.value = 0;
    setText($('run-rows'), '');
    return $('counters').replaceChildren();
  }
  const total = p.total || 0;
  // A stopped run writes its unasked rows as `pending`: they are written, not done.
  const done = Math.max(0, (p.rows ?? 0) - (p.pending ?? 0));
  bar.max = Math.max(1, total);
  bar.value = Math.min(done, Math.max(1, total));
  setText($('run-rows'), t('rowsDone', { rows: done, total }));
  counters(run.status === 'disconnected' ? { ...p, etaSeconds: undefined, rateNow: 0 } : p);
  if (p.rateLimited > 0) setText($('rate-limited'), t('rateLimited', { n: p.rateLimited }));
  // The chart takes a point once (by its time); the record read after the end is no live point.
  if (!run.final) run.chart.add(p);
}

/**
 * Why a run stopped, in the person's words: a cap they set, an empty account or a used-up monthly
 * quota each need a different next step (a plain "Stopped" hid that the cap was reached, and that
 * Resume spends up to the cap again).
 */
function stoppedText(
  /** @type {string | undefined} */ reason,
  /** @type {number} */ pending,
  /** @type {number | undefined} */ cap,
) {
  if (reason === 'budget' && cap !== undefined) return t('runStoppedBudget', { pending, cap: credits(cap) });
  if (reason === 'credits') return t('runStoppedCredits', { pending });
  if (reason === 'quota') return t('runStoppedQuota', { pending });
  return t('runStopped', { pending });
}

/** The credits an ended run spent: its record counts the attempts before a resume too, the summary this one only. */
const spentBy = (/** @type {DoneEvent} */ done, /** @type {RunDetail | null | undefined} */ record) =>
  record?.credits ?? done.summary?.creditsUsed ?? 0;

/** The sentence under an ended run: stopped (and why), failed, or finished with what it spent. */
function resultText(/** @type {DoneEvent} */ done, /** @type {RunDetail | null | undefined} */ record) {
  const counts = done.summary?.byStatus;
  const spent = spentBy(done, record);
  if (done.status === 'stopped' && done.summary?.stopReason === 'quota' && done.summary.quotaResetsAt)
    return `${stoppedText('quota', counts?.pending ?? 0, undefined)} ${t('runQuotaRenews', { at: when(done.summary.quotaResetsAt) })}`;
  if (done.status === 'stopped')
    return stoppedText(done.summary?.stopReason ?? undefined, counts?.pending ?? 0, record?.options?.maxCredits);
  if (done.status === 'failed') return t('runFailed', { error: done.error?.message ?? '' });
  return t('runFinished', {
    ok: record?.progress?.ok ?? counts?.ok ?? 0,
    credits: record?.creditsAtLeast ? atLeast(spent, record.unfinishedRequests) : credits(spent),
  });
}

/** The result line: nothing while the run goes on, then how it ended (`data-credits`: the figure behind it). */
function renderResult(/** @type {WatchedRun} */ run) {
  const result = $('run-result');
  if (run.done && isElsewhere(run.done)) {
    setText(result, t('runElsewhere'));
    result.dataset.status = 'elsewhere';
  } else if (run.done && isSettled(run)) {
    setText(result, resultText(run.done, run.record));
    result.dataset.status = run.done.status;
    result.dataset.credits = String(spentBy(run.done, run.record));
  } else {
    setText(result, '');
    delete result.dataset.status;
  }
}

/** Step 5: the result file and its report, once the run ended here. */
function renderDownload(/** @type {WatchedRun | undefined} */ run) {
  const shown = run !== undefined && !run.hidden && isSettled(run);
  show($('step-download'), shown);
  if (!run || !shown) return;
  $('download', HTMLAnchorElement).href = runUrl(run.id, 'output');
  $('report', HTMLAnchorElement).href = runUrl(run.id, 'report');
  show($('report'));
}

/** Steps 4 and 5 as `state.run` says: hidden without a run, else its state, figures, result and buttons. */
export function renderRun(/** @type {PageState} */ { run }) {
  show($('step-run'), run !== undefined && !run.hidden);
  renderDownload(run);
  if (!run) return;
  const status = run.done?.status ?? run.status;
  setText($('run-state'), t(/** @type {import('./i18n.js').PageKey} */ (`state.${status}`)));
  $('run-state').dataset.status = status;
  // Stop while the run goes on; it cannot be pressed twice, nor reach a server that does not answer.
  show($('stop'), !run.done);
  show($('stop-help'), !run.done);
  $('stop', HTMLButtonElement).disabled = run.status !== 'running';
  show($('resume'), run.done?.status === 'stopped');
  // Whenever Resume is offered (stopped by the limit, by Stop, by the credits): the limit that
  // applies, what is left of it, and the field to change it.
  const resumable = isSettled(run) && run.done?.status === 'stopped';
  show($('resume-budget-field'), resumable);
  if (resumable) setText($('resume-limit'), limitText(run.record));
  renderProgress(run);
  renderResult(run);
}

/** The run's cost limit as Resume would apply it: the limit set, and what is left of it. */
function limitText(/** @type {RunDetail | null | undefined} */ record) {
  const cap = record?.options?.maxCredits;
  if (cap === undefined || record?.capLeft === undefined) return t('resumeNoLimit');
  return t('resumeLimit', { cap: credits(cap), left: credits(record.capLeft), leftCount: record.capLeft });
}

/** Credits a cut-off attempt makes a floor: how many requests it left unanswered (each may have cost one more charge). */
export function atLeast(/** @type {number} */ spent, /** @type {number | undefined} */ unfinished) {
  const floor = t('atLeast', { n: credits(spent) });
  return unfinished ? `${floor} ${t('unfinishedRequests', { n: unfinished })}` : floor;
}

/** The run on screen if it is still this watch (`close` tells a watch from a later one of the same run). */
const watched = (/** @type {Page} */ page, /** @type {() => void} */ close) => {
  const { run } = page.state();
  return run?.close === close ? run : undefined;
};

/** A progress: the run goes on (again, when its server answers after a loss; a pressed Stop stays said). */
function progressed(/** @type {Page} */ page, /** @type {() => void} */ close, /** @type {ProgressEvent} */ p) {
  const run = watched(page, close);
  if (!run) return;
  const status = run.status === 'disconnected' ? 'running' : run.status;
  page.update({ run: { ...run, status, progress: p, final: false } });
  tell('run-progress', { id: run.id, progress: p });
}

/** The events broke without a `done`: the app says the server is not running; the browser keeps trying. */
function lost(/** @type {Page} */ page, /** @type {() => void} */ close) {
  const run = watched(page, close);
  if (!run) return;
  page.update({ run: { ...run, status: 'disconnected' } });
  document.dispatchEvent(new CustomEvent('server-lost'));
}

/**
 * The button that had the focus (Start, Stop) is gone or disabled once the run ends, which drops
 * the focus to the page's start: a keyboard user is brought to what happened instead.
 */
function keepFocus() {
  const focus = /** @type {HTMLButtonElement | null} */ (document.activeElement);
  const gone = !focus || focus === document.body || focus.disabled || focus.closest('[hidden]');
  if (gone || focus.id === 'step-run-title') $('run-result').focus();
}

/** The run's end; then its own record (its totals over every attempt, no time left) and the list read again. */
async function ended(/** @type {Page} */ page, /** @type {() => void} */ close, /** @type {DoneEvent} */ done) {
  const run = watched(page, close);
  if (!run) return;
  page.update({ run: { ...run, done } });
  if (isElsewhere(done)) return;
  const record = await getRun(run.id).catch(() => null);
  const now = watched(page, close);
  if (now) {
    const last = record?.progress ? { progress: record.progress, final: true } : {};
    page.update({ run: { ...now, record, ...last } });
    // The field is the person's to type in: filled once, here, never at a redraw, with what is
    // left of the limit (left as it is, Resume keeps the limit; emptied, the rest has none).
    if (done.status === 'stopped') {
      const field = $('resume-budget', HTMLInputElement);
      field.value = record?.capLeft === undefined ? '' : num(record.capLeft);
      showLimitError(field, $('resume-budget-error'));
    }
    keepFocus();
  }
  if (record?.progress) tell('run-progress', { id: run.id, progress: record.progress });
  tell('run-ended', { id: run.id, status: done.status });
  page.runsChanged();
}

/** Follows run `id` on screen until its `done` event. */
export async function watch(/** @type {string} */ id, /** @type {Page} */ page) {
  page.state().run?.close();
  const chart = rateChart($('rate-chart'));
  /** @type {() => void} */
  const close = runEvents(id, {
    onProgress: (p) => progressed(page, close, p),
    onDone: (done) => void ended(page, close, done),
    onLost: () => lost(page, close),
  });
  page.update({ run: { id, status: 'running', close, chart } });
  $('step-run').scrollIntoView({ behavior: 'smooth', block: 'start' });
  // Start (in step 3, now hidden) or Resume (now hidden) had the focus: the panel's heading takes it.
  const focus = document.activeElement;
  if (!focus || focus === document.body || focus.closest('[hidden]'))
    $('step-run-title').focus({ preventScroll: true });
}

/** Stop and Resume; a failed request (the server gone) goes to `problem`, as every request's does. */
export function wireRun(/** @type {Page} */ page, /** @type {(error: unknown) => void} */ problem) {
  $('stop').addEventListener('click', () => {
    const { run } = page.state();
    if (!run) return;
    page.update({ run: { ...run, status: 'stopping' } });
    stopRun(run.id).then(page.runsChanged, problem);
  });
  const field = $('resume-budget', HTMLInputElement);
  field.addEventListener('input', () => showLimitError(field, $('resume-budget-error')));
  $('resume').addEventListener('click', () => {
    const { run } = page.state();
    if (!run) return;
    // A refused limit is said next to the field, and nothing is resumed.
    if (!$('resume-budget-field').hidden && showLimitError(field, $('resume-budget-error'))) return field.focus();
    resume(run.id, page, resumeBody(run.record)).catch(problem);
  });
}

/**
 * Resume's request. The field shows what is left of the run's limit: unchanged, the limit stays
 * as it was set (a ceiling across every stop, never given again in full); another number is a
 * new limit for the rest; emptied, the rest has none.
 */
function resumeBody(/** @type {RunDetail | null | undefined} */ record) {
  if ($('resume-budget-field').hidden) return {};
  const { limit } = parseLimit($('resume-budget', HTMLInputElement).value);
  /** @type {ResumeRequest} */
  const body = limit === record?.capLeft ? {} : { maxCredits: limit ?? null };
  return body;
}

/** @param {string} id @param {Page} page @param {ResumeRequest} [body] */
export async function resume(id, page, body = {}) {
  const { id: next } = await resumeRun(id, body);
  await watch(next ?? id, page);
  page.runsChanged();
}
