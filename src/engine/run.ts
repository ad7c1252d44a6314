import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ApiClient } from '../api/client.js';
import { ENDPOINT_COST, monthlyQuotaOf } from '../api/plans.js';
import { readTierTable } from '../api/tiers.js';
import { FluenceError, type ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import { openSharing } from '../sharing/open-sharing.js';
import type { Sharing } from '../sharing/sharing.js';
import type { Lookup } from '../sharing/types.js';
import { RedisKeys } from '../sharing/redis/keys.js';
import { RedisLink } from '../redis/link.js';
import { sayRedisBack, warnRedisRisks } from '../redis/health.js';
import type { Answer } from './answer.js';
import { AnswerSource } from './answer-source.js';
import { Budget, contactsCovered } from './budget.js';
import type { EnrichConfig } from '../options/config.js';
import { readBatches, type InputRecord } from '../input/input.js';
import { reusable, reuseRule } from './reuse.js';
import { mappingText, viewRow } from '../input/shape.js';
import { firstPass } from './first-pass.js';
import type { Columns } from '../input/columns.js';
import { checkPaths, runPaths } from '../options/paths.js';
import { spoolStdin } from '../input/stdin.js';
import { RateLimiter } from '../rate/limiter.js';
import { RateShare, sharedBucketReserve } from '../rate/share.js';
import { OrderedWindow } from './ordered-window.js';
import { AtomicOutputWriter, EXCEL, type OutputFormat, type OutputRow } from '../output/output.js';
import { OutputLock } from '../output/output-lock.js';
import { checkSheetRows } from '../output/xlsx-sheet.js';
import { AttentionList } from '../report/attention.js';
import { quotaCheck, quotaText } from './quota.js';
import { newFacts, recordFailedRun, runSummary, writeRunRecords, type RecordTargets, type RunFacts } from './run-record.js';
import type { Dialect } from '../input/dialect.js';
import { checkAccount } from './preflight.js';
import { Progress } from './progress.js';
import { ask, type RequesterDeps } from './requester.js';
import { RunStats, type StopReason } from './stats.js';

export interface RunResult {
  exitCode: number;
  summary: Record<string, unknown>;
  /** Set when the run stopped on something fatal mid-way (the output still holds every row). */
  error: FluenceError | undefined;
}

export interface RunControl {
  logger: Logger;
  /** Aborting it stops the run gracefully: no new requests, in-flight ones finish, the rest `pending`. */
  signal?: AbortSignal;
  /** Told once the run is under way: its temporary output (a hard exit removes it) and how many requests are in flight. */
  onStarted?: (run: { tempPath: string; inFlight: () => number }) => void;
  /** The command that reruns this one, for the report (the CLI gives what was typed, secrets masked). */
  command?: string;
}

/** Rows read ahead of the oldest unwritten one: bounds the queue and the reorder buffer. */
function windowSize(concurrency: number): number {
  return Math.max(256, concurrency * 2);
}

/** Longest the in-flight cap may grow to when answers are slow. */
const MAX_CONCURRENCY = 4000;

/**
 * In flight = rate x latency keeps the rate full (Little's law); size for the slowest answer
 * seen lately, with a margin, so slow calls never starve the limiter and fast ones hold few sockets.
 */
export function concurrencyFor(rate: number, slowestMs: number): number {
  return Math.min(MAX_CONCURRENCY, Math.max(8, Math.ceil((rate * slowestMs * 1.25) / 1000) + 8));
}

/** The input's own delimiter by default (UTF-8 out); Excel's dialect with --excel; JSON lines; or a workbook. */
function outputFormat(config: EnrichConfig, dialect: Dialect): OutputFormat {
  if (config.format === 'jsonl') return { kind: 'jsonl' };
  if (config.format === 'xlsx') return { kind: 'xlsx' };
  if (config.excel) return EXCEL;
  return { kind: 'csv', delimiter: dialect.delimiter, bom: false, eol: '\n' };
}

/** The same config reading `input` from another path (the key stays non-enumerable). */
function withInput(config: EnrichConfig, input: string): EnrichConfig {
  const copy = { ...config, input };
  Object.defineProperty(copy, 'apiKey', { value: config.apiKey, enumerable: false });
  return Object.freeze(copy);
}

/** A row's contact as the file gave it (its cells, padded to the header), for the report's attention list. */
function namesOf(cells: readonly string[], columns: Columns): string {
  const company = cells[columns.empresa]!.trim();
  const person = columns.kind === 'full' ? cells[columns.nome_completo]! : `${cells[columns.primeiro_nome]} ${cells[columns.ultimo_nome]}`;
  return `${person.trim()}${company ? ` (${company})` : ''}`;
}

/** A row on its way to the output, with its input line (for the attention list). */
interface Written {
  row: OutputRow;
  line: number;
}

/** A path as one shell word. */
export const shellWord = (text: string): string => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/**
 * Enriches one CSV file (or standard input) end to end. The CLI's `enrich` is a thin layer over
 * this. A run that stops on an error still writes its summary and report, saying so.
 */
export async function runEnrich(given: EnrichConfig, control: RunControl): Promise<RunResult> {
  const stats = new RunStats();
  const facts = newFacts(given.input === '-' ? 'stdin' : resolve(given.input));
  const targets: RecordTargets = {
    summaryPath: given.summaryPath,
    reportPath: given.reportPath,
    rerun: control.command ?? `fluence-enrich enrich ${shellWord(given.input)} -o ${shellWord(given.output)}`,
  };
  let spooled: string | undefined;
  let lock: OutputLock | undefined;
  try {
    // Every path first: a run that cannot write its output or summary must not spend anything.
    await checkPaths(runPaths(given, 'enrich'));
    // Then the output itself, before any request: two runs writing one output each rename their
    // file over the other's, and the survivor counts only its own run's credits.
    lock = await OutputLock.acquire(given.output);
    spooled = given.input === '-' ? await spoolStdin() : undefined;
    return await runEnrichFile(spooled ? withInput(given, spooled) : given, control, stats, facts, targets);
  } catch (error) {
    await recordFailedRun(error, given, targets, stats, facts, control.logger);
    throw error;
  } finally {
    lock?.release();
    if (spooled) await rm(dirname(spooled), { recursive: true, force: true });
  }
}

async function runEnrichFile(config: EnrichConfig, control: RunControl, stats: RunStats, facts: RunFacts, targets: RecordTargets): Promise<RunResult> {
  const { logger } = control;
  const startedAt = Date.now();
  const runId = randomUUID();
  /** Whether a stored answer serves this run instead of a request. */
  const serves = (known: Lookup) => reusable(known, config, startedAt, runId);
  const sharing: Sharing = await openSharing(config, { input: facts.inputId, runId, reusable: serves });
  const { shape, reused } = await firstPass(config, sharing.pass)
    .then((pass) => {
      if (config.format === 'xlsx') checkSheetRows(pass.shape.rows, config.output);
      return pass;
    })
    .catch((error: unknown) => {
      // A file that stops the first pass, or whose rows its output cannot hold, costs nothing and leaves no checkpoint of its own.
      sharing.closeUnused();
      throw error;
    });
  if (reused) stats.firstPass = 'reused';
  facts.sheet = shape.dialect.xlsx?.sheet ?? null;
  const mapping = mappingText(shape);
  logger.info({ columns: mapping }, `columns: ${mapping}`);
  if (shape.header.includes('fluence_status')) {
    logger.warn(`${config.input} already has a fluence_status column: it looks like an enriched output. Its fluence_* columns are kept as input columns and a new set is added after them; enrich the original export to avoid two sets`);
  }
  const cost = ENDPOINT_COST[config.endpoint];
  // The same count `estimate` makes: distinct valid contacts without a stored answer to reuse.
  const { distinct, toAsk } = sharing.pass.counts(reuseRule(config, startedAt));
  stats.maxCost = toAsk * cost;

  // One socket per request the limiter may let through (agents open them only as needed).
  const client = new ApiClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, maxSockets: config.concurrency ?? MAX_CONCURRENCY, timeoutMs: config.timeoutMs, maxBodyBytes: config.maxBodyBytes });
  let limiter: RateLimiter | undefined;
  let writer: AtomicOutputWriter | undefined;
  let progress: Progress | undefined;
  let adapt: NodeJS.Timeout | undefined;
  let link: RedisLink | undefined;
  const halt = new AbortController();
  // Every row waiting for a token or a retry listens for the stop: thousands, by design.
  setMaxListeners(0, halt.signal);
  try {
    // Redis first: a run that cannot reach the shared bucket and answers must not spend anything.
    link = config.redis ? await RedisLink.connect(config.redis) : undefined;
    if (link) await warnRedisRisks(link, logger);
    const redisKeys = link && new RedisKeys(link.target.prefix, config.baseUrl);
    const account = await checkAccount(client, config.baseUrl);
    stats.creditsLeft = account.creditsLeft;
    // Nothing to ask, nothing to count against the quota: a rerun makes one free call, not two.
    const quota = toAsk > 0 ? quotaCheck(toAsk, monthlyQuotaOf(await readTierTable(client), account.plan, account.rateLimit ?? config.rate?.rate)) : null;
    facts.quota = quota;
    const plan = config.rate ?? (account.rateLimit ? { rate: account.rateLimit, burst: account.rateLimit * 2 } : { rate: 50, burst: 100 });
    // Until answers come back, assume 4 s per call; then follow the slowest answers seen.
    const concurrency = config.concurrency ?? concurrencyFor(plan.rate, 4000);
    logger.info(
      { plan: account.plan, creditsLeft: account.creditsLeft, maxCost: stats.maxCost, rows: shape.rows, rate: plan.rate, burst: plan.burst, concurrency, rateFrom: config.rate ? 'options' : account.rateLimit ? 'X-RateLimit-Limit' : 'default (Developer tier)', quota },
      `credits left ${account.creditsLeft ?? 'unknown'}; this run spends at most ${stats.maxCost} (${toAsk} contacts to ask x ${cost}; ${shape.valid} valid rows, ${distinct} distinct, ${distinct - toAsk} already answered)${quota ? `; monthly quota: ${quotaText(quota)}` : ''}`,
    );
    if (quota?.exceeds) logger.warn({ quota }, `this file alone needs more requests (${toAsk}) than the plan's monthly quota (${quota.monthlyQuota}): the run will stop at the quota (exit 3) with the rest pending until it resets`);
    if (account.creditsLeft !== undefined && account.creditsLeft < stats.maxCost) {
      const covered = contactsCovered(account.creditsLeft, toAsk, cost);
      logger.warn(
        { creditsLeft: account.creditsLeft, covered, toAsk },
        `credits left (${account.creditsLeft}) cover ${covered} of the ${toAsk} contacts to ask at ${cost} credit${cost === 1 ? '' : 's'} each: the run sends only the requests they cover (counting what those in flight may cost) and leaves the rest pending; top up the credits, then run the same command again to ask them`,
      );
    }
    const remaining = Math.min(plan.burst, account.remaining ?? plan.burst);
    // A bucket found less than half full at the start: someone else is using the key. Start from
    // what they seem to leave and let the answers say more.
    const share = new RateShare({ rate: plan.rate, burst: plan.burst, initial: remaining, othersAtStart: remaining < plan.burst / 2 ? plan.rate * (1 - remaining / plan.burst) : 0, nowMs: Date.now() });
    // The first burst reaches the server over a few hundred ms (connections open one by one),
    // while its full bucket loses that time's refill: start 0.1 s of rate short, once per run.
    const initial = Math.max(1, remaining - Math.ceil(plan.rate * 0.1));
    // With Redis, one bucket for every run on the key, at the plan's rate: Redis sees them all.
    limiter = link && redisKeys
      ? new RateLimiter({ rate: plan.rate, burst: plan.burst, initial, maxConcurrent: concurrency, reserve: sharedBucketReserve(plan.rate, plan.burst), cluster: { connection: link.bottleneck, id: redisKeys.limiterId(config.apiKey, config.baseUrl) } })
      : new RateLimiter({ rate: share.ownRate, burst: plan.burst, initial, maxConcurrent: concurrency, reserve: share.reserve });
    limiter.onError = (error) => logger.debug({ err: (error as Error).message }, 'Redis call failed (the rate limiter tries again)');
    await limiter.ready();
    stats.planRate = plan.rate;
    const adapting = limiter;
    adapt = config.concurrency === undefined
      ? setInterval(() => {
          const slowest = stats.takeSlowest();
          if (slowest > 0) adapting.maxConcurrent = Math.max(concurrencyFor(plan.rate, slowest), Math.ceil(adapting.maxConcurrent * 0.9));
        }, 2000)
      : undefined;
    adapt?.unref();

    let fatal: FluenceError | undefined;
    // Refusals for the account's credits come through the budget: they stop the run as a 402 would.
    const budget = new Budget(config.maxCredits, () => ({ left: stats.creditsLeft, maybeUsed: stats.creditsMaybeUsed }));
    const stop = (why: StopReason, said: string, code?: ErrorCode): void => {
      if (halt.signal.aborted) return;
      const { reason, message } = why === 'budget' && budget.refusal ? budget.refusal : { reason: why, message: said };
      stats.stopReason = reason;
      stats.stopMessage = message;
      if (reason === 'fatal') {
        fatal = new FluenceError(code ?? 'FATAL', message);
        stats.fail(fatal.code, message);
      }
      logger.warn({ reason }, `stopping: ${message}; requests in flight will finish, the other rows are left pending`);
      halt.abort();
    };
    const onSignal = (): void => stop('signal', 'interrupted by a signal');
    link?.watch(config.redisWaitMs, {
      onDown: () => logger.warn(`lost Redis at ${link!.target.shown} (${link!.lastError || 'connection closed'}): no new request leaves without the shared bucket; requests in flight finish and are kept here. Waiting up to ${config.redisWaitMs / 1000} s (--redis-wait) for it`),
      onBack: () => void sayRedisBack(link!, logger),
      onGone: () => stop('redis', `Redis at ${link!.target.shown} has been unreachable for ${config.redisWaitMs / 1000} s (${link!.lastError || 'connection closed'})`, 'REDIS_LOST'),
    });
    if (control.signal?.aborted) onSignal();
    control.signal?.addEventListener('abort', onSignal, { once: true });

    await sharing.join(link);
    const answers = new AnswerSource({ sharing, stats, runId, startedAt, reusable: serves, halted: halt.signal, ask: (contact, key) => ask(deps, contact, key) });
    const deps: RequesterDeps = { config, client, limiter, share, sharing, stored: answers, budget, stats, logger, halted: halt.signal, stop };

    const width = shape.header.length;
    const outputRow = (record: InputRecord): Written | Promise<Written> => {
      const { cells, contact, reason } = viewRow(record, width, shape.columns);
      const done = (answer: Answer): Written => {
        stats.count(answer.status, answer.credits);
        return { row: { cells, answer, numbers: record.numbers }, line: record.line };
      };
      if (reason !== undefined) return done({ status: 'invalid_input', httpStatus: undefined, credits: 0, error: reason, analiseJson: '' });
      const answer = answers.answerFor(contact);
      return answer instanceof Promise ? answer.then(done) : done(answer);
    };

    writer = new AtomicOutputWriter(config.output, outputFormat(config, shape.dialect), config.fields, (paths, answers) => {
      logger.warn({ fields: paths }, `--fields ${paths.join(', ')}: none of the first ${answers} answers has ${paths.length > 1 ? 'these paths' : 'this path'}; the column stays empty. Check the spelling against fluence_analise_json`);
    });
    await writer.open(shape.header);
    const running = limiter;
    control.onStarted?.({ tempPath: writer.tempPath, inFlight: () => running.running });
    progress = new Progress(stats, shape.rows, config.progress, logger);

    const out = writer;
    // Rows needing attention are noted as they are written: in input order, the first ones kept.
    const write = ({ row, line }: Written): Promise<void> | undefined => {
      if (AttentionList.wants(row.answer.status)) facts.attention.add({ line, status: row.answer.status, names: namesOf(row.cells, shape.columns), error: row.answer.error });
      return out.write(row);
    };
    // Sized for the largest in-flight cap the run may adapt to.
    const window = new OrderedWindow<Written>(windowSize(config.concurrency ?? concurrencyFor(plan.rate, 4000)), write);
    // The header, any lines before it (a preamble) and a report's footer are not data.
    const skipThrough = shape.hasHeader ? shape.headerRecord : 0;
    for await (const batch of readBatches(config.input, shape.dialect)) {
      for (const record of batch) {
        if (record.record <= skipThrough || record.record > shape.tableEnd) continue;
        const wait = window.push(outputRow(record));
        if (wait) await wait;
      }
    }
    await window.drain();
    stats.peakRowsInMemory = window.peak;
    progress.stop();
    await writer.commit();
    facts.outputWritten = true;
    control.signal?.removeEventListener('abort', onSignal);

    stats.waitedForOtherRunsSeconds = sharing.waitedSeconds;
    stats.othersRate = Math.round(share.othersRate);
    const shortened = writer.shortenedWarning;
    if (shortened) logger.warn({ cells: writer.shortenedCells }, shortened);
    const emptyFields = writer.emptyFields;
    if (emptyFields.length > 0 && stats.byStatus.ok < AtomicOutputWriter.EMPTY_FIELDS_AFTER) {
      logger.warn({ fields: emptyFields }, `--fields ${emptyFields.join(', ')}: no answer had ${emptyFields.length > 1 ? 'these paths' : 'this path'}; the column is empty`);
    }
    facts.uncertainAllRuns = sharing.uncertainTotal;
    facts.emptyFields = emptyFields;
    facts.redisWritesLost = sharing.writesLost;
    const summary = runSummary(stats, config, facts);
    await writeRunRecords(targets, summary, stats, facts);
    return { exitCode: stats.exitCode(), summary, error: fatal };
  } catch (error) {
    // No new request after a failure; rows waiting for a token or a retry give up.
    halt.abort();
    progress?.stop();
    await writer?.discard();
    throw error;
  } finally {
    clearInterval(adapt);
    await limiter?.stop();
    await sharing.leave();
    await link?.close();
    client.close();
    sharing.close();
  }
}
