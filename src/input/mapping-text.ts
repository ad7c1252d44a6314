import { describeColumns, otherCandidates } from './columns.js';
import type { Dialect } from './dialect.js';
import type { Shape } from './shape.js';
import { describeTabs } from './xlsx/sheets.js';

/** Which column became which field, and which other columns could have been one: said before anything is spent. */
export function mappingText(
  shape: Pick<Shape, 'header' | 'columns'> &
    Partial<Pick<Shape, 'headerLine' | 'headerRecord' | 'footerLines' | 'dialect' | 'hiddenRows'>>,
): string {
  const choices = otherCandidates(shape.header, shape.columns).map(
    ({ field, chosen, others }) =>
      `; ${field}: took ${JSON.stringify(chosen)} over ${others.map((o) => JSON.stringify(o)).join(', ')} (--map ${field}=Header to choose)`,
  );
  const preamble =
    (shape.headerRecord ?? 1) > 1
      ? `; the header is on line ${shape.headerLine}: the ${shape.headerLine! - 1} lines before it are not contacts and were skipped`
      : '';
  const footer = shape.footerLines
    ? `; the ${shape.footerLines} one-cell lines closing the file (a report's footer) are not contacts and were skipped`
    : '';
  return (
    describeColumns(shape.header, shape.columns) +
    choices.join('') +
    preamble +
    footer +
    sheetText(shape.dialect) +
    hiddenText(shape.hiddenRows)
  );
}

/** Rows hidden in the workbook, said before anything is spent: sent or not, a person who filtered the sheet must know. */
function hiddenText(hidden: Shape['hiddenRows']): string {
  if (!hidden?.rows) return '';
  const rows = hidden.rows === 1 ? '1 row is' : `${hidden.rows} rows are`;
  return hidden.sent
    ? `; ${rows} hidden in the workbook (filtered out, or hidden by hand) and sent (--hidden-rows send)`
    : `; ${rows} hidden in the workbook (filtered out, or hidden by hand): not sent, never charged (--hidden-rows send to send them)`;
}

/** Which sheet of a workbook was read: a workbook's first visible tab is not always the one its owner meant. */
function sheetText(dialect: Dialect | undefined): string {
  if (!dialect?.xlsx) return '';
  const { sheet, sheets = [] } = dialect.xlsx;
  return sheets.length > 1
    ? `; read sheet ${JSON.stringify(sheet)} of ${describeTabs(sheets)} (--sheet NAME for another)`
    : `; read sheet ${JSON.stringify(sheet)}`;
}
