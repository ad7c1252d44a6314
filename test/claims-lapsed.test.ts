import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decideClaim, LEASE_MS } from '../src/sharing/claim-rule.js';
import type { ClaimView } from '../src/sharing/types.js';
import { Claims, type ClaimStore } from '../src/sharing/claims.js';
import { RedisAnswers } from '../src/sharing/redis/answers.js';
import { RedisKeys } from '../src/sharing/redis/keys.js';
import { HAVE_REDIS, RedisServer } from './helpers/redis.js';

/**
 * A run on another machine cannot be seen alive: once its heartbeat is older than the lease its
 * claims are taken over. A run that wakes after such a gap must not send what it holds without
 * checking its claim is still its own (real Redis; the gap is the clock moved on, the takeover
 * another run's claim landing in that gap).
 */
describe.skipIf(!HAVE_REDIS)(
  'a run whose lease lapsed re-checks its claim before the request leaves (real Redis)',
  () => {
    let redis: RedisServer;
    let client: Redis;
    beforeAll(async () => {
      redis = await RedisServer.start();
      client = new Redis(redis.port, '127.0.0.1');
    });
    afterAll(async () => {
      client?.disconnect();
      await redis?.stop();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    /** A run `r1` whose claim of `contact`, once landed, is followed by `gap` (what happens while it is paused). */
    const claimAcross = async (prefix: string, gap: { lapse: boolean; takeover: boolean }) => {
      const answers = new RedisAnswers(client, new RedisKeys(prefix, 'http://x'));
      const store: ClaimStore = {
        heartbeat: (...args) => answers.heartbeat(...args),
        peek: (...args) => answers.peek(...args),
        endRun: (...args) => answers.endRun(...args),
        claim: async (endpoint, contact, runId, decide) => {
          const made = await answers.claim(endpoint, contact, runId, decide);
          if (gap.lapse) vi.setSystemTime(Date.now() + 2 * LEASE_MS);
          // A run on another machine saw r1's lease lapse and took the contact over.
          if (gap.takeover) await answers.claim(endpoint, contact, 'r2', () => ({ kind: 'ask', uncertain: false }));
          return made;
        },
      };
      vi.useFakeTimers({ toFake: ['Date'] });
      const claims = new Claims(store, { runId: 'r1', endpoint: 'crm', reusable: () => false });
      await claims.start();
      try {
        return await claims.claimNow('maria|santos|acme', new AbortController().signal);
      } finally {
        await claims.stop();
      }
    };

    it('a claim in one round trip decides as the claim rule on the row read first', async () => {
      const answers = new RedisAnswers(client, new RedisKeys('one-trip', 'http://x'));
      const decide = (runId: string) => (row: ClaimView | undefined) =>
        decideClaim(row && { state: row.state, run: row.run, holder: row.holder, reusable: true }, {
          runId,
          nowMs: Date.now(),
          host: 'h',
          isAlive: () => true,
        });
      await answers.heartbeat('mine', 'h', 1);
      await answers.heartbeat('theirs', 'h', 2);
      const final = { status: 'ok' as const, httpStatus: 200, credits: 1, error: '', analise: '{}' };
      answers.markStarted('crm', 'own', 'mine');
      answers.markStarted('crm', 'held', 'theirs');
      answers.markUnanswered('crm', 'tried', 'timeout');
      answers.saveFinal('crm', 'done', final, 'theirs');
      await answers.peek('crm', 'done'); // the writes above are sent in order before this read
      for (const contact of ['nobody', 'own', 'held', 'tried', 'done']) {
        const expected = decide('mine')(await answers.peek('crm', contact));
        expect((await answers.claim('crm', contact, 'mine', decide('mine'))).decision, contact).toEqual(expected);
        expect((await answers.peek('crm', contact))?.run ?? null, contact).toBe(
          expected.kind === 'ask' ? 'mine' : contact === 'held' ? 'theirs' : null,
        );
      }
    });

    it('taken over during the gap: given back (held), not sent', async () => {
      expect(await claimAcross('lapsed-lost', { lapse: true, takeover: true })).toEqual({ kind: 'held' });
    });

    it('still its own after the gap, or no gap: sent', async () => {
      expect(await claimAcross('lapsed-kept', { lapse: true, takeover: false })).toEqual({
        kind: 'claimed',
        uncertain: false,
      });
      expect(await claimAcross('no-gap', { lapse: false, takeover: false })).toEqual({
        kind: 'claimed',
        uncertain: false,
      });
    });
  },
);
