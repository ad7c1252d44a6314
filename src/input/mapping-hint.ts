import { wordKey } from '../contact/fillers.js';
import type { FirstNames } from '../contact/first-names.js';
import { companyDoubt, looksLikePersonName } from '../contact/plausible.js';
import { adviceOf, FluenceError, withMore, type ErrorAdvice } from '../errors.js';
import { message, wordList, type Message } from '../i18n/message.js';
import { isAlias, locateColumns, namesPerson, squash, type MapField } from './columns.js';

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
 * taken silently. Undefined when the file offers nothing for every field missing. With the
 * gazetteer (`names`), a column is offered as people's only when half its values also begin with
 * a known first name (as `DOUBTFUL_COLUMN` asks of a column taken): a column of companies' names
 * is never offered as names.
 */
export function mappingSuggestion(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  names?: FirstNames,
): ErrorAdvice | undefined {
  const has = (field: Parameters<typeof isAlias>[0]): boolean => header.some((h) => isAlias(field, h));
  const needName = !has('nome_completo') && !(has('primeiro_nome') && has('ultimo_nome'));
  const needCompany = !has('empresa');
  if (!needName && !needCompany) return undefined;
  const maps: string[] = [];
  const said: Message[] = [];
  if (needName) {
    const fullName = (value: string): boolean => looksLikePersonName(value) && /\s/.test(value);
    const known = (value: string): boolean =>
      names === undefined || (fullName(value) && names.isName(wordKey(value.trim().split(/\s/, 1)[0]!)));
    const column = header.findIndex(
      (h, i) => namesPerson(h) && fitting(rows, i, fullName) !== undefined && fitting(rows, i, known) !== undefined,
    );
    if (column < 0) return undefined;
    maps.push(`--map nome_completo=${JSON.stringify(header[column])}`);
    said.push(
      message('errors.missingColumn.suggest.name', {
        column: JSON.stringify(header[column]),
        example: JSON.stringify(fitting(rows, column, known)),
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

/**
 * Whether half a column's values read as people's names that begin with a known first name (as
 * `DOUBTFUL_COLUMN` asks): a Bling export's `Nome` holds legal names (`Pet Shop Paraíso LTDA`).
 */
function holdsPeople(rows: readonly (readonly string[])[], column: number, names: FirstNames): boolean {
  const person = (value: string): boolean =>
    looksLikePersonName(value) && names.isName(wordKey(value.trim().split(/\s/, 1)[0]!));
  return fitting(rows, column, person) !== undefined;
}

/**
 * A `MISSING_COLUMN` error with `mappingSuggestion` said after it, when there is one. With the
 * gazetteer and the `--map` given, the error is made again from the values read: a column that
 * holds no people is not offered as full names.
 */
export function withMappingHint(
  error: unknown,
  header: readonly string[] | undefined,
  rows: readonly (readonly string[])[],
  names?: FirstNames,
  map?: Partial<Record<MapField, string>>,
): unknown {
  if (!(error instanceof FluenceError) || error.code !== 'MISSING_COLUMN' || !header) return error;
  let base: FluenceError = error;
  if (names && map && rows.length > 0) {
    try {
      locateColumns(header, map, (column) => holdsPeople(rows, column, names));
    } catch (again) {
      if (again instanceof FluenceError && again.code === 'MISSING_COLUMN') base = again;
    }
  }
  const suggestion = mappingSuggestion(header, rows, names);
  return suggestion ? withMore(base, suggestion) : base;
}
