// @ts-check
// The page's header: the account (plan, credits left, trial mode, a key that cannot run) and
// the language switch.
import { refusalText } from './api.js';
import { $, el, show } from './dom.js';
import { chooseLang, lang, langs, num, t } from './i18n.js';

/** @typedef {import('./app.js').PageState} PageState */

/** The header as the state says; a refused key is said here, never as the file's fault. */
export function renderAccount(/** @type {PageState} */ { account, noKey, keyProblem }) {
  show($('no-key'), noKey);
  show($('key-problem'), keyProblem !== undefined);
  $('key-problem').textContent = keyProblem ? t('keyProblem', { message: refusalText(keyProblem) }) : '';
  $('account-plan').textContent = account?.plan ?? t('unknown');
  $('account-credits').textContent = typeof account?.creditsLeft === 'number' ? num(account.creditsLeft) : t('unknown');
  show($('sandbox-badge'), Boolean(account?.sandbox));
}

/**
 * The language switch: each language named in itself ("English", "português (Brasil)").
 * `beforeSwitch` keeps what the page must show again in the other language (the page reloads).
 */
export function renderLangSwitch(/** @type {() => void} */ beforeSwitch = () => undefined) {
  const own = (/** @type {string} */ tag) => new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  const select = $('lang', HTMLSelectElement);
  select.replaceChildren(...langs().map((tag) => el('option', { value: tag, selected: tag === lang() }, own(tag))));
  select.addEventListener('change', () => {
    beforeSwitch();
    chooseLang(select.value);
  });
}
