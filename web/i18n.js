// @ts-check
// The page's words come from the catalog the CLI reads (src/i18n/catalog/<lang>/page.json),
// served by GET /api/catalog/:lang and formatted here by the same library, intl-messageformat
// (its browser build, served from the package): plurals, numbers and dates by the language's
// own rules, never by hand. The language: the person's own choice on this page, else the
// browser's list (navigator.languages), else English; the server picks the first it has.
import { IntlMessageFormat } from '/vendor/intl-messageformat.js';

/** @typedef {import('../src/serve/page-api.js').CatalogAnswer} CatalogAnswer */
/** @typedef {import('../src/serve/page-api.js').PageKey} PageKey */
/** @typedef {Record<string, string | number | Date>} Values */

/** Where the switch on the page keeps the person's choice (this browser only). */
const CHOSEN = 'fluence-enrich.lang';

/** @type {CatalogAnswer} */
let catalog;
/** @type {Map<string, IntlMessageFormat>} */
const compiled = new Map();

/** The languages asked for, the person's choice first. */
function wanted() {
  const chosen = globalThis.localStorage?.getItem(CHOSEN);
  return [chosen, ...(navigator.languages ?? [navigator.language])].filter(Boolean).join(',');
}

/**
 * Loads the catalog once, before anything is shown; `load` is the page's own request function
 * (api.js), so a stopped server is said as such here too.
 * @param {(path: string) => Promise<CatalogAnswer>} load
 */
export async function loadCatalog(load) {
  catalog = await load(`catalog/${encodeURIComponent(wanted())}`);
  compiled.clear();
  return catalog;
}

/** The page's language (`en`, `pt-BR`): its texts, numbers and dates, and the runs it starts. */
export const lang = () => catalog?.lang ?? 'en';
/** What the page's lists offer (fields, encodings, separators, endpoints, formats), from the server. */
export const choices = () => catalog.choices;
export const langs = () => catalog.langs;

/** Remembers the person's language and shows the page again in it. */
export function chooseLang(/** @type {string} */ tag) {
  globalThis.localStorage?.setItem(CHOSEN, tag);
  location.reload();
}

/**
 * The message `key` in the page's language, its values put in (numbers in the language's format).
 * @param {PageKey} key
 * @param {Values} [values]
 */
export function t(key, values) {
  // No catalog: the server did not answer the page's first request; the key says at least what it was.
  if (!catalog) return key;
  let format = compiled.get(key);
  if (!format) {
    // Tags off, as the CLI compiles the catalog: `<input>` in a text is a word, not markup.
    format = new IntlMessageFormat(catalog?.messages[key] ?? key, lang(), undefined, { ignoreTag: true });
    compiled.set(key, format);
  }
  return String(format.format(values));
}

/** A number as people read it here (1.234 in Portuguese, 1,234 in English); '—' for none. */
export const num = (/** @type {number | null | undefined} */ n, digits = 0) =>
  typeof n === 'number' && Number.isFinite(n)
    ? new Intl.NumberFormat(lang(), { maximumFractionDigits: digits }).format(n)
    : '—';

/** Fills every `data-i18n` element's text (and `data-i18n-aria` label) from the catalog. */
export function translatePage(root = document) {
  document.documentElement.lang = lang();
  document.title = t('title');
  for (const node of root.querySelectorAll('[data-i18n]'))
    node.textContent = t(/** @type {PageKey} */ (/** @type {HTMLElement} */ (node).dataset.i18n));
  for (const node of root.querySelectorAll('[data-i18n-aria]'))
    node.setAttribute('aria-label', t(/** @type {PageKey} */ (/** @type {HTMLElement} */ (node).dataset.i18nAria)));
}

/** Seconds as "3 min" ('—' for none). */
export function duration(/** @type {number | null | undefined} */ seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return seconds < 1 ? t('underSecond') : t('secondsShort', { n: Math.round(seconds) });
  if (seconds < 3600) return t('minutesShort', { n: Math.round(seconds / 60) });
  return t('hoursShort', { h: Math.floor(seconds / 3600), m: Math.round((seconds % 3600) / 60) });
}

/** A file's size: bytes, KB or MB (one decimal). */
export function size(/** @type {number} */ bytes) {
  if (bytes < 1024) return t('bytes', { n: bytes });
  if (bytes < 1024 * 1024) return t('kb', { n: Math.round(bytes / 1024) });
  return t('mb', { n: Math.round((bytes / 1024 / 1024) * 10) / 10 });
}

export const credits = (/** @type {number} */ n) => t('credit', { n });

/** A date and time as people read them here. */
export const when = (/** @type {string | undefined} */ iso) =>
  iso ? new Date(iso).toLocaleString(lang(), { dateStyle: 'short', timeStyle: 'short' }) : '—';
