import type { Contact } from '../contact/normalize.js';
import { invalidReason } from '../contact/validate.js';
import { contactDoubts, doubtReason, firmOwner, type Doubts } from '../contact/plausible.js';
import { reason, type Reason } from '../contact/reason.js';
import type { FirstNames } from '../contact/first-names.js';
import type { FullName } from '../contact/full-name.js';
import { fieldColumns, readFullName, readNameParts, type Columns } from './columns.js';
import type { InputRecord } from './input.js';

/** Why a row hidden in the workbook is not sent: whoever filtered the sheet meant the rows they see. */
export const HIDDEN_ROW: Reason = reason('rows.hidden');

/** One data row as the rules see it: the contact, padded cells, and why it cannot be sent (if so). */
export interface RowView {
  /** The line the row starts on. */
  line: number;
  /** Its number as a spreadsheet shows it: a CSV's record (a notes cell with a line break is one row), a workbook's row. */
  sheetRow?: number;
  cells: string[];
  contact: Contact;
  /** Why it is not sent, as data: put in words (`reasonText`) in the reader's language where it is shown. */
  reason: Reason | undefined;
  /** What in the contact is not a person or a company, when the API would take it (the first pass's column check reads them too). */
  doubts?: Doubts;
}

/** The name's cells read as a name: a full name split, first and last names cleaned (see `readNameParts`). */
function readName(cells: readonly string[], columns: Columns): FullName {
  if (columns.kind === 'split')
    return readNameParts(cells[columns.primeiro_nome] ?? '', cells[columns.ultimo_nome] ?? '');
  return readFullName(cells[columns.nome_completo] ?? '');
}

export function toContact(cells: readonly string[], columns: Columns): Contact {
  const { firstName, lastName } = readName(cells, columns);
  return { firstName, lastName, company: cells[columns.empresa] ?? '' };
}

/**
 * A data row, padded to the header: invalid when it has more fields than the header (the extra
 * values go into the reason, so nothing is lost), when its contact cannot be sent (the API's own
 * rule, `invalidReason`), or when it is not a person at a company (`contactDoubt`: an id, an
 * email, digits, the company again), whoever chose its columns. A row hidden in a workbook is
 * not sent unless `sendHidden` (`--hidden-rows send`).
 */
export function viewRow(
  record: InputRecord,
  width: number,
  columns: Columns,
  names?: FirstNames,
  sendHidden = true,
): RowView {
  const view = judgeRow(record, width, columns, names);
  // Judged all the same: a hidden row's values still count in its columns' verdict.
  return record.hidden && !sendHidden ? { ...view, reason: HIDDEN_ROW } : view;
}

function judgeRow(record: InputRecord, width: number, columns: Columns, names?: FirstNames): RowView {
  // Most rows fit the header as they are: no copy.
  const cells = record.cells.length === width ? record.cells : record.cells.slice(0, width);
  while (cells.length < width) cells.push('');
  // A name says why it gives none (a comma that is not "Last, First", only a title).
  const full = readName(cells, columns);
  const written: Contact = {
    firstName: full.firstName,
    lastName: full.lastName,
    company: cells[columns.empresa] ?? '',
  };
  // A one-person firm typed as the firm in both columns: its owner is the person sent.
  const contact = firmOwner(written, names) ?? written;
  const extra = record.cells.length - width;
  if (extra > 0) {
    return {
      line: record.line,
      cells,
      contact,
      reason: reason('rows.moreFields', {
        line: record.line,
        fields: record.cells.length,
        width,
        extra: record.cells
          .slice(width)
          .map((v) => JSON.stringify(v))
          .join(', '),
      }),
    };
  }
  const refused = (record.problems && cellProblem(record.problems, columns)) ?? full.problem ?? invalidReason(contact);
  if (refused !== undefined) return { line: record.line, cells, contact, reason: refused };
  const doubts = contactDoubts(contact, names);
  return {
    line: record.line,
    cells,
    contact,
    reason: doubtReason(doubts, columns.kind === 'full' ? 'nome_completo' : undefined),
    doubts,
  };
}

/**
 * An error in a workbook cell the contact is made of (`#N/A` from a lookup that failed, `#REF!`):
 * its text is no name, so the row is never sent. Errors in other columns are kept as their text.
 */
function cellProblem(problems: NonNullable<InputRecord['problems']>, columns: Columns): Reason | undefined {
  for (const [field, column] of fieldColumns(columns)) {
    const problem = problems.find((p) => p.column === column);
    if (problem) return reason('rows.cellError', { field, cell: problem.cell, problem: problem.problem });
  }
  return undefined;
}
