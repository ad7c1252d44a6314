import { fromVerdicts } from '../contact/first-names.js';
import type { Contact } from '../contact/normalize.js';
import { reasonText } from '../contact/reason.js';
import type { Columns } from '../input/columns.js';
import type { Dialect } from '../input/dialect.js';
import { changeOf, snapshotOf } from '../input/file-guard.js';
import { readBatches, type InputRecord } from '../input/input.js';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { inputName } from '../input/stdin.js';
import { viewRow } from '../input/row-view.js';
import type { Shape } from '../input/shape.js';
import { said, type Logger } from '../log.js';
import type { EnrichConfig } from '../options/config.js';
import { AtomicOutputWriter, EXCEL, type OutputFormat, type OutputRow } from '../output/output.js';
import { AttentionList } from '../report/attention.js';
import type { Answer } from '../output/answer.js';
import { OrderedWindow } from './ordered-window.js';
import { Progress } from './progress.js';
import type { RunStats } from './stats.js';

/** Rows read ahead of the oldest unwritten one: bounds the queue and the reorder buffer. */
function windowSize(concurrency: number): number {
  return Math.max(256, concurrency * 2);
}

/** The input's own delimiter by default (UTF-8 out); Excel's dialect with --excel; JSON lines; or a workbook. */
function outputFormat(config: EnrichConfig, dialect: Dialect): OutputFormat {
  if (config.format === 'jsonl') return { kind: 'jsonl' };
  if (config.format === 'xlsx') return { kind: 'xlsx' };
  if (config.excel) return EXCEL;
  return { kind: 'csv', delimiter: dialect.delimiter, bom: false, eol: '\n' };
}

/** A row's contact as the file gave it (its cells, padded to the header), for the report's attention list. */
function namesOf(cells: readonly string[], columns: Columns): string {
  const company = cells[columns.empresa]!.trim();
  const person =
    columns.kind === 'full'
      ? cells[columns.nome_completo]!
      : `${cells[columns.primeiro_nome]} ${cells[columns.ultimo_nome]}`;
  return `${person.trim()}${company ? ` (${company})` : ''}`;
}

/** The second pass met a row the first did not count: the file changed in between. */
const moreRows = (input: string, counted: number, line: number): FluenceError =>
  new FluenceError(
    'INPUT_CHANGED',
    message('errors.inputChanged.moreRows', { name: inputName(input), line, counted }),
    { line },
  );

/** A file that changed once its rows were all read: the output is whole for what was checked, and says what it left out. */
async function warnIfChanged(
  snapshot: NonNullable<ReturnType<typeof snapshotOf>>,
  rows: number,
  logger: Logger,
): Promise<void> {
  const what = await changeOf(snapshot).catch(() => 'it can no longer be read');
  if (what === undefined) return;
  logger.warn(...said('cli.log.inputChanged', { input: inputName(snapshot.path), what, rows }, { inputChanged: what }));
}

/** A row on its way to the output, with its input line (for the attention list). */
interface Written {
  row: OutputRow;
  line: number;
}

export interface RowLoopParts {
  config: EnrichConfig;
  shape: Shape;
  /** A valid contact's answer: stored, shared or asked. */
  answerFor: (contact: Contact) => Answer | Promise<Answer>;
  stats: RunStats;
  /** Rows needing attention are noted here as they are written. */
  attention: AttentionList;
  /** In-flight cap the run may adapt to at most (sizes the reorder window). */
  maxConcurrency: number;
  logger: Logger;
  /** Told once the output is open (see `RunControl.onStarted`). */
  onStarted: (tempPath: string) => void;
  /** Called first when the loop fails: no new request may leave while the output is discarded. */
  onFailure: () => void;
}

/**
 * The rows, in input order: reads them in batches, skips what is not data (the header, any lines
 * before it, a report's footer), answers each through an ordered window (rows finish out of order,
 * are written in order), and commits the output. Returns the committed writer (its warnings are
 * the finish's) and the most rows held in memory at once. A failure discards the output.
 */
export async function rowLoop(parts: RowLoopParts): Promise<{ writer: AtomicOutputWriter; peak: number }> {
  const { config, shape, stats, logger } = parts;
  let progress: Progress | undefined;
  const writer = new AtomicOutputWriter(
    config.output,
    outputFormat(config, shape.dialect),
    config.fields,
    (paths, answers) => {
      const values = { paths: paths.join(', '), answers, count: paths.length };
      logger.warn(...said('cli.log.fieldsNone', values, { fields: paths }));
    },
  );
  try {
    await writer.open(shape.header);
    parts.onStarted(writer.tempPath);
    progress = new Progress(stats, shape.rows, config.progress, logger, config.lang);
    const width = shape.header.length;
    // The first pass's verdicts on first words: the gazetteer is never loaded here (a rerun reuses a pass).
    const names = shape.firstWords ? fromVerdicts(shape.firstWords) : undefined;
    const outputRow = (record: InputRecord): Written | Promise<Written> => {
      const { cells, contact, reason } = viewRow(record, width, shape.columns, names, shape.hiddenRows?.sent ?? true);
      const done = (answer: Answer): Written => {
        stats.count(answer.status, answer.credits);
        return { row: { cells, answer, numbers: record.numbers }, line: record.line };
      };
      if (reason !== undefined)
        return done({
          status: 'invalid_input',
          httpStatus: undefined,
          credits: 0,
          // Put in words here, in the run's language: a rerun in another language writes its own.
          error: reasonText(reason, config.lang),
          analiseJson: '',
        });
      const answer = parts.answerFor(contact);
      return answer instanceof Promise ? answer.then(done) : done(answer);
    };
    // Rows needing attention are noted as they are written: in input order, the first ones kept.
    const write = ({ row, line }: Written): Promise<void> | undefined => {
      if (AttentionList.wants(row.answer.status))
        parts.attention.add({
          line,
          status: row.answer.status,
          names: namesOf(row.cells, shape.columns),
          error: row.answer.error,
        });
      return writer.write(row);
    };
    const window = new OrderedWindow<Written>(windowSize(parts.maxConcurrency), write);
    // The header, any lines before it (a preamble) and a report's footer are not data.
    const skipThrough = shape.hasHeader ? shape.headerRecord : 0;
    // No byte past what the first pass read, no row past those it judged: a file still being written is never paid for.
    const bounds = { snapshot: snapshotOf(config), pass: 'rows' } as const;
    let rows = 0;
    for await (const batch of readBatches(config.input, shape.dialect, bounds)) {
      for (const record of batch) {
        if (record.record <= skipThrough || record.record > shape.tableEnd) continue;
        rows += 1;
        if (rows > shape.rows) throw moreRows(config.input, shape.rows, record.line);
        const wait = window.push(outputRow(record));
        if (wait) await wait;
      }
    }
    await window.drain();
    if (bounds.snapshot) await warnIfChanged(bounds.snapshot, shape.rows, logger);
    progress.stop();
    await writer.commit();
    return { writer, peak: window.peak };
  } catch (error) {
    parts.onFailure();
    progress?.stop();
    await writer.discard();
    throw error;
  }
}
