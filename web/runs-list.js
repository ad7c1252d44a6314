// @ts-check
// Step 6: the runs in the work folder, newest first, with their files and a way back in.
import { listRuns, runUrl } from './api.js';
import { $, el, show } from './dom.js';
import { atLeast } from './run-step.js';
import { num, t, when } from './i18n.js';

/** @typedef {import('./api.js').RunView} RunView */
/** @typedef {import('./api.js').ProgressEvent} ProgressEvent */
/** @typedef {{ watch(id: string): unknown, resume(id: string): unknown }} RunActions */

/** Reloads the list; `actions.watch(id)` follows a run, `actions.resume(id)` resumes a stopped one. */
export async function refreshRuns(/** @type {RunActions} */ actions) {
  const runs = await listRuns();
  runs.sort((a, b) => String(b.startedAt).localeCompare(String(a.startedAt)));
  show($('no-runs'), runs.length === 0);
  $('runs').replaceChildren(
    ...runs.map((run) => {
      const live = run.status === 'running' || run.status === 'stopping';
      const links = [
        run.hasOutput &&
          el('a', { className: 'button secondary small', href: runUrl(run.id, 'output'), download: '' }, t('download')),
        run.hasReport &&
          el(
            'a',
            { className: 'button secondary small', href: runUrl(run.id, 'report'), target: '_blank', rel: 'noopener' },
            t('report'),
            el('span', { className: 'visually-hidden' }, ` ${t('newTab')}`),
          ),
        live && button(t('watch'), () => actions.watch(run.id)),
        run.status === 'stopped' && button(t('resume'), () => actions.resume(run.id), 'primary'),
      ];
      return el(
        'li',
        { className: 'run', dataset: { id: run.id, status: run.status } },
        el('p', { className: 'run-name' }, run.name),
        el(
          'dl',
          {},
          el('div', {}, el('dt', {}, t('runWhen')), el('dd', {}, when(run.startedAt))),
          el(
            'div',
            {},
            el('dt', {}, t('runStatus')),
            el('dd', { className: `status ${run.status}` }, t(`status.${run.status}`)),
          ),
          el(
            'div',
            {},
            el('dt', {}, t('runCredits')),
            el(
              'dd',
              {
                dataset: {
                  field: 'credits',
                  value: String(run.credits),
                  ...(run.creditsAtLeast ? { unfinished: String(run.unfinishedRequests ?? 0) } : {}),
                },
              },
              run.creditsAtLeast ? atLeast(run.credits, run.unfinishedRequests) : num(run.credits),
            ),
          ),
          el(
            'div',
            {},
            el('dt', {}, t('runRows')),
            el('dd', { dataset: { field: 'rows', value: String(run.rows) } }, `${num(run.rows)} / ${num(run.total)}`),
          ),
        ),
        run.error ? el('p', { className: 'help' }, run.error.message) : null,
        el('div', { className: 'actions' }, links),
      );
    }),
  );
  return runs;
}

/**
 * The entry of the run on screen follows its panel while it runs (the list is read when it
 * changes, and said "Credits 0, rows 45" beside a panel at 117 credits and 172 rows).
 */
export function followRun(/** @type {string} */ id, /** @type {ProgressEvent} */ progress) {
  const entry = [...$('runs').children].find((li) => /** @type {HTMLElement} */ (li).dataset.id === id);
  if (!entry) return;
  const rows = Math.max(0, (progress.rows ?? 0) - (progress.pending ?? 0));
  const credits = /** @type {HTMLElement} */ (entry.querySelector('[data-field="credits"]'));
  credits.dataset.value = String(progress.credits);
  const unfinished = credits.dataset.unfinished;
  credits.textContent =
    unfinished === undefined ? num(progress.credits) : atLeast(progress.credits, Number(unfinished) || 0);
  const done = /** @type {HTMLElement} */ (entry.querySelector('[data-field="rows"]'));
  done.dataset.value = String(rows);
  done.textContent = `${num(rows)} / ${num(progress.total)}`;
}

function button(/** @type {string} */ label, /** @type {() => unknown} */ onClick, kind = 'secondary') {
  const node = el('button', { type: 'button', className: `button ${kind} small` }, label);
  node.addEventListener('click', onClick);
  return node;
}
