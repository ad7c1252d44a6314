import { FluenceError } from '../errors.js';
import { message, type Message } from '../i18n/message.js';
import type { InputRecord } from './input.js';
import { inputName } from './stdin.js';
import { GENERAL, readStyles } from './xlsx/formats.js';
import { HEAP_PER_SHARED_STRING_BYTE, LIMITS, sharedStringsBudget } from './xlsx/limits.js';
import { cellTooLarge, malformed, notUtf8, rowTooLarge, tableTooLarge } from './xlsx/refusals.js';
import { readSharedStrings } from './xlsx/shared-strings.js';
import type { CellContext } from './xlsx/cells.js';
import { readSheetRows, type SheetErrors, type SheetRow } from './xlsx/sheet-reader.js';
import { chooseSheet } from './xlsx/sheets.js';
import {
  entryStream,
  notAWorkbook,
  openZip,
  partText,
  readWorkbook,
  type SheetTab,
  type Workbook,
} from './xlsx/workbook.js';

/** Which sheet of a workbook is read, and the tabs it has (in the order Excel shows them). */
export interface XlsxSheets {
  /** The sheet read: `--sheet` as the workbook spells it, else the first visible tab. */
  sheet: string;
  sheets: Array<Pick<SheetTab, 'name' | 'state'>>;
}

async function open(path: string): Promise<Workbook> {
  return readWorkbook(path, await openZip(path));
}

/** The sheet a run reads (`requested` or the first visible tab), before anything is read or spent. */
export async function xlsxSheets(path: string, requested: string | undefined): Promise<XlsxSheets> {
  const { tabs } = await open(path);
  const tab = chooseSheet(tabs, requested, inputName(path));
  return { sheet: tab.name, sheets: tabs.map(({ name, state }) => ({ name, state })) };
}

/**
 * Refuses, before anything is read or spent, a workbook whose text table would not fit in the
 * memory this process has left, by the size the zip's directory gives (the reading counts what
 * is actually inflated: a directory may lie).
 */
export async function checkXlsxMemory(path: string): Promise<void> {
  const { sharedStrings } = await open(path);
  const size = sharedStrings?.uncompressedSize ?? 0;
  const budget = sharedStringsBudget();
  if (size <= budget.bytes) return;
  throw tableTooLarge(
    path,
    sharedStrings!.path,
    { bytes: size, inflated: false, claimed: size },
    { needed: size * HEAP_PER_SHARED_STRING_BYTE, free: budget.free, limit: budget.limit },
  );
}

/** What stops the reading of `sheet`, each error naming the file and the sheet. */
function sheetErrors(path: string, sheet: string): SheetErrors {
  const place = (at: string, line: number | string, end: string, detail: string | Message = ''): Message =>
    message('errors.part.sheetPlace', { sheet: JSON.stringify(sheet), at, line, end, detail });
  const after = (line: number): string => (line === 0 ? 'before' : 'after');
  return {
    uncomputed: uncomputed(path, sheet),
    malformed: (what) => malformed(path, place('sheet', '', 'colon', what)),
    notUtf8: (line, inRow) => notUtf8(path, place(inRow ? 'row' : after(line), line, 'comma')),
    cellTooLarge: (ref) => cellTooLarge(path, place('cell', ref, 'comma')),
    rowTooLarge: (line) => rowTooLarge(path, place('row', line, 'none')),
    gap: (line, ref) =>
      ref === undefined
        ? malformed(
            path,
            place(
              'sheet',
              '',
              'colon',
              message('errors.xlsxMalformed.gap', { at: after(line), line, gap: LIMITS.gap }),
            ),
          )
        : cellTooLarge(path, place('cell', ref, 'comma')),
  };
}

/** Why a formula saved without its result stops the run: nothing says what Excel would show. */
function uncomputed(path: string, sheet: string) {
  return (ref: string, formula: string, placeholder: boolean): FluenceError => {
    return new FluenceError(
      'XLSX_FORMULA_NOT_COMPUTED',
      message('errors.xlsxFormulaNotComputed', {
        name: inputName(path),
        sheet: JSON.stringify(sheet),
        ref,
        formula: formula.length > 60 ? `${formula.slice(0, 60)}…` : formula,
        shown: formula === '' ? 'no' : 'yes',
        placeholder: placeholder ? 'yes' : 'no',
      }),
    );
  };
}

/**
 * What the cells of every sheet refer to: the workbook's texts and number formats, read first
 * (the shared-strings table is all that stays in memory; a sheet's XML is read as a stream).
 */
async function cellContext(workbook: Workbook): Promise<CellContext> {
  const styles = workbook.styles ? readStyles(await partText(workbook.path, workbook.styles)) : [GENERAL];
  const sharedStrings = await readSharedStrings(workbook.path, workbook.sharedStrings);
  return { sharedStrings, styles, date1904: workbook.date1904, recalcOnOpen: workbook.recalcOnOpen };
}

async function* sheetRows(
  path: string,
  workbook: Workbook,
  tab: SheetTab,
  context: CellContext,
): AsyncGenerator<SheetRow[]> {
  const file = workbook.zip.files.find((f) => f.path === tab.part)!;
  const xml = await entryStream(path, file);
  try {
    yield* readSheetRows(xml, context, sheetErrors(path, tab.name));
  } finally {
    // A sheet left before its end (a probe reads a few rows) closes its file.
    xml.destroy();
  }
}

/**
 * The records of one sheet of an .xlsx file (`sheet`, as `xlsxSheets` chose it): cells as the
 * text a person sees in them, `line` the spreadsheet's row number, `numbers` the cells that held
 * numbers (with their format), `problems` the cells that hold an error. Rows with nothing in them
 * are not records, as blank lines are not in a CSV.
 */
export async function* readXlsxBatches(path: string, sheet: string): AsyncGenerator<InputRecord[]> {
  let record = 0;
  try {
    const workbook = await open(path);
    const tab = chooseSheet(workbook.tabs, sheet, inputName(path));
    for await (const rows of sheetRows(path, workbook, tab, await cellContext(workbook))) {
      yield rows.map((row): InputRecord => {
        record += 1;
        const out: InputRecord = { cells: row.cells, record, line: row.line };
        if (row.hidden) out.hidden = true;
        if (row.numbers) out.numbers = row.numbers;
        if (row.problems) out.problems = row.problems;
        return out;
      });
    }
  } catch (error) {
    if (error instanceof FluenceError) throw error;
    throw notAWorkbook(path, error);
  }
}

/**
 * The other worksheets whose first `records` rows hold a header `isHeader` accepts: where the
 * contacts are when the sheet read is a cover page.
 */
export async function sheetsWithHeader(
  path: string,
  read: string,
  records: number,
  isHeader: (cells: string[]) => boolean,
): Promise<string[]> {
  const workbook = await open(path);
  const context = await cellContext(workbook);
  const found: string[] = [];
  for (const tab of workbook.tabs) {
    if (tab.kind !== 'worksheet' || tab.name === read) continue;
    try {
      let seen = 0;
      search: for await (const rows of sheetRows(path, workbook, tab, context)) {
        for (const row of rows) {
          if (isHeader(row.cells)) {
            found.push(tab.name);
            break search;
          }
          if (++seen >= records) break search;
        }
      }
    } catch {
      // A sheet that cannot be read is not the one to suggest.
    }
  }
  return found;
}
