import type { ErrorCode } from '../errors.js';
import { DEFAULT_LANG, message, render, type Message } from '../i18n/index.js';
import { ENDPOINT_COST, type CrmEndpoint } from './plans.js';
import { field } from './json-path.js';
import type { ApiReply } from './reply.js';
import { rateLimitWait, retryDelay, type RetryPolicy } from './retry-delay.js';

/** Row statuses written to `fluence_status`. */
export type RowStatus = 'ok' | 'not_found' | 'ambiguous' | 'insufficient_data' | 'invalid_input' | 'failed' | 'pending';
export type FinalStatus = Exclude<RowStatus, 'failed' | 'pending'>;

export type Decision =
  /** A final answer: stored, never asked again. */
  | {
      kind: 'final';
      status: FinalStatus;
      httpStatus: number;
      credits: number;
      error: string;
      analise: unknown;
      creditsLeft: number | undefined;
    }
  /** Worth another try after `delayMs`. `uncertain`: the server may have charged this attempt. */
  | { kind: 'retry'; delayMs: number; httpStatus: number | undefined; error: string; uncertain: boolean }
  /** Throttled: try again after `delayMs` through the limiter; not an attempt. */
  | { kind: 'wait'; delayMs: number }
  /** Given up for this run: `credits` known charged, `uncertain` when a charge is possible but unknown. */
  | { kind: 'failed'; httpStatus: number | undefined; error: string; credits: number; uncertain: boolean }
  /** Stop sending: the account is out of credits (`apiSaid`: the 402's own words, '' when none). The row stays pending. */
  | {
      kind: 'stop';
      reason: 'credits';
      httpStatus: number;
      error: string;
      apiSaid: string;
      creditsLeft: number | undefined;
    }
  /** Stop sending: the monthly quota is used up; it resets at `resetsAt` (ISO 8601). The row stays pending. */
  | { kind: 'stop'; reason: 'quota'; httpStatus: number; error: string; resetsAt: string }
  /** Nothing will work this run (bad key, plan, URL). */
  | { kind: 'fatal'; code: ErrorCode; message: string; words: Message };

export interface DecideContext {
  endpoint: CrmEndpoint;
  /** 1-based attempt that produced `reply`. */
  attempt: number;
  policy: RetryPolicy;
  nowMs: number;
  /** A 429 asking us to wait longer than this (a monthly quota) stops the run. */
  maxRateWaitMs: number;
  random?: () => number;
  /** Named in messages about a wrong address. */
  baseUrl?: string;
}

const FINAL: Record<number, FinalStatus> = {
  200: 'ok',
  404: 'not_found',
  409: 'ambiguous',
  422: 'insufficient_data',
  400: 'invalid_input',
};
/** The refund table of API-NOTES.md: what each final status costs when the answer does not say. */
const CHARGED = new Set([200, 404, 409]);

/**
 * The API's own answers carry `error`, `error_code` or `billing_info`; a gateway in front of it
 * answers a route it does not know with only `message` (HTTP API: 404 "Not Found"; REST API: 403
 * "Missing Authentication Token"). Such a 404 is no search result: the request never reached the API.
 */
export function isApiAnswer(body: unknown): boolean {
  return (
    field(body, 'error') !== undefined ||
    field(body, 'error_code') !== undefined ||
    field(body, 'billing_info') !== undefined
  );
}

/** A gateway's answer for an address it has no route for: the base URL or path is wrong. */
export function isWrongAddress(status: number, body: unknown): boolean {
  return (
    (status === 404 && !isApiAnswer(body)) ||
    (status === 403 && field(body, 'message') === 'Missing Authentication Token')
  );
}

function errorText(body: unknown): string {
  const error = field(body, 'error') ?? field(body, 'message');
  const code = field(body, 'error_code');
  const text = typeof error === 'string' ? error : '';
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}

/** A refusal of the key itself: a 401, or the gateway's 403 "Forbidden" (API-NOTES.md). */
export function isKeyRefused(status: number, body: unknown): boolean {
  return status === 401 || (status === 403 && field(body, 'message') === 'Forbidden');
}

/** The whole policy for one answer, as a pure function: outcome, charge, retry or stop. */
export function decide(reply: ApiReply, ctx: DecideContext): Decision {
  if (reply.kind === 'network') {
    const error = `${reply.code}: ${reply.message}`;
    if (reply.code === 'ERR_BODY_TOO_LARGE')
      return { kind: 'failed', httpStatus: undefined, error, credits: 0, uncertain: true };
    return again(ctx, undefined, error, reply.maybeSent);
  }
  const { status, body } = reply;
  if (isWrongAddress(status, body)) return wrongAddress(status, body, ctx);
  if (FINAL[status]) return finalAnswer(reply, ctx);
  return refusal(reply, ctx) ?? otherStatus(status, body, ctx);
}

