import { FluenceError } from '../../errors.js';
import { message, type Message } from '../../i18n/message.js';
import { inputName } from '../stdin.js';
import { LIMITS } from './limits.js';

/** What the reader refuses in a workbook, each naming the file and where in it, and saying what to do. */

/** Where in a workbook, or what is wrong there: a sheet's place in words (`errors.part.sheetPlace`), or the reader's own detail. */
export type Where = string | Message;

/** Bytes that are not UTF-8 in a workbook's XML (`where`: its part, or a sheet's row). */
export const notUtf8 = (path: string, where: Where): FluenceError =>
  new FluenceError('INPUT_NOT_UTF8', message('errors.inputNotUtf8.workbook', { name: inputName(path), where }));

/** A workbook whose structure no spreadsheet program writes (`what` says how), refused before anything is spent. */
export const malformed = (path: string, what: Where): FluenceError =>
  new FluenceError('XLSX_MALFORMED', message('errors.xlsxMalformed', { name: inputName(path), what }));

const mb = (bytes: number): Message =>
  bytes < 1024 * 1024
    ? message('errors.xlsxTooLarge.size', { unit: 'bytes', n: bytes })
    : message('errors.xlsxTooLarge.size', { unit: 'mb', n: Math.round(bytes / 1024 / 1024) });

/** A cell's text past `LIMITS.cell` (`where`: the cell, or the table of texts' entry). */
export const cellTooLarge = (path: string, where: Where): FluenceError =>
  new FluenceError(
    'INPUT_CELL_TOO_LARGE',
    message('errors.inputCellTooLarge.workbook', { name: inputName(path), where, max: LIMITS.cell, excel: 32_767 }),
  );

/** A row's cells together past `LIMITS.row`. */
export const rowTooLarge = (path: string, where: Where): FluenceError =>
  new FluenceError(
    'INPUT_ROW_TOO_LARGE',
    message('errors.inputRowTooLarge.workbook', { name: inputName(path), where, max: LIMITS.row }),
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
  return new FluenceError(
    'XLSX_TOO_LARGE',
    message('errors.xlsxTooLarge', {
      name: inputName(path),
      part,
      inflated: size.inflated ? 'yes' : 'no',
      size: mb(size.bytes),
      claimed: mb(size.claimed),
      needed: mb(heap.needed),
      free: mb(heap.free),
      limit: mb(heap.limit),
    }),
  );
}
