import { readdirSync, readFileSync } from 'node:fs';
import type { Lang } from './lang.js';

/**
 * One catalog per language, kept as one JSON file per part of the tool (`options.json`,
 * `errors.json`, ...) so that the parts' keys stay apart: a message's key is `<file>.<key>`
 * (`options.maxCredits`). The values are ICU MessageFormat (plurals, numbers, dates). English is
 * the source; every language has the same keys (a test checks). The files are read on first use.
 *
 * `errors.json` holds every error's words, keyed by its code in camelCase: `errors.<code>` or
 * `errors.<code>.<case>` (`errors.missingColumn.mapped` is a MISSING_COLUMN), so the first word
 * after `errors.` names the code (a test checks every code has one, in every language). Where
 * what to do depends on where the person is, the facts are one key and what to do is two more,
 * `<key>.cli` (the terminal: a `--map` line, a flag) and `<key>.page` (the web page: "escolha a
 * coluna certa na lista"): a `FluenceError` carries the facts as `words` and both as `advice`,
 * and `textIn(lang, 'cli' | 'page')` says the facts followed by the place's advice.
 */
const CATALOG_DIR = new URL('./catalog/', import.meta.url);

// The part files' shapes, for typed keys; `en` is the source of truth.
type Parts = {
  options: typeof import('./catalog/en/options.json', { with: { type: 'json' }});
  page: typeof import('./catalog/en/page.json', { with: { type: 'json' }});
  cli: typeof import('./catalog/en/cli.json', { with: { type: 'json' }});
  report: typeof import('./catalog/en/report.json', { with: { type: 'json' }});
  rows: typeof import('./catalog/en/rows.json', { with: { type: 'json' }});
  errors: typeof import('./catalog/en/errors.json', { with: { type: 'json' }});
};

/** Every message's key, `<part>.<key>`. */
export type MessageKey = { [P in keyof Parts]: `${P}.${Extract<keyof Parts[P], string>}` }[keyof Parts];

export type Catalog = Readonly<Record<string, string>>;

const loaded = new Map<Lang, Catalog>();

/** A language's whole catalog, its keys `<part>.<key>`. */
export function catalogOf(lang: Lang): Catalog {
  let catalog = loaded.get(lang);
  if (!catalog) {
    catalog = readCatalog(lang);
    loaded.set(lang, catalog);
  }
  return catalog;
}

function readCatalog(lang: Lang): Catalog {
  const dir = new URL(`${lang}/`, CATALOG_DIR);
  const catalog: Record<string, string> = {};
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const part = file.slice(0, -'.json'.length);
    const entries = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, string>;
    for (const [key, text] of Object.entries(entries)) catalog[`${part}.${key}`] = text;
  }
  return Object.freeze(catalog);
}
