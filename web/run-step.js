// @ts-check
// Steps 4 and 5: start the run, watch the server's live events (the run's own statistics),
// stop it gracefully, resume it, then download the result and open its report.
import { getRun, resumeRun, runEvents, runUrl, stopRun } from './api.js';
import { rateChart } from './chart.js';
import { $, figures, show } from './dom.js';
import { credits, duration, num, t } from './i18n.js';

/** @typedef {import('./api.js').ProgressEvent} ProgressEvent */
/** @typedef {import('./api.js').DoneEvent} DoneEvent */
/** @typedef {import('./api.js').ResumeRequest} ResumeRequest */
/** @typedef {{ id: string, close: () => void, chart?: ReturnType<typeof rateChart>, last?: ProgressEvent }} Watching */

/** The run on screen, and its last progress (kept to show it again without time left when the server goes). */
/** @type {Watching} */
let watching = { id: '', close: () => {} };

/** Tells the rest of the page (the runs list, the header, step 3) about the run on screen. */
const tell = (/** @type {string} */ type, /** @type {unknown} */ detail) =>
  document.dispatchEvent(new CustomEvent(type, { detail }));

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

function showProgress(/** @type {ProgressEvent} */ p, live = true) {
  const total = p.total || 0;
  // A stopped run writes its unasked rows as `pending`: they are written, not done.
  const done = Math.max(0, (p.rows ?? 0) - (p.pending ?? 0));
  const bar = $('run-progress', HTMLProgressElement);
  bar.max = Math.max(1, total);
  bar.value = Math.min(done, Math.max(1, total));
  $('run-rows').textContent = t('rowsDone', { rows: done, total });
  counters(p);
  show($('rate-limited'), p.rateLimited > 0);
  if (p.rateLimited > 0) $('rate-limited').textContent = t('rateLimited', { n: p.rateLimited });
  if (live) watching.chart?.add(p);
  watching.last = p;
  tell('run-progress', { id: watching.id, progress: p });
}

/**
 * The server stopped answering while the run was on screen: the run is not known to go on (its
 * server may be gone), so no "Running", no time left and no Stop that cannot reach anyone. The
 * browser keeps trying: a progress from the same server again shows it running again.
 */
function disconnected() {
  stateText('disconnected');
  $('stop', HTMLButtonElement).disabled = true;
  if (watching.last) counters({ ...watching.last, etaSeconds: undefined, rateNow: 0 });
}

function reconnected() {
  if ($('run-state').dataset.status !== 'disconnected') return;
  stateText('running');
  $('stop', HTMLButtonElement).disabled = false;
}

function stateText(/** @type {string} */ status) {
  $('run-state').textContent = t(/** @type {import('./i18n.js').PageKey} */ (`state.${status}`));
  $('run-state').dataset.status = status;
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
  if (reason === 'budget' && cap) return t('runStoppedBudget', { pending, cap: credits(cap) });
  if (reason === 'credits') return t('runStoppedCredits', { pending });
  if (reason === 'quota') return t('runStoppedQuota', { pending });
  return t('runStopped', { pending });
}

async function finished(/** @type {string} */ id, /** @type {DoneEvent} */ done, /** @type {() => void} */ onChange) {
  if (done.status === 'running' || done.status === 'stopping') return elsewhere(done.status);
  const s = done.summary;
  const counts = s?.byStatus;
  stateText(done.status);
  show($('stop'), false);
  show($('stop-help'), false);
  show($('resume'), done.status === 'stopped');
  const pending = counts?.pending ?? 0;
  // The summary is this attempt's; the run's own record counts the attempts before a resume too.
  const run = await getRun(id).catch(() => undefined);
  const spent = run?.credits ?? s?.creditsUsed ?? 0;
  // The run's own last figures: its totals over every attempt, and no time left.
  if (run?.progress) showProgress(run.progress, false);
  // Stopped by its cap: the person sets the cap for the rest here (as --max-credits on the CLI's rerun).
  const capped = done.status === 'stopped' && s?.stopReason === 'budget';
  show($('resume-budget-field'), capped);
  if (capped) $('resume-budget', HTMLInputElement).value = String(run?.options?.maxCredits ?? '');
  $('run-result').textContent =
    done.status === 'stopped'
      ? stoppedText(s?.stopReason ?? undefined, pending, run?.options?.maxCredits)
      : done.status === 'failed'
        ? t('runFailed', { error: done.error?.message ?? '' })
        : t('runFinished', {
            ok: run?.progress?.ok ?? counts?.ok ?? 0,
            credits: run?.creditsAtLeast ? atLeast(spent, run.unfinishedRequests) : credits(spent),
          });
  $('run-result').dataset.status = done.status;
  $('run-result').dataset.credits = String(spent);
  showDownload(id);
  keepFocus();
  tell('run-ended', { id, status: done.status });
  onChange();
}

