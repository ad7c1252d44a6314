import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, startCli } from './helpers/cli.js';
import { contactsFile, enrichArgs, workdir } from './helpers/enrich.js';
import { HAVE_REDIS, RedisServer } from './helpers/redis.js';
import type { Sandbox } from '../src/sandbox/server.js';
import { key, withSandbox } from './helpers/sandbox.js';

const range = (from: number, n: number): Array<[string, string, string]> =>
  Array.from({ length: n }, (_, i) => [`Pessoa${from + i}`, 'Silva', 'Teste 200']);

/**
 * Runs on one --cache must all use the same Redis, or none: with --redis, claims are made in
 * Redis only, so a run with it and a run without never see each other's claims (measured: 307-504
 * contacts paid twice on half-overlapping files). The cache records its Redis; a run that
 * disagrees stops before it spends (real CLI, real Redis, the sandbox's ledger).
 */
describe.skipIf(!HAVE_REDIS)('one --cache, one Redis or none (real CLI, real Redis)', () => {
  const rich = key('CacheRedis', { plan: 'crm_enterprise', credits: 1_000_000 });
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  const run = async (sandbox: Sandbox, input: string, extra: string[], env: NodeJS.ProcessEnv = {}) =>
    finished(
      startCli(enrichArgs(sandbox, input, await workdir(), extra), { env: { FLUENCE_API_KEY: rich.key, ...env } }),
    );

  it('a cache used without Redis refuses a run with --redis (and the reverse), before any request', {
    timeout: 90_000,
  }, async () => {
    const dir = await workdir();
    const [a, b] = [await contactsFile(dir, range(0, 20), 'a.csv'), await contactsFile(dir, range(100, 20), 'b.csv')];
    await withSandbox({ keys: [rich] }, async (sandbox) => {
      const plain = join(dir, 'plain.sqlite');
      expect((await run(sandbox, a, ['--cache', plain])).code).toBe(0);
      expect(sandbox.ledger.contactsCharged).toBe(20);
      // A password in the URL: never shown, never kept.
      const withPassword = redis.url.replace('redis://', 'redis://:S3cretPw@');
      const refused = await run(sandbox, b, ['--cache', plain], { FLUENCE_REDIS_URL: withPassword });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/used without Redis.*Run without --redis.*\[CACHE_REDIS_MISMATCH\]/s);
      expect(refused.stderr).not.toContain('S3cretPw');
      expect(sandbox.ledger.contactsCharged).toBe(20);

      const shared = join(dir, 'shared.sqlite');
      expect((await run(sandbox, a, ['--cache', shared, '--redis', redis.url, '--redis-prefix', 'team-a'])).code).toBe(
        0,
      );
      const charged = sandbox.ledger.contactsCharged;
      const noRedis = await run(sandbox, b, ['--cache', shared]);
      expect(noRedis.code).toBe(1);
      expect(noRedis.stderr).toMatch(
        /used with Redis \(--redis-prefix team-a\).*Pass --redis.*--redis-prefix team-a.*\[CACHE_REDIS_MISMATCH\]/s,
      );
      const otherPrefix = await run(sandbox, b, ['--cache', shared, '--redis', redis.url, '--redis-prefix', 'team-b']);
      expect(otherPrefix.code).toBe(1);
      expect(otherPrefix.stderr).toMatch(
        /the same Redis with --redis-prefix team-a, not team-b.*\[CACHE_REDIS_MISMATCH\]/s,
      );
      const otherRedis = await run(sandbox, b, [
        '--cache',
        shared,
        '--redis',
        'redis://127.0.0.2:1/3',
        '--redis-prefix',
        'team-a',
      ]);
      expect(otherRedis.code).toBe(1);
      expect(otherRedis.stderr).toMatch(/another Redis than redis:\/\/127\.0\.0\.2:1\/3.*\[CACHE_REDIS_MISMATCH\]/s);
      expect(sandbox.ledger.contactsCharged).toBe(charged);

      // The same Redis and prefix (another spelling of the address's database): runs, and pays only for its new contacts.
      const same = await run(sandbox, b, ['--cache', shared, '--redis', `${redis.url}/0`, '--redis-prefix', 'team-a']);
      expect(same.code, same.stderr).toBe(0);
      expect(sandbox.ledger.contactsCharged).toBe(charged + 20);

      // The cache keeps a hash of the address and the prefix: no host, no password.
      const db = new Database(shared, { readonly: true });
      const recorded = (db.prepare("SELECT v FROM meta WHERE k = 'redis'").get() as { v: string }).v;
      db.close();
      expect(recorded).toMatch(/^redis \S{12} team-a$/);
      expect(recorded).not.toContain('127.0.0.1');
    });
  });
});
