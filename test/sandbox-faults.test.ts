import { describe, expect, it } from 'vitest';
import { FaultPlan, parseFaultRates, parseLatency, type FaultKind } from '../src/sandbox/faults.js';
import { call, ENTERPRISE, person, withSandbox } from './helpers/sandbox.js';

/** A company the directory always finds, so the fault alone decides the answer. */
const FOUND = 'Teste 200 Ltda';

describe('sandbox: fault injection', () => {
  const answered: Array<[FaultKind, number, boolean]> = [
    ['error500', 500, false],
    ['error502', 502, false],
    ['error503', 503, false],
    ['error504', 504, true],
    ['malformed', 200, true],
  ];
  for (const [fault, status, charged] of answered) {
    it(`${fault}: answers ${status}, ${charged ? 'charged' : 'not charged'}`, async () => {
      await withSandbox({ faults: { rates: { [fault]: 1 } } }, async (sandbox) => {
        const reply = await call(sandbox, '/crm_basico', { key: ENTERPRISE, body: person(FOUND) });
        expect(reply.status).toBe(status);
        if (fault === 'malformed') expect(reply.body).toBeUndefined();
        expect(sandbox.ledger.totalCharged).toBe(charged ? 1 : 0);
      });
    });
  }

  for (const [fault, charged] of [
    ['dropBeforeCharge', false],
    ['dropAfterCharge', true],
  ] as const) {
    it(`${fault}: resets the connection, ${charged ? 'after' : 'before'} charging`, async () => {
      await withSandbox({ faults: { rates: { [fault]: 1 } } }, async (sandbox) => {
        await expect(call(sandbox, '/crm_basico', { key: ENTERPRISE, body: person(FOUND) })).rejects.toThrow();
        expect(sandbox.ledger.totalCharged).toBe(charged ? 1 : 0);
        expect(sandbox.ledger.requests['/crm_basico']).toEqual({ dropped: 1 });
      });
    });
  }

  it('hang: never answers, charges nothing, and close() still returns', async () => {
    await withSandbox({ faults: { rates: { hang: 1 } } }, async (sandbox) => {
      await expect(
        call(sandbox, '/crm_basico', { key: ENTERPRISE, body: person(FOUND), timeoutMs: 200 }),
      ).rejects.toThrow(/abort|timeout/i);
      expect(sandbox.ledger.totalCharged).toBe(0);
    });
  });

  it('latency: answers no sooner than asked, and counts peak concurrency', async () => {
    await withSandbox({ faults: { latencyMs: 150 } }, async (sandbox) => {
      const started = performance.now();
      const replies = await Promise.all(
        [1, 2, 3, 4, 5].map((i) =>
          call(sandbox, '/crm_basico', { key: ENTERPRISE, body: person('Teste 404', `P${i}`) }),
        ),
      );
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);
      expect(replies.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
      expect(sandbox.ledger.peakConcurrency).toBe(5);
      expect(sandbox.ledger.inFlight).toBe(0);
    });
  });

  it('draws the same faults for the same seed, whatever the order, and fresh ones on a retry', () => {
    const rates = { error500: 0.3, hang: 0.1 };
    const a = new FaultPlan({ rates, seed: 's1', latencyMs: [100, 200] });
    const b = new FaultPlan({ rates, seed: 's1', latencyMs: [100, 200] });
    const people = Array.from({ length: 200 }, (_, i) => `p${i}`);
    const forward = people.map((p) => a.draw(p, 1));
    const backward = [...people]
      .reverse()
      .map((p) => b.draw(p, 1))
      .reverse();
    expect(backward).toEqual(forward);
    const faults = forward.filter((d) => d.fault === 'error500').length;
    expect(faults).toBeGreaterThan(30);
    expect(faults).toBeLessThan(90);
    for (const d of forward) {
      expect(d.latencyMs).toBeGreaterThanOrEqual(100);
      expect(d.latencyMs).toBeLessThanOrEqual(200);
    }
    expect(people.map((p) => a.draw(p, 2))).not.toEqual(forward);
    expect(people.map((p) => new FaultPlan({ rates, seed: 's2' }).draw(p, 1).fault)).not.toEqual(
      forward.map((d) => d.fault),
    );
  });

  it('parses --latency and --fault, refusing nonsense with the option named', () => {
    expect(parseLatency('300')).toBe(300);
    expect(parseLatency('300-3000')).toEqual([300, 3000]);
    expect(() => parseLatency('fast')).toThrow(/--latency/);
    expect(parseFaultRates(['error500=0.1', 'hang=0.05'])).toEqual({ error500: 0.1, hang: 0.05 });
    expect(() => parseFaultRates(['explode=0.1'])).toThrow(/--fault/);
    expect(() => parseFaultRates(['error500=2'])).toThrow(/--fault/);
    expect(() => parseFaultRates(['error500=0.7', 'hang=0.7'])).toThrow(/more than 1/);
  });
});
