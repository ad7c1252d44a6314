import { createHash } from 'node:crypto';
import { FluenceError } from '../errors.js';
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
  const other = '; or give this run a --cache of its own (another path)';
  const why =
    "runs on one cache must all use the same Redis or none, else they do not see each other's claims and pay twice for the contacts they share";
  if (recorded === 'none') {
    throw new FluenceError(
      'CACHE_REDIS_MISMATCH',
      `--cache ${path} is used without Redis, and this run has --redis ${target!.shown}: ${why}. Run without --redis (and without FLUENCE_REDIS_URL)${other}`,
    );
  }
  if (!target) {
    throw new FluenceError(
      'CACHE_REDIS_MISMATCH',
      `--cache ${path} is used with Redis (--redis-prefix ${prefix}), and this run has no --redis: ${why}. Pass --redis (or FLUENCE_REDIS_URL) with the Redis its other runs use, and --redis-prefix ${prefix}${other}`,
    );
  }
  const [, myAddress] = mine.split(' ');
  const what =
    myAddress === address
      ? `the same Redis with --redis-prefix ${prefix}, not ${target.prefix}`
      : `another Redis than ${target.shown} (with --redis-prefix ${prefix})`;
  throw new FluenceError(
    'CACHE_REDIS_MISMATCH',
    `--cache ${path} is used with ${what}: ${why}. Pass the --redis and --redis-prefix its other runs use${other}`,
  );
}
