import { DEFAULT_LANG, type Lang } from '../i18n/index.js';
import { writeFile } from 'node:fs/promises';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { said, type Logger } from '../log.js';
import type { EnrichConfig } from '../options/config.js';
import { checkPaths, runPaths, type RunPath } from '../options/paths.js';
import { AttentionList } from '../report/attention.js';
import { quotaResetOf } from './next-step.js';
import type { StopPlace } from './stop-facts.js';
import type { QuotaCheck } from './quota.js';
import type { RunSummary } from './run-summary.js';
import type { RunStats } from './stats.js';

/** What a run learns on its way that its summary and report show beside the counters. */
export interface RunFacts {
  /** The input as the report names it: its absolute path, or `stdin`. */
  inputId: string;
  /** The .xlsx sheet read, when the input's dialect names it. */
  sheet: string | null;
  /** Rows needing attention, added in input order as rows are written. */
  attention: AttentionList;
  quota: QuotaCheck | null;
  uncertainAllRuns: number | null;
  emptyFields: string[];
  redisWritesLost: number;
  /** Redis came back during the run without the runs' keys (see `RedisLink.cameBackEmpty`). */
  redisCameBackEmpty: boolean;
  /** The output file was written and renamed into place. */
  outputWritten: boolean;
}

export const newFacts = (inputId: string): RunFacts => ({
  inputId,
  sheet: null,
  attention: new AttentionList(),
  quota: null,
  uncertainAllRuns: null,
  emptyFields: [],
  redisWritesLost: 0,
  redisCameBackEmpty: false,
  outputWritten: false,
});

/** The run's summary: the JSON file's content, the text's and the report's numbers, and what to do next. */
export function runSummary(
  stats: RunStats,
  config: EnrichConfig,
  facts: RunFacts,
  place: StopPlace = 'cli',
): RunSummary {
  // What people read (why it stopped, what to do next) is in the run's language.
  return stats.summary(
    {
      output: config.output,
      outputWritten: facts.outputWritten,
      checkpoint: config.checkpoint,
      endpoint: config.endpoint,
      sheet: facts.sheet,
      uncertainAllRuns: facts.uncertainAllRuns,
      emptyFields: facts.emptyFields,
      redis: config.redis
        ? {
            at: config.redis.shown,
            prefix: config.redis.prefix,
            writesLost: facts.redisWritesLost,
            cameBackEmpty: facts.redisCameBackEmpty,
          }
        : null,
      report: config.reportPath ?? null,
      monthlyQuota: facts.quota,
      quotaResetsAt: quotaResetOf(stats.stop),
    },
    config.lang,
    place,
  );
}

