import type { RowStatus } from '../api/outcome.js';
import type { CrmEndpoint } from '../api/plans.js';
import type { ErrorCode } from '../errors.js';
import type { QuotaCheck } from './quota.js';

/** Why a run stopped before every row had its final answer. */
export type StopReason = 'credits' | 'quota' | 'budget' | 'signal' | 'fatal' | 'redis';

/**
 * Why a run stopped, with the figures a person needs to act on it: data, put in words in the
 * reader's language where it is read (the log line, the summary, the report).
 */
export type StopFacts =
  /** `--max-credits` has no room for another request: credits spent (or possibly spent) and held by requests in flight. */
  | { reason: 'budget'; limit: number; cost: number; spent: number; held: number }
  /** The balance the API last reported, less what requests in flight hold and what may have been charged unanswered, does not cover another request. */
  | { reason: 'credits'; refusedBy: 'balance'; left: number; held: number; maybeUsed: number; cost: number }
  /** The API answered 402; `apiSaid`: its own words ('' when it gave none). */
  | { reason: 'credits'; refusedBy: 'api'; httpStatus: number; apiSaid: string }
  /** A 429 asked to wait past `--max-rate-wait`: the monthly quota. `resetsAt`: when, as ISO 8601 (UTC). */
  | { reason: 'quota'; resetsAt: string }
  /**
   * The caller stopped the run: `signal` names the signal that did (`SIGTERM`, `SIGINT`; absent for
   * a stop without one: the page's Stop button, a library caller's abort); `inFlight`: the requests
   * in flight then, let finish (their answers are in the output).
   */
  | { reason: 'signal'; signal?: string; inFlight: number }
  /** Redis stayed away longer than `--redis-wait` (`seconds`); `error`: the connection's last error ('' when none). */
  | { reason: 'redis'; at: string; seconds: number; error: string }
  /** An answer or failure nothing in this run can get past; `message`: its words. */
  | { reason: 'fatal'; code: ErrorCode; message: string };

/** This process's own CPU and peak memory, so a run (or a benchmark) can report its cost. */
export interface RunResources {
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  /** CPU time (user + system) per row written, in microseconds; 0 when no row was written. */
  cpuMicrosPerRow: number;
  /** The process's peak resident memory, in MB. */
  maxRssMb: number;
}

/** The Redis a run shared its rate, claims and answers through (`--redis`). */
export interface RunSummaryRedis {
  /** `redis://host:port/db`, a password shown as `***`. */
  at: string;
  /** The prefix of the runs' keys (`--redis-prefix`). */
  prefix: string;
  /** Answers this run could not copy to Redis (they are in the local checkpoint). */
  writesLost: number;
  /** Redis came back during the run without the runs' keys (restarted empty, or evicted them). */
  cameBackEmpty: boolean;
}

/**
 * What a run did and cost: the `--summary` file's content, the library's `RunResult.summary`, the
 * numbers of the end-of-run text, the report and the page. One declaration (csv-parse's `Info`):
 * `RunStats.summary` makes it, every reader takes it, and `schema/run-summary.schema.json` is
 * generated from it (`npm run schema`) for scripts that parse `--summary`.
 */
