import type { RowStatus } from '../api/outcome.js';
import { EXIT, type ErrorCode } from '../errors.js';
import { DEFAULT_LANG, type Lang } from '../i18n/index.js';
import { nextStep } from './next-step.js';
import type { RunResources, RunSummary, RunSummaryFacts, StopFacts, StopReason } from './run-summary.js';
import { stopText, type StopPlace } from './stop-facts.js';

/** A count per row status, all zero (the type makes it name every status). */
const zeroByStatus = (): Record<RowStatus, number> => ({
  ok: 0,
  not_found: 0,
  ambiguous: 0,
  insufficient_data: 0,
  invalid_input: 0,
  failed: 0,
  pending: 0,
});
import { Timeline } from '../report/timeline.js';

export type { StopReason } from './run-summary.js';

/** The run's counters, in one place: progress, logs and the summary all read these. */
export class RunStats {
  readonly startedAt = Date.now();
  rows = 0;
  readonly byStatus: Record<RowStatus, number> = zeroByStatus();
  /** HTTP requests sent to a CRM endpoint. */
  requests = 0;
  /** Attempts after a transient failure. */
  retries = 0;
  /** 429 answers, each re-queued through the limiter. */
  rateLimited = 0;
  /** 429 answers for the monthly quota (not the rate limit): each one a request refused, its row left pending. */
  quotaRefused = 0;
  /** Requests whose charge cannot be known: 504s and connections lost after sending in this run, plus requests a killed run left unanswered. (`uncertainAllRuns` in the summary adds up every run on the checkpoint.) */
  uncertain = 0;
  /** Of `uncertain`: left by an earlier run that died mid-request. */
  uncertainFromEarlierRun = 0;
  /** Rows answered from the checkpoint (an earlier run paid). */
  fromCheckpoint = 0;
  /** Rows answered by another run sharing the cache while this one ran (waited for, or bought meanwhile): 0 credits. */
  fromOtherRuns = 0;
  /** Rows answered from Redis with an answer bought before this run began (another machine's run, or this one's before). */
  fromRedis = 0;
  /** Seconds during which some row waited for another run's answer. */
  waitedForOtherRunsSeconds = 0;
  /** The plan's requests per second (0 until known). */
  planRate = 0;
  /** Requests per second others were taking from the key at the end, as this run saw them. */
  othersRate = 0;
  /** What the reused answers cost when they were bought: what reusing them saved. */
  creditsSaved = 0;
  /** Rows answered by this run's earlier attempts (a run the page resumed): their credits are the run's, not saved. */
  fromEarlierAttempts = 0;
  /** What this run's earlier attempts paid for the answers this attempt reused (see `fromEarlierAttempts`). */
  creditsEarlierAttempts = 0;
  /** Rows repeating a contact already asked in this run. */
  duplicates = 0;
  /** Credits charged in this run, as the answers reported them. */
  creditsUsed = 0;
  /** Credits this run's requests may have cost without an answer saying so (504s, connections lost after sending): at most, not known. */
  creditsMaybeUsed = 0;
  #creditsLeft: number | undefined;
  /** The most this run could spend, as `estimate` counts it: distinct valid contacts with no reusable stored answer x endpoint cost. */
  maxCost = 0;
  /** `reused` when the input's bytes matched the first pass an earlier run made. */
  firstPass: 'read' | 'reused' = 'read';
  /** Why the run stopped, with its figures (said in the reader's language where it is read). */
  stop: StopFacts | undefined;
  /** The error that ended the run (a fatal answer mid-way, or a failure before or during it), as the CLI reports it. */
  error: { code: ErrorCode; message: string; exitCode: number } | undefined;
  /** Most rows held between reader and writer at once (bounded by the window). */
  peakRowsInMemory = 0;
  /** Credits this run spent, by the status of the rows they were spent on (for the report). */
  readonly creditsByStatus: Record<RowStatus, number> = zeroByStatus();
  /** Requests, 429s, retries, rows and answer times over the run, in bounded memory (for the report). */
  readonly timeline = new Timeline(this.startedAt);
  /** Slowest answer since the last `takeSlowest()`, in ms. */
  #slowest = 0;

  sent(): void {
    this.requests += 1;
    this.timeline.request();
  }

  throttled(): void {
    this.rateLimited += 1;
    this.timeline.rateLimited();
  }

  retried(): void {
    this.retries += 1;
    this.timeline.retry();
  }