/** The summary's JSON file; the output is already in place, so a failure here is named, not a crash. */
async function writeSummary(path: string, summary: RunSummary): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(summary, null, 2)}\n`);
  } catch (error) {
    throw new FluenceError(
      'SUMMARY_WRITE_FAILED',
      message('errors.summaryWriteFailed', { path, reason: (error as NodeJS.ErrnoException).code ?? 'error' }),
    );
  }
}

/** Where the summary and report go, and the command that reruns this one (for the report). */
export interface RecordTargets {
  summaryPath: string | undefined;
  reportPath: string | undefined;
  rerun: string;
  /** How the report names the input, when not by its path (the page's: the file the person uploaded, not its stored copy). */
  inputName?: string;
  /** Where the run's words are read: a page's run says its stop and next step in the page's terms, its report shows no exit code or command. */
  place?: StopPlace;
}

/** Writes the summary JSON and the HTML report where asked. */
export async function writeRunRecords(
  targets: RecordTargets,
  summary: RunSummary,
  stats: RunStats,
  facts: RunFacts,
  lang: Lang = DEFAULT_LANG,
): Promise<void> {
  if (targets.summaryPath) await writeSummary(targets.summaryPath, summary);
  if (targets.reportPath) {
    // Loaded only for a report: the charting library costs every other run ~0.4 s and ~18 MB to load.
    const { writeReport } = await import('../report/write.js');
    await writeReport(targets.reportPath, {
      summary,
      input: targets.inputName ?? facts.inputId,
      sheet: facts.sheet,
      timeline: stats.timeline,
      attention: facts.attention,
      creditsByStatus: stats.creditsByStatus,
      rerun: targets.rerun,
      writtenAt: new Date(),
      lang,
      place: targets.place,
    });
  }
}

/** Every other path as a name only: what a summary must not land on, whether or not it exists yet. */
const asName = (item: RunPath): RunPath => ({ ...item, use: 'lookup' });

/**
 * Whether the summary or report of a run that stopped on an error may be written at `target`:
 * only where the full check would have let it, against every other path the run names, one by
 * one (a clash between two others, the error being reported, is no reason to keep quiet; a clash
 * with the input or the output is: nothing is ever written over them).
 */
async function safeTarget(target: RunPath, others: readonly RunPath[]): Promise<boolean> {
  const passes = (items: RunPath[]): Promise<string | undefined> =>
    checkPaths(items).then(
      () => undefined,
      (error: unknown) => (error as FluenceError).code ?? 'error',
    );
  if ((await passes([target])) !== undefined) return false;
  for (const other of others) {
    // A folder where a file was expected (the error being reported) is no file to write over.
    const problem = await passes([asName(other), target]);
    if (problem !== undefined && problem !== 'PATH_IS_DIRECTORY') return false;
  }
  return true;
}

/** The key and any Redis password never reach a file, even inside an error's message. */
function secretFree(config: EnrichConfig, text: string): string {
  const password = config.redis ? decodeURIComponent(new URL(config.redis.url).password) : '';
  return [config.apiKey, password]
    .filter((secret) => secret.length >= 4)
    .reduce((out, secret) => out.split(secret).join('***'), text);
}

/**
 * A run that stopped on an error (a refused key, a missing column, Redis unreachable, a full disk)
 * still writes its `--summary` and `--report`, saying so: a nightly job's dashboard must not go on
 * showing last night's success. Written only where safe (see `safeTarget`); a failure to write
 * them is logged, never hides the error that stopped the run.
 */
export async function recordFailedRun(
  error: unknown,
  config: EnrichConfig,
  targets: RecordTargets,
  stats: RunStats,
  facts: RunFacts,
  logger: Logger,
): Promise<void> {
  if (!targets.summaryPath && !targets.reportPath) return;
  const coded = error instanceof FluenceError ? error : undefined;
  stats.fail(
    coded?.code ?? 'INTERNAL',
    // The summary's message is read by a person: in the run's language (its code is what scripts read).
    secretFree(
      config,
      coded?.textIn(config.lang, targets.place ?? 'cli') ?? String((error as Error)?.message ?? error),
    ),
    coded?.exitCode ?? 1,
  );
  const paths = runPaths(config, 'enrich');
  const isRecord = (item: RunPath): boolean => item.option === '--summary' || item.option === '--report';
  const others = paths.filter((item) => !isRecord(item));
  const safe = async (option: string, path: string | undefined): Promise<string | undefined> => {
    const target = paths.find((item) => item.option === option);
    return path &&
      target &&
      (await safeTarget(target, [...others, ...paths.filter((item) => isRecord(item) && item !== target)]))
      ? path
      : undefined;
  };
  const summary = runSummary(stats, config, facts, targets.place);
  const where = {
    summaryPath: await safe('--summary', targets.summaryPath),
    reportPath: await safe('--report', targets.reportPath),
    rerun: targets.rerun,
    ...(targets.inputName === undefined ? {} : { inputName: targets.inputName }),
    ...(targets.place ? { place: targets.place } : {}),
  };
  await writeRunRecords(where, summary, stats, facts, config.lang).catch((failure: unknown) => {
    const error = failure instanceof FluenceError ? failure.textIn(config.lang) : String((failure as Error)?.message);
    logger.warn(...said('cli.log.recordsFailed', { error }, { code: (failure as FluenceError).code }));
  });
}
