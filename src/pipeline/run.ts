import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ApiClient } from '../api/client.js';
import { ENDPOINT_COST } from '../api/plans.js';
import { contactKey, type Contact } from '../contact/normalize.js';
import { FluenceError } from '../errors.js';
import type { Logger } from '../log.js';
import { CheckpointStore } from '../store/checkpoint.js';
import type { Answer } from './answer.js';
import { Budget } from './budget.js';
import type { EnrichConfig } from './config.js';
import { readBatches, type InputRecord } from './input.js';
import { reusable } from './reuse.js';
import { firstPass, viewRow } from './shape.js';
import { RateLimiter } from './limiter.js';
import { OrderedWindow } from './ordered-window.js';
import { AtomicOutputWriter, EXCEL, type OutputFormat, type OutputRow } from './output.js';
import type { Dialect } from './dialect.js';
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
  /** Told the temporary output path, so a hard exit can remove it. */
  onTempFile?: (path: string) => void;
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

/** The input's own delimiter by default (UTF-8 out); Excel's dialect with --excel; or JSON lines. */
function outputFormat(config: EnrichConfig, dialect: Dialect): OutputFormat {
  if (config.format === 'jsonl') return { kind: 'jsonl' };
  if (config.excel) return EXCEL;
  return { kind: 'csv', delimiter: dialect.delimiter, bom: false, eol: '\n' };
}

/** Standard input, read once into a temporary file: the run reads its input twice. */
async function spoolStdin(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fluence-enrich-stdin-'));
  const path = join(dir, 'input.csv');
  await pipeline(process.stdin, createWriteStream(path));
  return path;
}

/** The same config reading `input` from another path (the key stays non-enumerable). */
function withInput(config: EnrichConfig, input: string): EnrichConfig {
  const copy = { ...config, input };
  Object.defineProperty(copy, 'apiKey', { value: config.apiKey, enumerable: false });
  return Object.freeze(copy);
}

/** Enriches one CSV file (or standard input) end to end. The CLI's `enrich` is a thin layer over this. */
export async function runEnrich(given: EnrichConfig, control: RunControl): Promise<RunResult> {
  const spooled = given.input === '-' ? await spoolStdin() : undefined;
  try {
    return await runEnrichFile(spooled ? withInput(given, spooled) : given, control, given.input === '-' ? 'stdin' : resolve(given.input));
  } finally {
    if (spooled) await rm(dirname(spooled), { recursive: true, force: true });
  }
}