export interface RunSummary {
  /** Rows written to the output. */
  rows: number;
  /** Rows written, by status (every status named, 0 when none). */
  byStatus: Record<RowStatus, number>;
  /** HTTP requests sent to a CRM endpoint. */
  requests: number;
  /** Attempts after a transient failure. */
  retries: number;
  /** 429 answers, each re-queued through the limiter. */
  rateLimited: number;
  /** 429 answers for the plan's monthly quota (it is used up): not the rate limit, never retried; their rows are left pending. */
  quotaRefused: number;
  /** Requests whose charge cannot be known: 504s and connections lost after sending in this run, plus requests a killed run left unanswered. */
  uncertain: number;
  /** Of `uncertain`: left by an earlier run that died mid-request. */
  uncertainFromEarlierRun: number;
  /** Rows answered from the checkpoint (an earlier run paid). */
  fromCheckpoint: number;
  /** Rows answered by another run sharing the cache while this one ran: 0 credits. */
  fromOtherRuns: number;
  /** Rows answered from Redis with an answer bought before this run began. */
  fromRedis: number;
  /** Seconds during which some row waited for another run's answer. */
  waitedForOtherRunsSeconds: number;
  /** What the reused answers cost when they were bought: what reusing them saved. */
  creditsSaved: number;
  /** Rows answered by this run's earlier attempts (a run the page stopped and resumed; 0 for the CLI's, whose rerun is a run of its own). */
  fromEarlierAttempts: number;
  /**
   * What this run's earlier attempts paid for the answers this attempt reused: credits the run
   * spent before it was resumed (never in `creditsSaved`). The run's credits are this plus `creditsUsed`.
   */
  creditsEarlierAttempts: number;
  /** Rows repeating a contact already asked in this run. */
  duplicates: number;
  /** Credits charged in this run, as the answers reported them. */
  creditsUsed: number;
  /** Credits this run's requests may have cost without an answer saying so (504s, connections lost after sending): at most, not known. */
  creditsMaybeUsed: number;
  /** The most this run could spend, as `estimate` counts it. */
  maxCost: number;
  /** `reused` when the input's bytes matched the first pass an earlier run made. */
  firstPass: 'read' | 'reused';
  /** Credits left on the account (the lowest balance seen); null when never learned. */
  creditsLeft: number | null;
  elapsedSeconds: number;
  requestsPerSecond: number;
  /** The plan's requests per second (0 when never known). */
  planRate: number;
  /** This run's requests per second as a share of the plan's rate (0.5 = half). */
  rateShare: number;
  /** Requests per second others were taking from the key at the end, as this run saw them. */
  othersRate: number;
  rowsPerSecond: number;
  /** Most rows held between reader and writer at once. */
  peakRowsInMemory: number;
  resources: RunResources;
  stopReason: StopReason | null;
  /** Why the run stopped, for people: in the run's language (`stopFacts` holds its figures for scripts). */
  stopMessage: string | null;
  /** Why the run stopped, as data: its reason and figures; null when it did not stop. */
  stopFacts: StopFacts | null;
  /** The error that ended the run (a fatal answer mid-way, or a failure before or during it). */
  error: { code: ErrorCode; message: string } | null;
  /** The exit code the CLI ends with (0 all answered, 1 fatal, 2 failed or pending rows, 3 credits, budget or quota). */
  exitCode: number;
  /** The output file as given (`-` for standard output). */
  output: string;
  /** The output was written and renamed into place (false: a file there is from an earlier run). */
  outputWritten: boolean;
  checkpoint: string;
  endpoint: CrmEndpoint;
  /** The .xlsx sheet read, when the input is a workbook. */
  sheet: string | null;
  /** Requests left uncertain by every run on the checkpoint; null when not known. */
  uncertainAllRuns: number | null;
  /** `--fields` paths no answer had (their columns are empty). */
  emptyFields: string[];
  redis: RunSummaryRedis | null;
  /** The `--report` path, if one was asked for. */
  report: string | null;
  monthlyQuota: QuotaCheck | null;
  /** When the monthly quota resets, as `2026-12-01 00:00 UTC`, when a quota stop's 429 said so. */
  quotaResetsAt: string | null;
  /** What to do after this run, in one sentence; null when every row has its final answer. */
  nextStep: string | null;
}

/** What a run learned beside its counters (its paths, Redis, the quota): given to `RunStats.summary`. */
export type RunSummaryFacts = Pick<
  RunSummary,
  | 'output'
  | 'outputWritten'
  | 'checkpoint'
  | 'endpoint'
  | 'sheet'
  | 'uncertainAllRuns'
  | 'emptyFields'
  | 'redis'
  | 'report'
  | 'monthlyQuota'
  | 'quotaResetsAt'
>;
