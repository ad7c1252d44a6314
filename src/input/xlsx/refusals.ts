import { FluenceError } from '../../errors.js';
import { inputName } from '../stdin.js';
import { LIMITS } from './limits.js';

/** What the reader refuses in a workbook, each naming the file and where in it, and saying what to do. */

/** Bytes that are not UTF-8 in a workbook's XML (`where`: its part, or a sheet's row). */
export const notUtf8 = (path: string, where: string): FluenceError =>
  new FluenceError(
    'INPUT_NOT_UTF8',
    `${inputName(path)}: ${where} holds bytes that are not UTF-8, and a workbook's text is always UTF-8: the file was damaged, or written by a broken program; open it in Excel or LibreOffice and save it again, or save the sheet as CSV UTF-8. Nothing was spent`,
  );

/** A workbook whose structure no spreadsheet program writes (`what` says how), refused before anything is spent. */
export const malformed = (path: string, what: string): FluenceError =>
  new FluenceError(
    'XLSX_MALFORMED',
    `${inputName(path)}: ${what}; it was not written by a spreadsheet program as it stands (damaged, or made by hand): open it in Excel or LibreOffice and save it again, or save the sheet as CSV UTF-8. Nothing was spent`,
  );

const count = (n: number): string => n.toLocaleString('en-US');
const mb = (bytes: number): string =>
  bytes < 1024 * 1024 ? `${count(bytes)} bytes` : `${Math.round(bytes / 1024 / 1024)} MB`;

/** A cell's text past `LIMITS.cell` (`where`: the cell, or the table of texts' entry). */
export const cellTooLarge = (path: string, where: string): FluenceError =>
  new FluenceError(
    'INPUT_CELL_TOO_LARGE',
    `${inputName(path)}: ${where} holds more than ${count(LIMITS.cell)} characters (an Excel cell holds ${count(32_767)}), which no contact export has; remove that text from the workbook, or save the sheet as CSV UTF-8 without it. Nothing was spent`,
  );

/** A row's cells together past `LIMITS.row`. */
export const rowTooLarge = (path: string, where: string): FluenceError =>
  new FluenceError(
    'INPUT_ROW_TOO_LARGE',
    `${inputName(path)}: ${where}: its cells together hold more than ${count(LIMITS.row)} characters, which no contact export has; remove those texts from the workbook, or save the sheet as CSV UTF-8 without them. Nothing was spent`,
  );

/**
 * A table of texts that would not fit in the memory left: `size` is what the zip's directory
 * claims, or (`inflated`) what was actually inflated before the reading stopped.
 */
export function tableTooLarge(
  path: string,
  part: string,
  size: { bytes: number; inflated: boolean; claimed: number },
  heap: { needed: number; free: number; limit: number },
): FluenceError {
  const what = size.inflated
    ? `more than ${mb(size.bytes)} once inflated, though the zip's directory says ${mb(size.claimed)}`
    : mb(size.bytes);
  return new FluenceError(
    'XLSX_TOO_LARGE',
    `${inputName(path)}: its table of texts (${part}, ${what}) needs ${size.inflated ? 'more than' : 'about'} ${mb(heap.needed)} of memory to read, and this process has ${mb(heap.free)} free (old space ${mb(heap.limit)}); save the sheet as CSV (UTF-8) and enrich the CSV, which streams in constant memory, or give the process more memory. Nothing was spent`,
  );
}
