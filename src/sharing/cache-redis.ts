import { createHash } from 'node:crypto';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import type { RedisTarget } from '../redis/url.js';

/**
 * Which Redis a `--cache` is used with. Runs on one cache must all meet in the same Redis (same
 * server, database and `--redis-prefix`), or none of them: with `--redis` claims are made in
 * Redis only, so a run with it and a run without (or with another Redis) never see each other's
 * claims and pay twice for the contacts their files share. The cache records it at its first run;
 * a run that disagrees stops before it spends.
 *
 * Recorded: `none`, or `redis <hash of the address> <prefix>`. The address is hashed (host,
 * port, database: never the user or password), so the cache file names no server either.
 */
export function cacheRedisRecord(target: RedisTarget | undefined): string {
  if (!target) return 'none';
  const url = new URL(target.url);
  const address = `${url.hostname.toLowerCase()}:${url.port || '6379'}/${url.pathname.replace('/', '') || '0'}`;
  const hash = createHash('sha256').update(address).digest('base64url').slice(0, 12);
  return `redis ${hash} ${target.prefix}`;
}

/** Stops a run whose Redis (or none) is not the one the cache's runs use, saying what to pass. */
export function checkCacheRedis(path: string, recorded: string, target: RedisTarget | undefined): void {
  const mine = cacheRedisRecord(target);
  if (recorded === mine) return;
  const [, address, prefix] = recorded.split(' ');
  if (recorded === 'none') {
    throw new FluenceError(
      'CACHE_REDIS_MISMATCH',
      message('errors.cacheRedisMismatch', { path, was: 'none', redis: target!.shown, prefix: '', mine: '' }),
    );
  }
  if (!target) {
    throw new FluenceError(
      'CACHE_REDIS_MISMATCH',
      message('errors.cacheRedisMismatch', { path, was: 'redis', redis: '', prefix: prefix ?? '', mine: '' }),
    );
  }
  const [, myAddress] = mine.split(' ');
  throw new FluenceError(
    'CACHE_REDIS_MISMATCH',
    message('errors.cacheRedisMismatch', {
      path,
      was: myAddress === address ? 'prefix' : 'other',
      redis: target.shown,
      prefix: prefix ?? '',
      mine: target.prefix,
    }),
  );
}
