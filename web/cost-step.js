// Step 3: what `estimate` says the run will cost, before anything is spent, with the choices
// that change it (what to find out, a budget cap) and the result file's format.
import { api } from './api.js';
import { choicesFor } from './columns-step.js';
import { $, el, figures, show } from './dom.js';
import { credits, duration, num, t } from './i18n.js';

export const chosen = (name) => document.querySelector(`input[name="${name}"]:checked`)?.value;

/** The budget cap typed, or undefined when the field is empty or not a positive whole number. */
export function budget() {
  const value = Number($('budget').value);
  return $('budget').value !== '' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Shows each endpoint's price from the account (1 and 2 credits per contact today). */
export function showPrices(endpointCosts = { crm_basico: 1, crm: 2 }) {
  for (const node of document.querySelectorAll('[data-cost]'))
    node.textContent = `· ${t('perContact', { n: endpointCosts[node.dataset.cost] ?? '?' })}`;
}

function render(estimate) {
  const shown = (name) =>
    name === 'creditsLeft' && estimate.creditsLeft === null
      ? t('unknown')
      : name === 'seconds'
        ? duration(estimate.seconds)
        : num(estimate[name]);
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
  show($('reasons-block'), (estimate.invalidReasons ?? []).length > 0);
  $('invalid-reasons').replaceChildren(
    ...(estimate.invalidReasons ?? []).map(({ reason, rows }) =>
      el(
        'li',
        { dataset: { rows: String(rows) } },
        el('strong', {}, num(rows)),
        ' · ',
        el('span', { className: 'reason' }, reason),
      ),
    ),
  );
  const short = estimate.creditsLeft !== null && estimate.creditsLeft < estimate.maxCredits;
  show($('not-enough'), short);
  if (short)
    $('not-enough').textContent = t('notEnough', {
      left: estimate.creditsLeft,
      covered: num(estimate.covered),
      toAsk: estimate.toAsk,
    });
}

/** What the Start button and the sentence above it say: the most this run can spend. */
export function showCeiling(estimate) {
  const cap = budget();
  const most = Math.min(estimate.maxCredits, cap ?? Infinity, estimate.creditsLeft ?? Infinity);
  $('cost-sentence').textContent =
    estimate.creditsLeft === null
      ? t('costSentenceUnknown', { credits: credits(most) })
      : t('costSentence', { credits: credits(most), left: credits(estimate.creditsLeft) });
  $('start').textContent = t('start', { credits: credits(most) });
  $('start').disabled = estimate.toAsk === 0 && estimate.rows === 0;
}

/** Asks the server for the estimate with the session's choices; resolves with it. */
export async function estimate(session) {
  show($('step-cost'));
  show($('cost-busy'));
  $('start').disabled = true;
  try {
    const result = await api(`uploads/${encodeURIComponent(session.upload.id)}/estimate`, {
      ...choicesFor(session),
      endpoint: chosen('endpoint'),
    });
    render(result);
    showCeiling(result);
    return result;
  } finally {
    show($('cost-busy'), false);
  }
}