/** Worth another try, unless the attempts are spent: then failed, with what is known charged. */
function again(
  ctx: DecideContext,
  httpStatus: number | undefined,
  error: string,
  uncertain: boolean,
  known = 0,
): Decision {
  const delayMs = retryDelay(ctx.attempt, ctx.policy, ctx.random);
  if (delayMs === undefined)
    return {
      kind: 'failed',
      httpStatus,
      error: `${error} (gave up after ${ctx.attempt} attempts)`,
      credits: known,
      uncertain,
    };
  return { kind: 'retry', delayMs, httpStatus, error, uncertain };
}

/** The balance an answer reports, when it does. */
function creditsLeftIn(body: unknown): number | undefined {
  const left = field(body, 'billing_info', 'creditos_restantes');
  return typeof left === 'number' ? left : undefined;
}

/** Nothing will work this run: `words` for the reader's language, `message` the English (the row's error, logs). */
const fatal = (code: ErrorCode, words: Message): Decision => ({
  kind: 'fatal',
  code,
  message: render(DEFAULT_LANG, words),
  words,
});

function wrongAddress(status: number, body: unknown, ctx: DecideContext): Decision {
  // Not a paid "no result": nothing is saved as final, and every other row would meet the same.
  const said = field(body, 'message');
  return fatal(
    'WRONG_ADDRESS',
    message('errors.wrongAddress.post', {
      url: `${ctx.baseUrl ?? ''}/${ctx.endpoint}`,
      status: String(status),
      said: typeof said === 'string' ? ` "${said}"` : '',
    }),
  );
}

/** 200, 404, 409, 422, 400: the answer for this person, charged as the answer says (else as the refund table). */
function finalAnswer(reply: Extract<ApiReply, { kind: 'http' }>, ctx: DecideContext): Decision {
  const cost = ENDPOINT_COST[ctx.endpoint];
  const { status, body } = reply;
  const final = FINAL[status]!;
  if (status === 200 && (reply.bodyError !== undefined || field(body, 'analise') === undefined)) {
    // Charged, but we cannot read what we paid for; asking again would charge again.
    return {
      kind: 'failed',
      httpStatus: status,
      error: reply.bodyError ?? 'answer has no analise',
      credits: cost,
      uncertain: false,
    };
  }
  const billed = field(body, 'billing_info', 'creditos_utilizados');
  const credits = typeof billed === 'number' ? billed : CHARGED.has(status) ? cost : 0;
  return {
    kind: 'final',
    status: final,
    httpStatus: status,
    credits,
    error: status === 200 ? '' : errorText(body),
    analise: field(body, 'analise'),
    creditsLeft: creditsLeftIn(body),
  };
}

/** 401, 402, 403, 429: the key, the credits, the plan or the rate says no; undefined for any other status. */
function refusal(reply: Extract<ApiReply, { kind: 'http' }>, ctx: DecideContext): Decision | undefined {
  const { status, body } = reply;
  // A plan without CRM access first: its 403 is not the key's.
  if (status === 403 && field(body, 'error_code') === 'ACCESS_DENIED') {
    return fatal(
      'PLAN_NO_CRM_ACCESS',
      message('errors.planNoCrmAccess', { plan: String(field(body, 'current_tier')) }),
    );
  }
  if (isKeyRefused(status, body)) return keyRefused(status);
  switch (status) {
    case 402:
      // The balance the refusal reports is the lowest yet: the summary's "left" must not keep an older one.
      return {
        kind: 'stop',
        reason: 'credits',
        httpStatus: status,
        error: errorText(body) || 'not enough credits',
        apiSaid: errorText(body),
        creditsLeft: creditsLeftIn(body),
      };
    case 403:
      return fatal('FORBIDDEN', message('errors.forbidden', { detail: errorText(body) }));
    case 429: {
      const delayMs = rateLimitWait(reply.rate, ctx.nowMs);
      if (delayMs > ctx.maxRateWaitMs) {
        const when = new Date(ctx.nowMs + delayMs).toISOString();
        return {
          kind: 'stop',
          reason: 'quota',
          httpStatus: status,
          error: `monthly quota reached; it resets at ${when}`,
          resetsAt: when,
        };
      }
      return { kind: 'wait', delayMs };
    }
    default:
      return undefined;
  }
}

/** The key refused (see `isKeyRefused`): nothing will work this run. */
function keyRefused(status: number): Decision {
  if (status === 401) return fatal('INVALID_KEY', message('errors.invalidKey.refused', { status: String(status) }));
  return fatal('INVALID_KEY', message('errors.invalidKey.gateway'));
}

/** A redirect, a server error (tried again), or a status the API does not use. */
function otherStatus(status: number, body: unknown, ctx: DecideContext): Decision {
  if (status >= 300 && status < 400) {
    return fatal('UNEXPECTED_REDIRECT', message('errors.unexpectedRedirect', { status: String(status) }));
  }
  // 504 means the gateway gave up while the service worked on it: it may have charged.
  if (status >= 500) return again(ctx, status, `HTTP ${status} ${errorText(body)}`.trim(), status === 504);
  return {
    kind: 'failed',
    httpStatus: status,
    error: `unexpected HTTP ${status} ${errorText(body)}`.trim(),
    credits: 0,
    uncertain: false,
  };
}
