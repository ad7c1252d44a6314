import { pageRunOf } from './answer-source.js';
import { randomUUID } from 'node:crypto';
import { ApiClient } from '../api/client.js';
import type { FluenceError } from '../errors.js';
import type { Logger } from '../log.js';
import { message } from '../i18n/index.js';
import { openSharing } from '../sharing/open-sharing.js';
import type { Lookup } from '../sharing/types.js';
import type { Shape } from '../input/shape.js';
import type { RateLimiter } from '../rate/limiter.js';
import type { RateShare } from '../rate/share.js';
import { answerStage, type AnswerStageParts } from './answer-stage.js';
import { adaptConcurrency } from './adapt-concurrency.js';
import { Budget } from './budget.js';
import { Closers } from './closers.js';
import type { EnrichConfig } from '../options/config.js';
import { finishRun } from './finish.js';
import { inputId, onInputFile } from './input-file.js';
import { shellWord } from '../input/shell-word.js';
import { reusable } from './reuse.js';
import { openInput } from './open-input.js';
import { checkPaths, runPaths } from '../options/paths.js';
import { openLimiter } from './open-limiter.js';
import { OutputLock } from '../output/output-lock.js';
import { MAX_CONCURRENCY, concurrencyFor, planRun, type PlanCounts, type RunPlan } from './plan.js';
import { bucketPlace, connectRedis, redisTotals, watchRedis } from './redis-stage.js';
import { rowLoop } from './row-loop.js';
import { newFacts, recordFailedRun, type RecordTargets, type RunFacts } from './run-record.js';
import type { RunSummary } from './run-summary.js';
import { RunStats } from './stats.js';
import { watchProgress, type ProgressSnapshot } from './progress.js';
import { StopControl } from './stop-control.js';
import type { StopPlace } from './stop-facts.js';

export { concurrencyFor } from './plan.js';
export { shellWord } from '../input/shell-word.js';
export type { ProgressSnapshot } from './progress.js';

export interface RunResult {
  exitCode: number;
  /** What the run did and cost: the `--summary` file's content. */
  summary: RunSummary;
  /** Set when the run stopped on something fatal mid-way (the output still holds every row). */
  error: FluenceError | undefined;
}

/** How a caller stops and watches a run: the library's `RunControl` (src/index.ts) and the engine's share it. */
export interface RunWatch {
  /** Aborting it stops the run gracefully: no new requests, in-flight ones finish, the rest `pending`. */
  signal?: AbortSignal;
  /**
   * The run's progress (its own counters, `progressSnapshot`): once when the rows start, every
   * half second, and once when they end. A watcher (the web page) throttles as it likes. @default none
   */
  onProgress?: (snapshot: ProgressSnapshot) => void;
}

export interface RunControl extends RunWatch {
  logger: Logger;
  /** Told once the run is under way: its temporary output (a hard exit removes it) and how many requests are in flight. */
  onStarted?: (run: { tempPath: string; inFlight: () => number }) => void;
  /** The command that reruns this one, for the report (the CLI gives what was typed, secrets masked). */
  command?: string;
  /**
   * The id this run's requests are saved under in the store (the page's: `<its run>/<uuid>`); a new
   * UUID when not given. Attempts whose ids share `<its run>/` are one run: an answer an earlier one
   * bought counts as the run's spending (`creditsEarlierAttempts`), not as credits saved.
   */
  runId?: string;
  /** How the report names the input, when not by its path: the page gives the uploaded file's own name. */
  inputName?: string;
}

/**
 * Where the run's words are read: the web page saves each attempt of its runs as `<its run>/<uuid>`
 * (`runId`, see `sameRun`), so a run with such an id is the page's; the CLI's is a bare UUID.
 */
const placeOf = (control: RunControl): StopPlace => (pageRunOf(control.runId) ? 'page' : 'cli');

/**
 * Enriches one CSV file (or standard input) end to end. The CLI's `enrich` is a thin layer over
 * this. A run that stops on an error still writes its summary and report, saying so.
 */
export async function runEnrich(given: EnrichConfig, control: RunControl): Promise<RunResult> {
  const stats = new RunStats();
  const facts = newFacts(inputId(given));
  const targets: RecordTargets = {
    summaryPath: given.summaryPath,
    reportPath: given.reportPath,
    rerun: control.command ?? `fluence-enrich enrich ${shellWord(given.input)} -o ${shellWord(given.output)}`,
    ...(control.inputName === undefined ? {} : { inputName: control.inputName }),
    place: placeOf(control),
  };
  let lock: OutputLock | undefined;
  try {
    // Every path first: a run that cannot write its output or summary must not spend anything.
    await checkPaths(runPaths(given, 'enrich'));
    // Then the output itself, before any request: two runs writing one output each rename their
    // file over the other's, and the survivor counts only its own run's credits.
    lock = await OutputLock.acquire(given.output);
    return await onInputFile(given, (config) => runEnrichFile(config, control, stats, facts, targets));
  } catch (error) {
    await recordFailedRun(error, given, targets, stats, facts, control.logger);
    throw error;
  } finally {
    lock?.release();
  }
}

