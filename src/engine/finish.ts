import { said, type Logger } from '../log.js';
import type { EnrichConfig } from '../options/config.js';
import { AtomicOutputWriter } from '../output/output.js';
import type { RedisTotals } from './redis-stage.js';
import { runSummary, writeRunRecords, type RecordTargets, type RunFacts } from './run-record.js';
import type { RunSummary } from './run-summary.js';
import type { RunStats } from './stats.js';

/** What the run's shared work says at the end (see `Sharing`). */
export interface SharingTotals {
  waitedSeconds: number;
  uncertainTotal: number | null;
}

/**
 * After the output is committed: the warnings only the whole output can give (cells cut to fit a
 * spreadsheet, --fields no answer had), then the summary and the report. Returns the summary.
 */
export async function finishRun(parts: {
  config: EnrichConfig;
  writer: AtomicOutputWriter;
  sharing: SharingTotals;
  redis: RedisTotals;
  othersRate: number;
  stats: RunStats;
  facts: RunFacts;
  targets: RecordTargets;
  logger: Logger;
}): Promise<RunSummary> {
  const { config, writer, stats, facts, logger } = parts;
  stats.waitedForOtherRunsSeconds = parts.sharing.waitedSeconds;
  stats.othersRate = Math.round(parts.othersRate);
  const shortened = writer.shortenedWarning;
  if (shortened) logger.warn(...said(shortened.key, shortened.params, { cells: writer.shortenedCells }));
  const emptyFields = writer.emptyFields;
  if (emptyFields.length > 0 && stats.byStatus.ok < AtomicOutputWriter.EMPTY_FIELDS_AFTER) {
    const values = { paths: emptyFields.join(', '), count: emptyFields.length };
    logger.warn(...said('cli.log.fieldsEmpty', values, { fields: emptyFields }));
  }
  facts.uncertainAllRuns = parts.sharing.uncertainTotal;
  facts.emptyFields = emptyFields;
  facts.redisWritesLost = parts.redis.writesLost;
  facts.redisCameBackEmpty = parts.redis.cameBackEmpty;
  const summary = runSummary(stats, config, facts, parts.targets.place);
  await writeRunRecords(parts.targets, summary, stats, facts, config.lang);
  return summary;
}
