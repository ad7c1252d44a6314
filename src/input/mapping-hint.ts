import { companyDoubt, looksLikePersonName } from '../contact/plausible.js';
import { adviceOf, FluenceError, withMore, type ErrorAdvice } from '../errors.js';
import { message, render, wordList, type Message } from '../i18n/message.js';
import { isAlias, namesPerson, squash } from './columns.js';

/**
 * Headers that name a company, best first, when no alias does: an ERP's `Razão Social` (the
 * registered name), then `Nome Fantasia` (the trade name), then `Cliente` (the customer: a
 * company in a list of accounts).
 */
const COMPANY_HEADERS = [/^razaosocial$/, /^(?:nome)?fantasia$/, /^clientes?$/];

/** Share of a column's first values that must fit for it to be offered. */
const FITTING_SHARE = 0.5;

/** The first value of `column` that fits, when most of its values do (none when it has no values). */
function fitting(
  rows: readonly (readonly string[])[],
  column: number,
  fits: (value: string) => boolean,
): string | undefined {
  const values = rows.map((cells) => (cells[column] ?? '').trim()).filter((value) => value !== '');
  const fit = values.filter(fits);
  return values.length > 0 && fit.length >= values.length * FITTING_SHARE ? fit[0] : undefined;
}

/**
 * What a file with no column for a field may hold instead, from its header and first rows: a
 * column whose header names the person (`Contato`, `Pessoa`) and holds full names, a column whose
 * header names a company (`Razão Social`, `Nome Fantasia`, `Cliente`) and holds companies. Only
 * said, as the `--map` that would take them (on the page: the lists' choice): a guess is never
 * taken silently. Undefined when the file offers nothing for every field missing.
 */
export function mappingSuggestion(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): ErrorAdvice | undefined {
  const has = (field: Parameters<typeof isAlias>[0]): boolean => header.some((h) => isAlias(field, h));
  const needName = !has('nome_completo') && !(has('primeiro_nome') && has('ultimo_nome'));
  const needCompany = !has('empresa');
  if (!needName && !needCompany) return undefined;
  const maps: string[] = [];
  const said: Message[] = [];
  if (needName) {
    const fullName = (value: string): boolean => looksLikePersonName(value) && /\s/.test(value);
    const column = header.findIndex((h, i) => namesPerson(h) && fitting(rows, i, fullName) !== undefined);
    if (column < 0) return undefined;
    maps.push(`--map nome_completo=${JSON.stringify(header[column])}`);
    said.push(
      message('errors.missingColumn.suggest.name', {
        column: JSON.stringify(header[column]),
        example: JSON.stringify(fitting(rows, column, fullName)),
      }),
    );
  }
  if (needCompany) {
    const company = (value: string): boolean => companyDoubt(value, true) === undefined;
    const squashed = header.map(squash);
    const column = COMPANY_HEADERS.map((pattern) =>
      squashed.findIndex((h, i) => pattern.test(h) && fitting(rows, i, company) !== undefined),
    ).find((i) => i >= 0);
    if (column === undefined) return undefined;
    maps.push(`--map empresa=${JSON.stringify(header[column])}`);
    said.push(
      message('errors.missingColumn.suggest.company', {
        column: JSON.stringify(header[column]),
        example: JSON.stringify(fitting(rows, column, company)),
      }),
    );
  }
  return adviceOf('errors.missingColumn.suggest', { said: wordList(said), maps: maps.join(' ') });
}

/** `mappingSuggestion` as the terminal says it, in English, after the refusal (empty when there is none). */
export function mappingHint(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const suggestion = mappingSuggestion(header, rows);
  return suggestion ? ` ${render('en', suggestion.cli)}` : '';
}

/** A `MISSING_COLUMN` error with `mappingSuggestion` said after it, when there is one. */
export function withMappingHint(
  error: unknown,
  header: readonly string[] | undefined,
  rows: readonly (readonly string[])[],
): unknown {
  if (!(error instanceof FluenceError) || error.code !== 'MISSING_COLUMN' || !header) return error;
  const suggestion = mappingSuggestion(header, rows);
  return suggestion ? withMore(error, suggestion) : error;
}
