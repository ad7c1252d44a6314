import { format, getFormatDateInfo, getFormatFromId, isDateFormat, isTextFormat, isValidFormat } from 'numfmt';
import { attribute, parseXml } from './xml.js';

/** How a cell's number is shown: Excel's number format, as the cell's style names it. */
export interface NumberFormat {
  /** The code its text is made with (numfmt, Excel's own rules). */
  code: string;
  /** The code a workbook written back gives the number (Excel's spelling of a built-in format, so it stays that built-in). */
  write: string;
  /** `date`: shows a day (its serial depends on the workbook's date system); `time`: only a time of day or a duration. */
  kind: 'general' | 'date' | 'time' | 'number';
}

export const GENERAL: NumberFormat = Object.freeze({ code: 'General', write: 'General', kind: 'general' });

/**
 * Built-in formats Excel shows in the reader's own locale ("short date": 15/01/2024 in Brazil,
 * 1/15/2024 in the US): the file cannot say which, so they read as ISO dates, which no one misreads.
 */
const LOCAL_DATE = new Set([14, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
const LOCAL_DATE_TIME = 22;

/** Excel's own spelling of built-in formats 0-22 (the one ExcelJS's writer maps back to the same id). */
const BUILT_IN_SPELLING: Record<number, string> = { 14: 'mm-dd-yy', 22: 'm/d/yy "h":mm' };

/** Ids ECMA-376 defines the same in every locale (the others below 164 are the locale's, or unused). */
const isDefined = (id: number): boolean => (id >= 1 && id <= 22) || (id >= 37 && id <= 49);

function builtIn(id: number): NumberFormat {
  if (!isDefined(id) && !LOCAL_DATE.has(id)) return GENERAL;
  const code = LOCAL_DATE.has(id) ? 'yyyy-mm-dd' : id === LOCAL_DATE_TIME ? 'yyyy-mm-dd hh:mm' : getFormatFromId(id);
  const write = BUILT_IN_SPELLING[id] ?? (LOCAL_DATE.has(id) ? 'mm-dd-yy' : getFormatFromId(id));
  return make(code, write);
}

function make(code: string, write: string): NumberFormat {
  if (code === 'General' || !isValidFormat(code)) return GENERAL;
  // A text format (`@`) on a number shows the number as General does.
  if (isTextFormat(code)) return { code: 'General', write, kind: 'general' };
  if (!isDateFormat(code)) return { code, write, kind: 'number' };
  const { year, month, day } = getFormatDateInfo(code);
  return { code, write, kind: year || month || day ? 'date' : 'time' };
}

/**
 * Each cell style's number format (`cellXfs`, indexed by a cell's `s`), from `styles.xml`:
 * custom codes from `numFmts`, built-in ids (below 164) as Excel defines them.
 */
export function readStyles(xml: string): NumberFormat[] {
  const custom = new Map<number, string>();
  const styles: NumberFormat[] = [];
  let inCellXfs = false;
  parseXml(xml, {
    open(name, tag) {
      if (name === 'numFmt') {
        const id = Number(attribute(tag, 'numFmtId'));
        const code = attribute(tag, 'formatCode');
        if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
      } else if (name === 'cellXfs') {
        inCellXfs = true;
      } else if (name === 'xf' && inCellXfs) {
        const id = Number(attribute(tag, 'numFmtId') ?? 0);
        const code = custom.get(id);
        styles.push(code !== undefined ? make(code, code) : Number.isInteger(id) ? builtIn(id) : GENERAL);
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return styles;
}

/** Days between the 1900 and 1904 date systems: a 1904 workbook's serial plus this is the 1900 serial. */
export const DAYS_1904 = 1462;

/** A number as General shows it: up to 15 significant digits (Excel's precision), never a float's noise. */
export function generalText(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(15)));
}

/** A number's text as Excel shows it with `numberFormat` (a date's serial counted in the 1900 system). */
export function formatNumber(value: number, numberFormat: NumberFormat): string {
  if (numberFormat.kind === 'general') return generalText(value);
  try {
    // The spaces `_)` and `* ` leave for alignment are no part of what a person reads.
    return format(numberFormat.code, value, { throws: true, dateErrorThrows: true }).trim();
  } catch {
    // A date out of Excel's range, or a code numfmt cannot render: the number itself.
    return generalText(value);
  }
}
