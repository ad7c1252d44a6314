import { describe, expect, it } from 'vitest';
import { ctx, http, rate } from './helpers/replies.js';
import { decide } from '../src/api/outcome.js';
import { rateLimitWait, retryDelay } from '../src/api/retry-delay.js';
import { Budget } from '../src/engine/budget.js';

const billing = (used: number) => ({
  billing_info: { creditos_utilizados: used, creditos_restantes: 10, tipo_plano: 'enterprise_crm' },
});

describe('outcome per status (pure)', () => {
  it('200, 404, 409 are final and charged; 422 and 400 final and free', () => {
    expect(decide(http(200, { analise: { a: 1 }, ...billing(2) }), ctx())).toMatchObject({
      kind: 'final',
      status: 'ok',
      credits: 2,
      creditsLeft: 10,
    });
    expect(decide(http(404, { error: 'x' }), ctx())).toMatchObject({ kind: 'final', status: 'not_found', credits: 2 });
    expect(decide(http(409, billing(2)), ctx())).toMatchObject({ kind: 'final', status: 'ambiguous', credits: 2 });
    expect(decide(http(422, { error: 'pouco', error_code: 'INSUFFICIENT_DATA' }), ctx())).toMatchObject({
      kind: 'final',
      status: 'insufficient_data',
      credits: 0,
      error: 'INSUFFICIENT_DATA: pouco',
    });
    expect(decide(http(400, { error: 'bad' }), ctx())).toMatchObject({
      kind: 'final',
      status: 'invalid_input',
      credits: 0,
    });
    // The endpoint's cost is used when billing_info is absent.
    expect(decide(http(200, { analise: 'texto' }), ctx({ endpoint: 'crm_basico' }))).toMatchObject({
      kind: 'final',
      credits: 1,
    });
  });

  it('a 200 that cannot be read is failed, charged, and not asked again', () => {
    expect(decide(http(200, undefined, { bodyError: 'answer is not JSON' }), ctx())).toMatchObject({
      kind: 'failed',
      credits: 2,
      uncertain: false,
    });
    expect(decide(http(200, { billing_info: {} }), ctx())).toMatchObject({
      kind: 'failed',
      error: 'answer has no analise',
    });
  });

  it('5xx and lost connections are retried with growing delays, then failed; 504 and sent requests are uncertain', () => {
    expect(decide(http(500, {}), ctx())).toMatchObject({ kind: 'retry', uncertain: false, delayMs: 750 });
    expect(decide(http(502, {}), ctx({ attempt: 2 }))).toMatchObject({
      kind: 'retry',
      uncertain: false,
      delayMs: 1500,
    });
    expect(decide(http(504, {}), ctx())).toMatchObject({ kind: 'retry', uncertain: true });
    expect(
      decide({ kind: 'network', code: 'ECONNRESET', message: 'socket hang up', maybeSent: true }, ctx()),
    ).toMatchObject({ kind: 'retry', uncertain: true });
    expect(
      decide({ kind: 'network', code: 'ECONNREFUSED', message: 'refused', maybeSent: false }, ctx()),
    ).toMatchObject({ kind: 'retry', uncertain: false });
    expect(decide(http(503, {}), ctx({ attempt: 5 }))).toMatchObject({
      kind: 'failed',
      credits: 0,
      error: expect.stringContaining('gave up after 5 attempts'),
    });
  });

  it('402 stops for credits; 429 waits for Retry-After, or stops when the reset is far (monthly quota)', () => {
    expect(decide(http(402, { error: 'sem créditos' }), ctx())).toMatchObject({ kind: 'stop', reason: 'credits' });
    expect(decide(http(429, {}, { rate: { ...rate, retryAfter: 2 } }), ctx())).toEqual({ kind: 'wait', delayMs: 2000 });
    expect(decide(http(429, {}, { rate: { ...rate, reset: 10 } }), ctx({ nowMs: 9_500 }))).toEqual({
      kind: 'wait',
      delayMs: 500,
    });
    const quota = decide(http(429, {}, { rate: { ...rate, retryAfter: 3 * 86_400 } }), ctx());
    expect(quota).toMatchObject({ kind: 'stop', reason: 'quota' });
    // When it resets is data (the summary's quotaResetsAt), not read back from the words.
    expect(quota).toHaveProperty('resetsAt', new Date(ctx().nowMs + 3 * 86_400_000).toISOString());
  });

  it('bad key, plan without access, unknown 403 and redirects are fatal', () => {
    expect(decide(http(401, {}), ctx())).toMatchObject({ kind: 'fatal', code: 'INVALID_KEY' });
    expect(decide(http(403, { message: 'Forbidden' }), ctx())).toMatchObject({ kind: 'fatal', code: 'INVALID_KEY' });
    expect(
      decide(http(403, { error: 'no', error_code: 'ACCESS_DENIED', current_tier: 'platform_professional' }), ctx()),
    ).toMatchObject({ kind: 'fatal', code: 'PLAN_NO_CRM_ACCESS' });
    expect(decide(http(403, { message: 'Other' }), ctx())).toMatchObject({ kind: 'fatal', code: 'FORBIDDEN' });
    expect(decide(http(301, {}), ctx())).toMatchObject({ kind: 'fatal', code: 'UNEXPECTED_REDIRECT' });
  });
});

