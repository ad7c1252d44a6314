// @ts-check
// Step 3: what `estimate` says the run will cost, before anything is spent, with the choices
// that change it (what to find out, a budget cap) and the result file's format.
import { $, el, figures, show } from './dom.js';
import { choices, credits, duration, lang, num, t } from './i18n.js';

/** @typedef {import('./app.js').PageState} PageState */
/** @typedef {import('./api.js').EstimateAnswer} EstimateAnswer */
/** @typedef {import('./i18n.js').PageKey} PageKey */

/** @param {'endpoint' | 'format'} name */
export const chosen = (name) =>
  /** @type {HTMLInputElement | null} */ (document.querySelector(`input[name="${name}"]:checked`))?.value;

/**
 * A cost limit as typed in the page's language: whole credits, 0 or more, grouped the way people
 * write them there (1.000 in Portuguese, 1,000 in English; a plain 1000 everywhere). `limit` is
 * undefined for an empty field (no limit); `invalid` for a negative, a fraction or text, which is
 * refused, never read as another number (`Number('1.000')` is 1) nor as no limit.
 * @param {string} text
 * @returns {{ limit?: number, invalid?: true }}
 */
export function parseLimit(text) {
  const typed = text.replace(/[\s\u00a0\u202f]/g, '');
  if (typed === '') return {};
  const group = new Intl.NumberFormat(lang()).formatToParts(100000).find((part) => part.type === 'group')?.value ?? ',';
  const grouped = new RegExp(`^(\\d+|\\d{1,3}(${group === '.' ? '\\.' : group}\\d{3})+)$`);
  if (!grouped.test(typed)) return { invalid: true };
  return { limit: Number(typed.split(group).join('')) };
}

/** Says a refused limit next to its field (`error`: the element under it); true when the field holds one. */
export function showLimitError(/** @type {HTMLInputElement} */ field, /** @type {HTMLElement} */ error) {
  const invalid = parseLimit(field.value).invalid === true;
  show(error, invalid);
  field.setAttribute('aria-invalid', String(invalid));
  if (invalid) error.textContent = t('budgetInvalid', { example: num(1000) });
  return invalid;
}

/** The budget cap typed (0: nothing is spent), or undefined when the field is empty or refused. */
export function budget() {
  return parseLimit($('budget', HTMLInputElement).value).limit;
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
  if (parseLimit($('budget', HTMLInputElement).value).invalid) return false;
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
  showLimitError($('budget', HTMLInputElement), $('budget-error'));
  show($('budget-zero'), budget() === 0);
  renderCeiling(cost.estimate);
}

/** The estimate whose figures are on screen (a budget typed redraws the ceiling only). @type {EstimateAnswer | undefined} */
let drawn;