/**
 * The button that had the focus (Start, Stop) is gone or disabled once the run ends, which drops
 * the focus to the page's start: a keyboard user is brought to what happened instead.
 */
function keepFocus() {
  const focus = /** @type {HTMLButtonElement | null} */ (document.activeElement);
  const lost = !focus || focus === document.body || focus.disabled || focus.closest('[hidden]');
  if (lost || focus.id === 'step-run-title') $('run-result').focus();
}

/** Credits a cut-off attempt makes a floor: how many requests it left unanswered (each may have cost one more charge). */
export function atLeast(/** @type {number} */ spent, /** @type {number | undefined} */ unfinished) {
  const floor = t('atLeast', { n: credits(spent) });
  return unfinished ? `${floor} ${t('unfinishedRequests', { n: unfinished })}` : floor;
}

/** A run another `serve` on the same work folder is running: this server has no events for it, and no Stop. */
function elsewhere(/** @type {string} */ status) {
  stateText(status);
  show($('stop'), false);
  show($('stop-help'), false);
  show($('resume'), false);
  $('run-result').textContent = t('runElsewhere');
  $('run-result').dataset.status = 'elsewhere';
}

export function showDownload(/** @type {string} */ id, hasReport = true) {
  show($('step-download'));
  $('download', HTMLAnchorElement).href = runUrl(id, 'output');
  $('report', HTMLAnchorElement).href = runUrl(id, 'report');
  show($('report'), hasReport);
}

/** Follows run `id` on screen until its `done` event; `onChange` refreshes the runs list. */
export async function watch(/** @type {string} */ id, /** @type {() => void} */ onChange) {
  watching.close();
  watching = { id, close: () => {} };
  show($('step-run'));
  show($('step-download'), false);
  show($('resume'), false);
  show($('resume-budget-field'), false);
  show($('stop'));
  show($('stop-help'));
  $('stop', HTMLButtonElement).disabled = false;
  $('run-result').textContent = '';
  delete $('run-result').dataset.status;
  stateText('running');
  $('run-rows').textContent = '';
  $('counters').replaceChildren();
  const mine = watching;
  mine.chart = rateChart($('rate-chart'));
  mine.close = runEvents(id, {
    onProgress: (p) => {
      if (watching !== mine) return;
      reconnected();
      showProgress(p);
    },
    onDone: (done) => watching === mine && finished(id, done, onChange),
    // The app shows it as "the server is not running"; the panel stops saying it runs.
    onLost: () => {
      if (watching !== mine) return;
      disconnected();
      document.dispatchEvent(new CustomEvent('server-lost'));
    },
  });
  $('step-run').scrollIntoView({ behavior: 'smooth', block: 'start' });
  // Start (in step 3, now hidden) or Resume (now hidden) had the focus: the panel's heading takes it.
  const focus = document.activeElement;
  if (!focus || focus === document.body || focus.closest('[hidden]'))
    $('step-run-title').focus({ preventScroll: true });
}

/** Stop and Resume; a failed request (the server gone) goes to `problem`, as every request's does. */
export function wireRun(/** @type {() => void} */ onChange, /** @type {(error: unknown) => void} */ problem) {
  const stop = $('stop', HTMLButtonElement);
  stop.addEventListener('click', () => {
    stop.disabled = true;
    stateText('stopping');
    stopRun(watching.id).then(onChange, problem);
  });
  $('resume').addEventListener('click', () => {
    const field = $('resume-budget', HTMLInputElement);
    const cap = Number(field.value);
    /** @type {ResumeRequest} */
    const body = $('resume-budget-field').hidden
      ? {}
      : { maxCredits: field.value !== '' && Number.isInteger(cap) && cap > 0 ? cap : null };
    resume(watching.id, onChange, body).catch(problem);
  });
}

/** @param {string} id @param {() => void} onChange @param {ResumeRequest} [body] */
export async function resume(id, onChange, body = {}) {
  const { id: next } = await resumeRun(id, body);
  await watch(next ?? id, onChange);
  onChange();
}