describe('a gateway answering for a route the API does not have (pure)', () => {
  it("a 404 is a paid not_found only when it is the API's own answer; else the address is wrong and nothing is final", () => {
    expect(decide(http(404, { error_code: 'PROFILE_NOT_FOUND' }), ctx())).toMatchObject({
      kind: 'final',
      status: 'not_found',
    });
    expect(decide(http(404, billing(2)), ctx())).toMatchObject({ kind: 'final', status: 'not_found' });
    for (const body of [{ message: 'Not Found' }, undefined, 'Not Found', {}]) {
      expect(decide(http(404, body), ctx({ baseUrl: 'https://x/prod' }))).toMatchObject({
        kind: 'fatal',
        code: 'WRONG_ADDRESS',
        message: expect.stringContaining('https://x/prod/crm'),
      });
    }
    expect(decide(http(403, { message: 'Missing Authentication Token' }), ctx())).toMatchObject({
      kind: 'fatal',
      code: 'WRONG_ADDRESS',
    });
  });
});

describe('retry delay (pure)', () => {
  it('grows exponentially within [ceiling/2, ceiling], capped, and stops at maxAttempts', () => {
    const policy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 10_000 };
    expect(retryDelay(1, policy, () => 0)).toBe(500);
    expect(retryDelay(1, policy, () => 1)).toBe(1000);
    expect(retryDelay(3, policy, () => 1)).toBe(4000);
    expect(retryDelay(6, policy, () => 1)).toBe(10_000);
    expect(retryDelay(8, policy)).toBeUndefined();
  });

  it('waits for Retry-After, else X-RateLimit-Reset, else a second', () => {
    expect(rateLimitWait({ retryAfter: 3, reset: 99 }, 0)).toBe(3000);
    expect(rateLimitWait({ retryAfter: undefined, reset: 12 }, 10_000)).toBe(2000);
    expect(rateLimitWait({ retryAfter: undefined, reset: undefined }, 0)).toBe(1000);
  });
});

describe('budget', () => {
  it('never lets spent + reserved pass the limit; refunds free the reservation', () => {
    const budget = new Budget(3);
    expect(budget.reserve(2)).toBe(true);
    expect(budget.reserve(2)).toBe(false);
    budget.settle(2, 0);
    expect(budget.reserve(2)).toBe(true);
    budget.settle(2, 2);
    expect(budget.reserve(1)).toBe(true);
    expect(budget.reserve(1)).toBe(false);
    expect(budget.spent).toBe(2);
  });

  it('a request the limit refuses only for what requests in flight hold waits for them; it is refused once the spent credits leave no room', async () => {
    const budget = new Budget(2);
    expect(budget.reserveOrWait(1)).toBe(true);
    expect(budget.reserveOrWait(1)).toBe(true);
    const waiting = budget.reserveOrWait(1);
    expect(waiting).toBeInstanceOf(Promise);
    budget.settle(1, 0);
    await waiting;
    // One came back uncharged: its room is the waiting request's.
    expect(budget.reserveOrWait(1)).toBe(true);
    budget.settle(1, 1);
    budget.settle(1, 1);
    expect(budget.reserveOrWait(1)).toBe(false);
    expect(budget.spent).toBe(2);
  });
});
