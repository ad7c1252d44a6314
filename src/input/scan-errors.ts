import { FluenceError } from '../errors.js';
import { locateColumns } from './columns.js';
import { detectDialect } from './dialect.js';
import type { InputRecord } from './input.js';
import { MAX_PREAMBLE_RECORDS, type ScanOptions } from './scan-state.js';
import { shellWord } from './shell-word.js';
import { inputName } from './stdin.js';
import { describeTabs } from './xlsx/sheets.js';

/** Most of a message a person reads on one line: a header of 10,000 columns echoed whole would bury the code at its end. */
const MAX_MESSAGE_CHARS = 2000;

/** The error with its message cut in the middle when longer than `MAX_MESSAGE_CHARS` (its start says what, its end what to do). */
export function boundedMessage(error: unknown): unknown {
  if (!(error instanceof FluenceError) || error.message.length <= MAX_MESSAGE_CHARS) return error;
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
  const tab =
    config.sheet === undefined
      ? `sheet ${JSON.stringify(sheet)}, the workbook's first visible tab`
      : `sheet ${JSON.stringify(sheet)}`;
  const where =
    found.length > 0
      ? `${found.map((name) => JSON.stringify(name)).join(' and ')} ${found.length > 1 ? 'have' : 'has'} a header with these columns: add --sheet ${shellWord(found[0]!)}`
      : 'no other sheet has a header with these columns either';
  const message = `${error.message.replace(/\.?$/, '.')} That is ${tab} (${inputName(config.input)} has: ${describeTabs(sheets)}); ${where}`;
  return new FluenceError(error.code, message, {
    exitCode: error.exitCode,
    ...(error.line === undefined ? {} : { line: error.line }),
    cause: error,
  });
}

/** Lines of mixed endings read as one row: several contacts in one, said with where it happens. */
export function mixedEndings(input: string, record: InputRecord): FluenceError {
  return new FluenceError(
    'INPUT_MALFORMED',
    `${inputName(input)}: line ${record.strayBreak!.line}: mixed line endings: ${record.strayBreak!.said}, so lines ${record.strayBreak!.line}-${record.line} were read as one row of ${record.cells.length} fields (contacts merged into one); save the file again (Excel: CSV UTF-8) or give its lines one ending (dos2unix), then run again; nothing was sent`,
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
    `no column for ultimo_nome: ${JSON.stringify(header[column])} holds single words (${names.given - names.spaced} of ${names.given} names have no space), so it is not a full name; the file has: ${header.map((h) => JSON.stringify(h)).join(', ')}. Name the surname's column with --map ultimo_nome=Header (or, if they are full names after all, --map nome_completo=${JSON.stringify(header[column])}); nothing was spent`,
  );
}