/** One socket per request the limiter may let through (agents open them only as needed). */
function openClient(config: EnrichConfig, closers: Closers): ApiClient {
  const { baseUrl, apiKey, timeoutMs, maxBodyBytes } = config;
  const client = new ApiClient({
    baseUrl,
    apiKey,
    maxSockets: config.concurrency ?? MAX_CONCURRENCY,
    timeoutMs,
    maxBodyBytes,
  });
  closers.push(message('cli.closing.apiClient'), () => client.close());
  return client;
}

/**
 * The run as its stages: the first pass (what the file holds, what is already answered), the
 * plan (account, rate, quota), the answer source, the row loop, the finish. Everything opened on
 * the way is closed in reverse order, whatever happens.
 */
async function runEnrichFile(
  config: EnrichConfig,
  control: RunControl,
  stats: RunStats,
  facts: RunFacts,
  targets: RecordTargets,
): Promise<RunResult> {
  const { logger } = control;
  const startedAt = Date.now();
  const runId = control.runId ?? randomUUID();
  /** Whether a stored answer serves this run instead of a request. */
  const serves = (known: Lookup) => reusable(known, config, startedAt, runId);
  const { store, shape, distinct, toAsk } = await openInput(config, startedAt, stats, facts, logger);

  const closers = new Closers(logger);
  closers.push(message('cli.closing.checkpoint'), () => store.checkpoint.close());
  const client = openClient(config, closers);
  // Refusals for the account's credits come through the budget: they stop the run as a 402 would.
  const budget = new Budget(config.maxCredits, () => ({ left: stats.creditsLeft, maybeUsed: stats.creditsMaybeUsed }));
  const stopping = new StopControl(stats, budget, logger, config.lang);
  try {
    const redis = await connectRedis(config, closers, logger);
    const sharing = openSharing(store, { runId, reusable: serves }, redis?.answers);
    closers.push(message('cli.closing.sharing'), () => sharing.leave());
    const counts = { rows: shape.rows, valid: shape.valid, distinct, toAsk };
    const rate = await rateStage({ config, client, stats, facts, closers, logger }, counts, redis);
    stopping.inFlight = () => rate.limiter.running;
    if (redis) watchRedis(redis.link, config, stopping, logger);
    const unlisten = stopping.listen(control.signal);

    await sharing.join();
    const unwatch = watchProgress(stats, shape.rows, control.onProgress);
    closers.push(message('cli.closing.watcher'), unwatch);
    const parts = { config, client, ...rate, sharing, budget, stats, logger, stopping, runId, startedAt, serves };
    const writer = await rowStage(parts, { shape, facts, control });
    unlisten();
    const summary = await finishRun({
      config,
      writer,
      sharing,
      redis: redisTotals(redis),
      othersRate: rate.share.othersRate,
      stats,
      facts,
      targets,
      logger,
    });
    return { exitCode: stats.exitCode(), summary, error: stopping.fatal };
  } catch (error) {
    // No new request after a failure; rows waiting for a token or a retry give up.
    stopping.halt();
    throw error;
  } finally {
    await closers.closeAll();
  }
}

/** What the rate stage reads and records. */
interface RateStageParts {
  config: EnrichConfig;
  client: ApiClient;
  stats: RunStats;
  facts: RunFacts;
  closers: Closers;
  logger: Logger;
}

/**
 * The plan (account, rate, burst, quota) and the limiter on its bucket, shared in Redis with
 * `--redis`; the in-flight cap follows latency unless `--concurrency` set it.
 */
async function rateStage(
  { config, client, stats, facts, closers, logger }: RateStageParts,
  counts: PlanCounts,
  redis: Awaited<ReturnType<typeof connectRedis>>,
): Promise<{ plan: RunPlan; limiter: RateLimiter; share: RateShare }> {
  const plan = await planRun(client, config, counts, logger);
  stats.creditsLeft = plan.account.creditsLeft;
  facts.quota = plan.quota;
  const { limiter, share } = await openLimiter(plan, redis && bucketPlace(redis.link, config), closers, logger);
  stats.planRate = plan.rate;
  if (config.concurrency === undefined)
    closers.push(message('cli.closing.concurrencyTimer'), adaptConcurrency(limiter, stats, plan.rate));
  return { plan, limiter, share };
}

/** The answer stage and the row loop over it: every row read, answered in order, written. */
async function rowStage(
  parts: AnswerStageParts & { plan: RunPlan },
  { shape, facts, control }: { shape: Shape; facts: RunFacts; control: RunControl },
): Promise<Awaited<ReturnType<typeof rowLoop>>['writer']> {
  const { config, stats, logger, limiter, stopping, plan } = parts;
  const answers = answerStage(parts);
  const { writer, peak } = await rowLoop({
    config,
    shape,
    stats,
    logger,
    attention: facts.attention,
    answerFor: (contact) => answers.answerFor(contact),
    // Sized for the largest in-flight cap the run may adapt to.
    maxConcurrency: config.concurrency ?? concurrencyFor(plan.rate, 4000),
    onStarted: (tempPath) => control.onStarted?.({ tempPath, inFlight: () => limiter.running }),
    onFailure: () => stopping.halt(),
  });
  stats.peakRowsInMemory = peak;
  facts.outputWritten = true;
  return writer;
}