  observeLatency(ms: number): void {
    if (ms > this.#slowest) this.#slowest = ms;
    this.timeline.latency(ms);
  }

  takeSlowest(): number {
    const slowest = this.#slowest;
    this.#slowest = 0;
    return slowest;
  }

  /** A row written: its status, and the credits this run spent on it. */
  count(status: RowStatus, credits = 0): void {
    this.rows += 1;
    this.byStatus[status] += 1;
    this.creditsByStatus[status] += credits;
    this.timeline.row();
  }

  /**
   * Credits left on the account: the lowest balance `/creditos` or an answer reported. Answers
   * arrive out of order, so the latest one may be older news than one before it; the balance only
   * falls while the run spends (a top-up mid-run shows in the next run).
   */
  get creditsLeft(): number | undefined {
    return this.#creditsLeft;
  }

  set creditsLeft(value: number | undefined) {
    if (value !== undefined)
      this.#creditsLeft = this.#creditsLeft === undefined ? value : Math.min(this.#creditsLeft, value);
  }

  /** This run's requests per second as a share of the plan's rate. */
  get rateShare(): number {
    const elapsed = this.elapsedSeconds;
    return this.planRate > 0 && elapsed > 0 ? Math.round((this.requests / elapsed / this.planRate) * 1000) / 1000 : 0;
  }

  get elapsedSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  get stopReason(): StopReason | undefined {
    return this.stop?.reason;
  }

  /** The run ends on an error: it stops (`fatal`) with that error's code, message and exit code. */
  fail(code: ErrorCode, message: string, exitCode: number = EXIT.fatal): void {
    this.stop = { reason: 'fatal', code, message };
    this.error = { code, message, exitCode };
  }

  exitCode(): number {
    if (this.error) return this.error.exitCode;
    if (this.stopReason === 'fatal') return EXIT.fatal;
    if (this.stopReason === 'credits' || this.stopReason === 'quota' || this.stopReason === 'budget')
      return EXIT.stopped;
    return this.byStatus.failed + this.byStatus.pending > 0 ? EXIT.rerun : EXIT.done;
  }

  /**
   * The run's summary: these counters, what the run learned beside them (`facts`), and what to do
   * next; what people read in `lang`, said where they read it (`where`: a page's run in the page's terms).
   */
  summary(facts: RunSummaryFacts, lang: Lang = DEFAULT_LANG, where: StopPlace = 'cli'): RunSummary {
    const elapsed = this.elapsedSeconds;
    const counted: Omit<RunSummary, 'nextStep'> = {
      rows: this.rows,
      byStatus: { ...this.byStatus },
      requests: this.requests,
      retries: this.retries,
      rateLimited: this.rateLimited,
      quotaRefused: this.quotaRefused,
      uncertain: this.uncertain,
      uncertainFromEarlierRun: this.uncertainFromEarlierRun,
      fromCheckpoint: this.fromCheckpoint,
      fromOtherRuns: this.fromOtherRuns,
      fromRedis: this.fromRedis,
      waitedForOtherRunsSeconds: this.waitedForOtherRunsSeconds,
      creditsSaved: this.creditsSaved,
      fromEarlierAttempts: this.fromEarlierAttempts,
      creditsEarlierAttempts: this.creditsEarlierAttempts,
      duplicates: this.duplicates,
      creditsUsed: this.creditsUsed,
      creditsMaybeUsed: this.creditsMaybeUsed,
      maxCost: this.maxCost,
      firstPass: this.firstPass,
      creditsLeft: this.creditsLeft ?? null,
      elapsedSeconds: Math.round(elapsed * 1000) / 1000,
      requestsPerSecond: elapsed > 0 ? Math.round((this.requests / elapsed) * 10) / 10 : 0,
      planRate: this.planRate,
      rateShare: this.rateShare,
      othersRate: this.othersRate,
      rowsPerSecond: elapsed > 0 ? Math.round((this.rows / elapsed) * 10) / 10 : 0,
      peakRowsInMemory: this.peakRowsInMemory,
      resources: resources(this.rows),
      stopReason: this.stopReason ?? null,
      stopMessage: this.stop ? stopText(this.stop, lang, where) : null,
      stopFacts: this.stop ?? null,
      error: this.error ? { code: this.error.code, message: this.error.message } : null,
      exitCode: this.exitCode(),
      ...facts,
    };
    return { ...counted, nextStep: nextStep(counted, lang, where) };
  }
}

/** This process's own CPU and peak memory, so a run (or a benchmark) can report its cost. */
function resources(rows: number): RunResources {
  const usage = process.resourceUsage();
  const cpuMicros = usage.userCPUTime + usage.systemCPUTime;
  return {
    cpuUserSeconds: Math.round(usage.userCPUTime / 1000) / 1000,
    cpuSystemSeconds: Math.round(usage.systemCPUTime / 1000) / 1000,
    cpuMicrosPerRow: rows > 0 ? Math.round(cpuMicros / rows) : 0,
    maxRssMb: Math.round(usage.maxRSS / 1024),
  };
}
