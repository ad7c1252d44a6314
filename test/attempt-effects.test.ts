import { describe, expect, it } from 'vitest';
import { ctx, http, rate } from './helpers/replies.js';
import { decide, type DecideContext } from '../src/api/outcome.js';
import type { ApiReply } from '../src/api/reply.js';
import { effectsOf } from '../src/engine/attempt-effects.js';

/** The effects of the decision on `reply`, for a request that costs 2 credits (/crm). */
const effects = (reply: ApiReply, over: Partial<DecideContext> = {}) => effectsOf(decide(reply, ctx(over)), 2);

describe('what an attempt does, per decision (pure)', () => {
  it("a final answer settles what it was charged, is stored, and is the row's answer", () => {
    expect(
      effects(http(200, { analise: { a: 1 }, billing_info: { creditos_utilizados: 2, creditos_restantes: 7 } })),
    ).toEqual({
      attempt: true,
      spent: 2,
      uncertain: false,
      charged: 2,
      creditsLeft: 7,
      record: { kind: 'final', result: { status: 'ok', httpStatus: 200, credits: 2, error: '', analise: '{"a":1}' } },
      next: { kind: 'answer', status: 'ok', httpStatus: 200, error: '', analiseJson: '{"a":1}' },
    });
    // Refunded: nothing settled as spent.
    expect(effects(http(422, { error: 'pouco' }))).toMatchObject({ spent: 0, charged: 0, record: { kind: 'final' } });
  });

  it('a possible charge without an answer is settled at the full cost and counted uncertain, once per attempt', () => {
    expect(effects(http(504, {}))).toMatchObject({
      attempt: true,
      spent: 2,
      uncertain: true,
      charged: 0,
      counter: 'retried',
      record: { kind: 'held' },
      next: { kind: 'again' },
    });
    expect(effects(http(500, {}))).toMatchObject({ spent: 0, uncertain: false, counter: 'retried' });
    expect(effects(http(504, {}), { attempt: 5 })).toMatchObject({
      spent: 2,
      uncertain: true,
      charged: 0,
      record: { kind: 'unanswered' },
      next: { kind: 'end', status: 'failed' },
    });
    // Charged, unreadable: known spent, not uncertain, never asked again this run.
    expect(effects(http(200, undefined, { bodyError: 'answer is not JSON' }))).toMatchObject({
      spent: 2,
      uncertain: false,
      charged: 2,
      next: { kind: 'end', status: 'failed' },
    });
  });

  it('a 429 is no attempt: nothing spent, the contact stays held, the same request waits its turn again', () => {
    expect(effects(http(429, {}, { rate: { ...rate, retryAfter: 2 } }))).toEqual({
      attempt: false,
      spent: 0,
      uncertain: false,
      charged: 0,
      counter: 'throttled',
      record: { kind: 'held', error: 'rate limited' },
      next: { kind: 'again', delayMs: 2000 },
    });
  });

  it('out of credits, or a fatal answer, stops the run with the row pending; a fatal answer keeps the last HTTP status', () => {
    expect(effects(http(402, { error: 'sem créditos' }))).toMatchObject({
      spent: 0,
      stop: { reason: 'credits', refusedBy: 'api', httpStatus: 402, apiSaid: 'sem créditos' },
      last: { error: 'sem créditos', httpStatus: 402 },
      next: { kind: 'end', status: 'pending' },
    });
    // The balance a refusal reports is the newest: "left" in the summary follows it.
    expect(
      effects(http(402, { error: 'sem créditos', billing_info: { creditos_utilizados: 0, creditos_restantes: 0 } }))
        .creditsLeft,
    ).toBe(0);
    const fatal = effects(http(401, {}));
    expect(fatal).toMatchObject({
      spent: 0,
      stop: { reason: 'fatal', code: 'INVALID_KEY' },
      record: { kind: 'unanswered' },
      next: { kind: 'end', status: 'pending' },
    });
    expect(fatal.last).toEqual({ error: expect.stringContaining('401') });
  });
});
