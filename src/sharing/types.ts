import type { FinalStatus } from '../api/outcome.js';
import type { EnrichConfig } from '../options/config.js';

/** A stored final answer for one person on one endpoint. */
export interface StoredResult {
  status: FinalStatus;
  httpStatus: number;
  /** What the answer cost when it was bought. */
  credits: number;
  error: string;
  /** `analise` as JSON text, or '' when there was none. */
  analise: string;
}

/** Where a stored answer was found: this file's checkpoint, the `--cache` runs share, or Redis. */
export type AnswerFrom = 'checkpoint' | 'cache' | 'redis';

/**
 * `final`: answered (`runId` says which run paid; `seq` numbers the stored answer); `started`:
 * sent and never answered (a run died); `unanswered`: tried, no final answer.
 */
export type Lookup =
  /** `from` says where it was read, and so what `seq` numbers (Redis numbers its own answers). */
  | { state: 'final'; result: StoredResult; runId: string; updatedAt: number; seq: number; from: AnswerFrom }
  | { state: 'started' }
  | { state: 'unanswered' }
  | undefined;

/** A stored row as claims see it: its state, the run holding it and that run's heartbeat, and the stored answer. */
export interface ClaimView {
  state: 'claimed' | 'started' | 'unanswered' | 'final';
  run: string | null;
  /** `startedAt`: when the run began (ms, its machine's clock), so a pid given since to another process is not taken for it. */
  holder: { heartbeatAt: number; host: string; pid: number; startedAt?: number } | undefined;
  lookup: Lookup;
}

/** Which stored answers a run may reuse (see `reusable`): none with `refresh`, else those at least this recent. */
export interface ReuseRule {
  refresh: boolean;
  /** Answers stored before this (ms since epoch) are asked again; 0 = any age. */
  storedSince: number;
}

/** What a run is, for the store it shares: its id, its endpoint, and which stored answers serve it. */
export interface RunScope {
  runId: string;
  endpoint: string;
  /** Whether a stored answer serves this run instead of a request (see `reusable`). */
  reusable: (known: Lookup) => boolean;
}

/** A final answer as a lookup finds it. */
export type FinalLookup = Extract<Lookup, { state: 'final' }>;

/** What a checkpoint for one file is opened for: answers from `endpoint` about `input`, whose bytes hash to `bytes`. */
export interface FileScope {
  endpoint: string;
  input: string;
  /** SHA-256 of the input's bytes: the same bytes under another path are the same job. */
  bytes?: string;
}

/**
 * Before a row takes a token: ask it (claimed when its token comes), or use an answer another run
 * bought. `uncertain`: an earlier run sent this request and died before its answer (it may have
 * been charged).
 */
export type Acquired = { kind: 'ask'; uncertain: boolean } | { kind: 'answer'; lookup: FinalLookup };

/** At the moment a request would leave: claimed (send it), answered meanwhile, or held by another run (wait). */
export type ClaimedNow =
  | { kind: 'claimed'; uncertain: boolean }
  | { kind: 'answered'; lookup: FinalLookup }
  | { kind: 'held' }
  /** The store could not be reached (Redis away): nothing was claimed, nothing may leave. */
  | { kind: 'unavailable' }
  /** The run stopped while the claim was being made. */
  | { kind: 'stopped' };

/** The options that read the input: with its bytes, what decides what a first pass finds. */
export type PassOptions = Pick<EnrichConfig, 'encoding' | 'delimiter' | 'map' | 'noHeader'> &
  Partial<Pick<EnrichConfig, 'sheet' | 'hiddenRows'>>;
