import type { Decision, FinalStatus } from '../api/outcome.js';
import type { Message } from '../i18n/index.js';
import type { StoredResult } from '../sharing/types.js';
import type { StopFacts } from './run-summary.js';

/** What the store learns of an attempt: its final answer, that this run tries again (held), or that nothing is in flight. */
export type Outcome =
  | { kind: 'final'; result: StoredResult }
  | { kind: 'held'; error: string }
  | { kind: 'unanswered'; error: string };

/** What one decided attempt does, as data: `ask` carries it out, in this order. */
export interface Effects {
  /** Whether it counts against the retries (a 429 is no attempt: the same request goes back through the limiter). */
  attempt: boolean;
  /** What the budget settles the attempt's reservation at: charged, or possibly charged. */
  spent: number;
  /** The server may have charged it and no answer says so (a 504, a connection lost after sending). */
  uncertain: boolean;
  /** Credits the answer says were charged. */
  charged: number;
  /** Credits left on the account, when the answer says. */
  creditsLeft?: number;
  /** Which counter it adds to (besides requests). */
  counter?: 'throttled' | 'retried';
  /** The row's error if this is its last word; `httpStatus` only when the answer had one to say. */
  last?: { error: string; httpStatus?: number | undefined };
  record: Outcome;
  /** The run stops taking requests. */
  stop?: StopFacts;
  /** A fatal stop's words, said in the reader's language (`stop.message` is their English). */
  fatalWords?: Message;
  /** The row's answer (its credits are the row's total), another attempt after `delayMs`, or the row ends without an answer. */
  next:
    | { kind: 'answer'; status: FinalStatus; httpStatus: number; error: string; analiseJson: string }
    | { kind: 'again'; delayMs: number }
    | { kind: 'end'; status: 'failed' | 'pending' };
}

type Table = { [K in Decision['kind']]: (decision: Extract<Decision, { kind: K }>, cost: number) => Effects };

/** Each decision's effects, one line of the table per kind. */
const EFFECTS: Table = {
  final: (d) => {
    const analiseJson = d.analise === undefined ? '' : JSON.stringify(d.analise);
    return {
      attempt: true,
      spent: d.credits,
      uncertain: false,
      charged: d.credits,
      ...(d.creditsLeft !== undefined && { creditsLeft: d.creditsLeft }),
      record: {
        kind: 'final',
        result: {
          status: d.status,
          httpStatus: d.httpStatus,
          credits: d.credits,
          error: d.error,
          analise: analiseJson,
        },
      },
      next: { kind: 'answer', status: d.status, httpStatus: d.httpStatus, error: d.error, analiseJson },
    };
  },
  wait: (d) => ({
    attempt: false,
    spent: 0,
    uncertain: false,
    charged: 0,
    counter: 'throttled',
    record: { kind: 'held', error: 'rate limited' },
    next: { kind: 'again', delayMs: d.delayMs },
  }),
  retry: (d, cost) => ({
    attempt: true,
    spent: d.uncertain ? cost : 0,
    uncertain: d.uncertain,
    charged: 0,
    counter: 'retried',
    last: { error: d.error, httpStatus: d.httpStatus },
    record: { kind: 'held', error: d.error },
    next: { kind: 'again', delayMs: d.delayMs },
  }),
  failed: (d, cost) => ({
    attempt: true,
    spent: d.uncertain ? cost : d.credits,
    uncertain: d.uncertain,
    charged: d.credits,
    last: { error: d.error, httpStatus: d.httpStatus },
    record: { kind: 'unanswered', error: d.error },
    next: { kind: 'end', status: 'failed' },
  }),
  stop: (d) => ({
    attempt: true,
    spent: 0,
    uncertain: false,
    charged: 0,
    ...(d.reason === 'credits' && d.creditsLeft !== undefined && { creditsLeft: d.creditsLeft }),
    last: { error: d.error, httpStatus: d.httpStatus },
    record: { kind: 'unanswered', error: d.error },
    stop: stopOf(d),
    next: { kind: 'end', status: 'pending' },
  }),
  // No HTTP status of its own to give the row (a wrong address's is in the message).
  fatal: (d) => ({
    attempt: true,
    spent: 0,
    uncertain: false,
    charged: 0,
    last: { error: d.message },
    record: { kind: 'unanswered', error: d.message },
    stop: { reason: 'fatal', code: d.code, message: d.message },
    fatalWords: d.words,
    next: { kind: 'end', status: 'pending' },
  }),
};

/** A stop decision's facts: the 402's words, or when the quota resets. */
const stopOf = (d: Extract<Decision, { kind: 'stop' }>): StopFacts =>
  d.reason === 'quota'
    ? { reason: 'quota', resetsAt: d.resetsAt }
    : { reason: 'credits', refusedBy: 'api', httpStatus: d.httpStatus, apiSaid: d.apiSaid };

/** What `decision` does, for a request that cost `cost` when charged in full. */
export function effectsOf(decision: Decision, cost: number): Effects {
  return (EFFECTS[decision.kind] as (d: Decision, cost: number) => Effects)(decision, cost);
}
