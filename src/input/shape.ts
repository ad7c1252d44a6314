import { recording, type FirstNames, type FirstWordVerdicts } from '../contact/first-names.js';
import { loadFirstNames } from './first-names-file.js';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import type { Columns } from './columns.js';
import { detectDialect, type Dialect } from './dialect.js';
import { inputError, inUserTerms, readBatches } from './input.js';
import { checkUnchanged, snapshotOf, takeSnapshot } from './file-guard.js';
import { readingStopped } from './interrupt.js';
import { withMappingHint } from './mapping-hint.js';
import type { RowView } from './row-view.js';
import { boundedMessage, checkFullNames, withSheetHint } from './scan-errors.js';
import {
  checkRecord,
  countRow,
  findHeader,
  footerRows,
  holdFooter,
  initScanState,
  seeRow,
  showHeld,
  type ScanOptions,
  type ScanState,
} from './scan-state.js';
import { inputName } from './stdin.js';

/** What the first pass learns about a file. */
export interface Shape {
  dialect: Dialect;
  header: string[];
  columns: Columns;
  /** False with --no-header: the first record is data and the header is made up. */
  hasHeader: boolean;
  /** Which record is the header (1 unless lines came before it, as LinkedIn's notes): records up to it are not data. */
  headerRecord: number;
  /** The line the header is on (1 unless something came before it). */
  headerLine: number;
  /** The last record of the table: records after it are a footer (Salesforce's totals and copyright lines), not data. */
  tableEnd: number;
  /** Lines of that footer. */
  footerLines: number;
  rows: number;
  valid: number;
  /** Data rows hidden in the workbook (by hand or by a filter), and whether they are sent (`--hidden-rows send`) or not. */
  hiddenRows?: { rows: number; sent: boolean };
  /** The first words this pass called words and names (`fromVerdicts`): later passes judge alike without the gazetteer. */
  firstWords?: FirstWordVerdicts;
}

/**
 * First pass: dialect, header, where the contact fields are, how many rows and how many are
 * valid (each row also shown to `visit`). A malformed file stops here with its line number,
 * before anything is spent.
 */
export async function scan(config: ScanOptions, visit?: (row: RowView) => void, judge?: FirstNames): Promise<Shape> {
  try {
    return await scanFile(config, visit, judge);
  } catch (error) {
    const said = error instanceof FluenceError ? inUserTerms(error, config.input) : error;
    throw boundedMessage(await withSheetHint(said, config));
  }
}

/** The loop reads like the grammar: a preamble, the header, rows (checked, counted, shown), a footer held back. */
async function scanFile(config: ScanOptions, visit?: (row: RowView) => void, judge?: FirstNames): Promise<Shape> {
  // The run's snapshot when there is one (see engine/input-file.ts); else one of the scan's own.
  const snapshot = snapshotOf(config) ?? (await takeSnapshot(config.input));
  const dialect = await detectDialect(config.input, {
    encoding: config.encoding,
    delimiter: config.delimiter,
    sheet: config.sheet,
  }).catch((error: unknown) => {
    throw inputError(error, config.input, 0);
  });
  // The workbook reader is loaded only for a workbook (see readBatches).
  if (dialect.xlsx) await (await import('./xlsx.js')).checkXlsxMemory(config.input);
  // Loaded here, by the pass that judges names, and only by it: a rerun reuses this pass's verdicts.
  // `judge` (the engine's, from verdicts a cache kept) loads the list only for a word it has not seen.
  const firstNames = recording(judge ?? (await loadFirstNames()));
  const state = initScanState();
  const sendHidden = config.hiddenRows === 'send';
  const show = (row: RowView): void => {
    seeRow(state, row);
    visit?.(row);
  };
  const bounds = { snapshot, pass: 'first pass', signal: readingStopped } as const;
  for await (const batch of readBatches(config.input, dialect, bounds)) {
    for (const record of batch) {
      if (!state.table && findHeader(state, record, config, firstNames)) continue;
      checkRecord(state.table!, record, config);
      const row = countRow(state, state.table!, record, dialect, firstNames, sendHidden);
      holdFooter(state, record, row, show);
    }
  }
  // A change after the last bytes were read (the read stops at the snapshot's size).
  await checkUnchanged(snapshot, 'first pass');
  return endScan(state, config, dialect, show, { firstNames, sendHidden });
}

/** After the last record: no header is an error; a footer is left out; the columns' verdicts are given. */
function endScan(
  state: ScanState,
  config: ScanOptions,
  dialect: Dialect,
  show: (row: RowView) => void,
  { firstNames, sendHidden }: { firstNames: FirstNames & { verdicts(): FirstWordVerdicts }; sendHidden: boolean },
): Shape {
  const { table, notHeader, tried } = state;
  if (notHeader !== undefined && !table)
    throw withMappingHint(notHeader, tried[0], tried.slice(1), firstNames, config.map);
  if (!table) throw new FluenceError('INPUT_EMPTY', message('errors.inputEmpty', { name: inputName(config.input) }));
  const { header, columns } = table;
  // A few one-cell lines closing the file, after real rows, are a report's footer: not contacts.
  const footer = footerRows(state);
  if (footer === 0) showHeld(state, show);
  // Values against the columns a rule chose, then the single-word test of a guessed full name (a rival person column says more).
  table.check.verdict();
  if (columns.kind === 'full' && columns.guessed) checkFullNames(header, columns.nome_completo, state.names);
  const tableEnd = footer > 0 ? state.heldAfter : Number.MAX_SAFE_INTEGER;
  return {
    dialect,
    header,
    columns,
    hasHeader: !config.noHeader,
    headerRecord: table.at.record,
    headerLine: table.at.line,
    tableEnd,
    footerLines: footer,
    rows: state.rows - footer,
    valid: state.valid,
    ...(dialect.xlsx ? { hiddenRows: { rows: state.hidden, sent: sendHidden } } : {}),
    firstWords: firstNames.verdicts(),
  };
}
