import { DAYS_1904, formatNumber, GENERAL, type NumberFormat } from './formats.js';
import { unescapeText } from './xml.js';

/** A `<c>` element as the sheet stores it. */
export interface RawCell {
  /** `B7`, as the sheet names it (or made from its position when the writer left it out). */
  ref: string;
  /** `t`: s (shared text), inlineStr, str (a formula's text), b, e (an error), d (ISO date), n or none (a number). */
  type: string | undefined;
  /** `s`: the cell's style, whose number format shows a number. */
  style: number;
  /** `<v>`'s text; undefined when there is none. */
  value: string | undefined;
  /** `<f>`'s text when the cell holds a formula (empty for one that shares another's). */
  formula: string | undefined;
  /** `<is>`'s text, every run of it. */
  inline: string | undefined;
}

/** What the workbook around a cell says about it. */
export interface CellContext {
  sharedStrings: readonly string[];
  styles: readonly NumberFormat[];
  date1904: boolean;
  /** Formula results were never computed (`fullCalcOnLoad`): a cached value is a placeholder, not a result. */
  recalcOnOpen: boolean;
}

/** A cell as a person sees it in Excel. */
export type CellRead =
  | { kind: 'text'; text: string }
  /** `value` in the 1900 date system (what a workbook written back holds), `format` the code to show it with. */
  | { kind: 'number'; text: string; value: number; format: string }
  /** `#N/A`, `#REF!`, ...: typed, or a formula's result. */
  | { kind: 'error'; text: string }
  /**
   * A formula saved without its result (openpyxl, pandas), or with a placeholder in a workbook
   * that asks to be recomputed on opening (XlsxWriter's 0): nothing says what Excel would show.
   */
  | { kind: 'uncomputed'; formula: string; placeholder: boolean };

const EMPTY: CellRead = Object.freeze({ kind: 'text', text: '' });

/**
 * A cell's text: a formula's cached result (0 is "0", an empty text is empty), every run of rich
 * text, a number in its number format (`01310-100` for a CEP formatted `00000-000`, `15%`,
 * `14:30`), an error as Excel writes it.
 */
export function readCell(cell: RawCell, context: CellContext): CellRead {
  const { type, value, formula } = cell;
  if (formula !== undefined) {
    const missing = value === undefined || (value === '' && type !== 'str');
    if (missing || context.recalcOnOpen) return { kind: 'uncomputed', formula, placeholder: !missing };
  }
  switch (type) {
    case 's': {
      const text = context.sharedStrings[Number(value)];
      return text === undefined || text === '' ? EMPTY : { kind: 'text', text };
    }
    case 'inlineStr':
      return cell.inline
        ? { kind: 'text', text: unescapeText(cell.inline) }
        : value
          ? { kind: 'text', text: unescapeText(value) }
          : EMPTY;
    case 'str':
      return value ? { kind: 'text', text: unescapeText(value) } : EMPTY;
    case 'b':
      return value === undefined || value === ''
        ? EMPTY
        : { kind: 'text', text: value === '1' || value === 'true' ? 'TRUE' : 'FALSE' };
    case 'e':
      return value ? { kind: 'error', text: value } : EMPTY;
    case 'd':
      return value ? { kind: 'text', text: value } : EMPTY;
    default: {
      if (value === undefined || value === '') return EMPTY;
      const number = Number(value);
      if (!Number.isFinite(number)) return { kind: 'text', text: value };
      const format = context.styles[cell.style] ?? GENERAL;
      // A time of day is a fraction in either date system; a day's serial counts from 1904 or from 1900.
      const serial = format.kind === 'date' && context.date1904 ? number + DAYS_1904 : number;
      return { kind: 'number', text: formatNumber(serial, format), value: serial, format: format.write };
    }
  }
}

/** A column's letters as its 0-based index (`A` 0, `AA` 26); -1 when `ref` has none. */
export function columnIndex(ref: string): number {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code >= 65 && code <= 90) column = column * 26 + (code - 64);
    else if (code >= 97 && code <= 122) column = column * 26 + (code - 96);
    else break;
  }
  return i === 0 ? -1 : column - 1;
}

/** A 0-based column index as letters (`0` A, `26` AA). */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
