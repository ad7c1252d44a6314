// @ts-check
// Step 3: what `estimate` says the run will cost, before anything is spent, with the choices
// that change it (what to find out, a budget cap) and the result file's format.
import { $, el, figures, show } from './dom.js';
import { choices, credits, duration, num, t } from './i18n.js';

/** @typedef {import('./app.js').PageState} PageState */
/** @typedef {import('./api.js').EstimateAnswer} EstimateAnswer */
/** @typedef {import('./i18n.js').PageKey} PageKey */

/** @param {'endpoint' | 'format'} name */
export const chosen = (name) =>
  /** @type {HTMLInputElement | null} */ (document.querySelector(`input[name="${name}"]:checked`))?.value;

/** The budget cap typed, or undefined when the field is empty or not a positive whole number. */
export function budget() {
  const field = $('budget', HTMLInputElement);
  const value = Number(field.value);
  return field.value !== '' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The endpoint and format radios, from the server's lists (each endpoint with its price), the first checked. */
export function renderChoices() {
  const radio = (
    /** @type {string} */ name,
    /** @type {string} */ value,
    /** @type {boolean} */ checked,
    /** @type {unknown[]} */ ...label
  ) => el('label', {}, el('input', { type: 'radio', name, value, checked }), ' ', el('span', {}, ...label));
  $('endpoint-choice').append(
    ...choices().endpoints.map(({ value, label, cost }, i) =>
      radio(
        'endpoint',
        value,
        i === 0,
        el('span', {}, t(label)),
        ' ',
        el('strong', { className: 'cost' }, `· ${t('perContact', { n: cost })}`),
      ),
    ),
  );
  $('format-choice').append(
    ...choices().formats.map(({ value, label }, i) => radio('format', value, i === 0, t(label))),
  );
}

/** @param {EstimateAnswer} estimate */
function renderFigures(estimate) {
  /** @param {keyof EstimateAnswer} name */
  const shown = (name) =>
    name === 'creditsLeft' && estimate.creditsLeft === null
      ? t('unknown')
      : name === 'seconds'
        ? duration(estimate.seconds)
        : num(/** @type {number} */ (estimate[name]));
  /** @param {PageKey} label @param {keyof EstimateAnswer} name @param {string} [className] @returns {import('./dom.js').Figure} */
  const row = (label, name, className) => [t(label), shown(name), undefined, className, name, estimate[name]];
  figures($('figures-file'), [
    row('rows', 'rows'),
    row('valid', 'valid'),
    row('invalid', 'invalid'),
    row('duplicates', 'duplicates'),
    row('alreadyAnswered', 'alreadyAnswered'),
  ]);
  figures($('figures-cost'), [
    row('toAsk', 'toAsk', 'strong'),
    row('maxCredits', 'maxCredits', 'strong'),
    row('creditsLeft', 'creditsLeft'),
    row('time', 'seconds'),
  ]);
  const reasons = estimate.invalidReasons ?? [];
  show($('reasons-block'), reasons.length > 0);
  $('invalid-reasons').replaceChildren(
    ...reasons.map(({ reason, rows }) =>
      el(
        'li',
        { dataset: { rows: String(rows) } },
        el('strong', {}, num(rows)),
        ' · ',
        el('span', { className: 'reason' }, reason),
      ),
    ),
  );
}

/** Whether Start can be pressed: decided here only, from the page's state. */
export function canStart(/** @type {PageState} */ state) {
  const estimate = state.cost?.estimate;
  if (!estimate || state.cost?.busy || state.starting) return false;
  if (state.noKey || state.keyProblem) return false;
  return !(estimate.toAsk === 0 && estimate.rows === 0);
}

/** What the Start button and the sentence above it say: the most this run can spend. */
function renderCeiling(/** @type {EstimateAnswer} */ estimate) {
  const most = Math.min(estimate.maxCredits, budget() ?? Infinity, estimate.creditsLeft ?? Infinity);
  $('cost-sentence').textContent =
    estimate.creditsLeft === null
      ? t('costSentenceUnknown', { credits: credits(most) })
      : t('costSentence', { credits: credits(most), left: credits(estimate.creditsLeft) });
  $('start').textContent = t('start', { credits: credits(most) });
  const short = estimate.creditsLeft !== null && estimate.creditsLeft < estimate.maxCredits;
  show($('not-enough'), short);
  if (short)
    $('not-enough').textContent = t('notEnough', {
      left: estimate.creditsLeft ?? 0,
      covered: estimate.covered,
      toAsk: estimate.toAsk,
    });
}

/** Step 3 as `state.cost` says: hidden, busy, or the estimate with what Start spends. */
export function renderCost(/** @type {PageState} */ state) {
  const { cost } = state;
  show($('step-cost'), cost !== undefined && cost.refusal === undefined);
  $('start', HTMLButtonElement).disabled = !canStart(state);
  show($('cost-busy'), cost?.busy === true);
  if (!cost) return;
  if (!cost.estimate || cost.busy) return;
  if (drawn !== cost.estimate) renderFigures(cost.estimate);
  drawn = cost.estimate;
  renderCeiling(cost.estimate);
}

/** The estimate whose figures are on screen (a budget typed redraws the ceiling only). @type {EstimateAnswer | undefined} */
let drawn;