async function runEnrichFile(config: EnrichConfig, control: RunControl, inputId: string): Promise<RunResult> {
  const { logger } = control;
  const stats = new RunStats();
  const store = new CheckpointStore(config.checkpoint, config.sharedCache ? 'shared' : { endpoint: config.endpoint, input: inputId });
  const { shape, reused } = await firstPass(config, store).catch((error: unknown) => {
    // A file that stops the first pass costs nothing and leaves no checkpoint of its own.
    store.closeUnused();
    throw error;
  });
  if (reused) stats.firstPass = 'reused';
  const cost = ENDPOINT_COST[config.endpoint];
  stats.maxCost = shape.valid * cost;

  // One socket per request the limiter may let through (agents open them only as needed).
  const client = new ApiClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, maxSockets: config.concurrency ?? MAX_CONCURRENCY, timeoutMs: config.timeoutMs, maxBodyBytes: config.maxBodyBytes });
  let limiter: RateLimiter | undefined;
  let writer: AtomicOutputWriter | undefined;
  let progress: Progress | undefined;
  let adapt: NodeJS.Timeout | undefined;
  const halt = new AbortController();
  // Every row waiting for a token or a retry listens for the stop: thousands, by design.
  setMaxListeners(0, halt.signal);
  try {
    const account = await checkAccount(client, config.baseUrl);
    stats.creditsLeft = account.creditsLeft;
    const plan = config.rate ?? (account.rateLimit ? { rate: account.rateLimit, burst: account.rateLimit * 2 } : { rate: 50, burst: 100 });
    // Until answers come back, assume 4 s per call; then follow the slowest answers seen.
    const concurrency = config.concurrency ?? concurrencyFor(plan.rate, 4000);
    logger.info(
      { plan: account.plan, creditsLeft: account.creditsLeft, maxCost: stats.maxCost, rows: shape.rows, rate: plan.rate, burst: plan.burst, concurrency, rateFrom: config.rate ? 'options' : account.rateLimit ? 'X-RateLimit-Limit' : 'default (Developer tier)' },
      `credits left ${account.creditsLeft ?? 'unknown'}; this file costs at most ${stats.maxCost} (${shape.valid} valid rows x ${cost})`,
    );
    if (account.creditsLeft !== undefined && account.creditsLeft < stats.maxCost) {
      logger.warn(`credits left (${account.creditsLeft}) may not cover this file (at most ${stats.maxCost}); the run will stop cleanly if they run out, and a rerun resumes`);
    }
    // The first burst reaches the server over a few hundred ms (connections open one by one),
    // while its full bucket loses that time's refill: start 0.1 s of rate short, once per run.
    const initial = Math.max(1, Math.min(plan.burst, account.remaining ?? plan.burst) - Math.ceil(plan.rate * 0.1));
    limiter = new RateLimiter({ rate: plan.rate, burst: plan.burst, initial, maxConcurrent: concurrency });
    const adapting = limiter;
    adapt = config.concurrency === undefined
      ? setInterval(() => {
          const slowest = stats.takeSlowest();
          if (slowest > 0) adapting.maxConcurrent = Math.max(concurrencyFor(plan.rate, slowest), Math.ceil(adapting.maxConcurrent * 0.9));
        }, 2000)
      : undefined;
    adapt?.unref();

    let fatal: FluenceError | undefined;
    const stop = (reason: StopReason, message: string, code?: string): void => {
      if (halt.signal.aborted) return;
      stats.stopReason = reason;
      stats.stopMessage = message;
      if (reason === 'fatal') fatal = new FluenceError(code ?? 'FATAL', message);
      logger.warn({ reason }, `stopping: ${message}; requests in flight will finish, the other rows are left pending`);
      halt.abort();
    };
    const onSignal = (): void => stop('signal', 'interrupted by a signal');
    if (control.signal?.aborted) onSignal();
    control.signal?.addEventListener('abort', onSignal, { once: true });

    const runId = randomUUID();
    const startedAt = Date.now();
    const deps: RequesterDeps = { config, client, limiter, store, budget: new Budget(config.maxCredits), stats, runId, logger, halted: halt.signal, stop };
    const inflight = new Map<string, Promise<Answer>>();

    /** The answer for a valid contact: at once when known, else a promise of the request. */
    const answerFor = (contact: Contact): Answer | Promise<Answer> => {
      const key = contactKey(contact);
      const shared = inflight.get(key);
      if (shared) {
        stats.duplicates += 1;
        return shared.then((answer) => ({ ...answer, credits: 0 }));
      }
      const known = store.lookup(config.endpoint, key);
      if (reusable(known, config, startedAt, runId)) {
        if (known.runId === runId) stats.duplicates += 1;
        else {
          stats.fromCheckpoint += 1;
          stats.creditsSaved += known.result.credits;
        }
        const { result } = known;
        return { status: result.status, httpStatus: result.httpStatus, credits: 0, error: result.error, analiseJson: result.analise };
      }
      if (known?.state === 'started' && !halt.signal.aborted) {
        // An earlier run sent this and died before the answer: it may have been charged.
        stats.uncertain += 1;
        stats.uncertainFromEarlierRun += 1;
        store.countUncertain();
      }
      const asked = ask(deps, contact, key).finally(() => inflight.delete(key));
      inflight.set(key, asked);
      return asked;
    };

    const width = shape.header.length;
    const outputRow = (record: InputRecord): OutputRow | Promise<OutputRow> => {
      const { cells, contact, reason } = viewRow(record, width, shape.columns);
      const done = (answer: Answer): OutputRow => {
        stats.count(answer.status);
        return { cells, answer };
      };
      if (reason !== undefined) return done({ status: 'invalid_input', httpStatus: undefined, credits: 0, error: reason, analiseJson: '' });
      const answer = answerFor(contact);
      return answer instanceof Promise ? answer.then(done) : done(answer);
    };

    writer = new AtomicOutputWriter(config.output, outputFormat(config, shape.dialect), config.fields);
    await writer.open(shape.header);
    control.onTempFile?.(writer.tempPath);
    progress = new Progress(stats, shape.rows, config.progress, logger);

    const out = writer;
    // Sized for the largest in-flight cap the run may adapt to.
    const window = new OrderedWindow<OutputRow>(windowSize(config.concurrency ?? concurrencyFor(plan.rate, 4000)), (row) => out.write(row));
    let first = shape.hasHeader;
    for await (const batch of readBatches(config.input, shape.dialect)) {
      for (const record of batch) {
        if (first) {
          first = false;
          continue;
        }
        const wait = window.push(outputRow(record));
        if (wait) await wait;
      }
    }
    await window.drain();
    stats.peakRowsInMemory = window.peak;
    progress.stop();
    await writer.commit();
    control.signal?.removeEventListener('abort', onSignal);

    const summary = stats.summary({
      output: config.output,
      checkpoint: config.checkpoint,
      endpoint: config.endpoint,
      uncertainAllRuns: store.uncertainTotal,
    });
    if (config.summaryPath) await writeFile(config.summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
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
    client.close();
    store.close();
  }
}
