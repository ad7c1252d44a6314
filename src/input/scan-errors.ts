import { adviceOf, FluenceError, withMore } from '../errors.js';
import { message, wordList } from '../i18n/message.js';
import { locateColumns, quoted } from './columns.js';
import { detectDialect } from './dialect.js';
import type { InputRecord } from './input.js';
import { MAX_PREAMBLE_RECORDS, type ScanOptions } from './scan-state.js';
import { shellWord } from './shell-word.js';
import { inputName } from './stdin.js';
import { tabList } from './xlsx/sheets.js';

/** Most of a message a person reads on one line: a header of 10,000 columns echoed whole would bury the code at its end. */
const MAX_MESSAGE_CHARS = 2000;

/** The error with its message cut in the middle when longer than `MAX_MESSAGE_CHARS` (its start says what, its end what to do). */
export function boundedMessage(error: unknown): unknown {
  // A message in words bounds its long values itself (`quoted`).
  if (!(error instanceof FluenceError) || error.words || error.message.length <= MAX_MESSAGE_CHARS) return error;
  const cut = error.message.length - MAX_MESSAGE_CHARS;
  const message = `${error.message.slice(0, 1500)} … (${cut.toLocaleString('en-US')} characters left out) … ${error.message.slice(-500)}`;
  return new FluenceError(error.code, message, {
    exitCode: error.exitCode,
    ...(error.line === undefined ? {} : { line: error.line }),
    cause: error,
  });
}

/**
 * A workbook's sheet with no header (a cover page, a summary): the error lists the workbook's
 * tabs and names the sheets whose first rows hold one (`--sheet NAME`).
 */
export async function withSheetHint(error: unknown, config: ScanOptions): Promise<unknown> {
  if (
    !(error instanceof FluenceError) ||
    (error.code !== 'MISSING_COLUMN' && error.code !== 'INPUT_EMPTY') ||
    config.noHeader
  )
    return error;
  const dialect = await detectDialect(config.input, { sheet: config.sheet }).catch(() => undefined);
  if (!dialect?.xlsx) return error;
  const { sheet, sheets } = dialect.xlsx;
  const isHeader = (cells: string[]): boolean => {
    try {
      locateColumns(cells, config.map);
      return true;
    } catch {
      return false;
    }
  };
  const { sheetsWithHeader } = await import('./xlsx.js');
  const found = await sheetsWithHeader(config.input, sheet, MAX_PREAMBLE_RECORDS, isHeader).catch(() => [] as string[]);
  const where = {
    sheet: JSON.stringify(sheet),
    first: config.sheet === undefined ? 'yes' : 'no',
    name: inputName(config.input),
    tabs: tabList(sheets),
    found: wordList(
      found.map((name) => JSON.stringify(name)),
      'and',
    ),
    count: found.length,
    word: found.length > 0 ? shellWord(found[0]!) : '',
  };
  return withMore(error, adviceOf('errors.missingColumn.sheet', where));
}

/** Lines of mixed endings read as one row: several contacts in one, said with where it happens. */
export function mixedEndings(input: string, record: InputRecord): FluenceError {
  return new FluenceError(
    'INPUT_MALFORMED',
    message('errors.inputMalformed.mixedEndings', {
      name: inputName(input),
      line: record.strayBreak!.line,
      said: record.strayBreak!.said,
      last: record.line,
      fields: record.cells.length,
    }),
    { line: record.strayBreak!.line },
  );
}

/**
 * A name column with no surname column is taken as full names only when most of its values
 * hold a space ("Maria Silva"); single words are first names, and the surname is elsewhere.
 */
export function checkFullNames(
  header: readonly string[],
  column: number,
  names: { given: number; spaced: number },
): void {
  if (names.given === 0 || names.spaced * 2 >= names.given) return;
  throw new FluenceError(
    'MISSING_COLUMN',
    message('errors.missingColumn.singleWords', {
      column: JSON.stringify(header[column]),
      single: names.given - names.spaced,
      given: names.given,
      headers: quoted(header),
    }),
    { advice: adviceOf('errors.missingColumn.singleWords', { column: JSON.stringify(header[column]) }) },
  );
}
