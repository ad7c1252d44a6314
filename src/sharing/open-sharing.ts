import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hashBytes } from '../input/shape.js';
import type { EnrichConfig } from '../options/config.js';
import { cacheRedisRecord, checkCacheRedis } from './cache-redis.js';
import { CacheSharing } from './cache-sharing.js';
import { CheckpointSharing, type RunScope } from './checkpoint-sharing.js';
import { RedisSharing } from './redis/redis-sharing.js';
import type { PassStore, Sharing } from './sharing.js';
import { Checkpoint } from './sqlite/checkpoint.js';

/**
 * Opens what the run shares its work through, chosen here once from the options: Redis across
 * machines (`--redis`), a `--cache` runs on this machine use at once, or a checkpoint of the
 * file's own. `input` names the input (its absolute path, or 'stdin'). Nothing else knows which.
 */
export async function openSharing(
  config: EnrichConfig,
  run: Omit<RunScope, 'endpoint'> & { input: string },
): Promise<Sharing> {
  const scope: RunScope = { runId: run.runId, endpoint: config.endpoint, reusable: run.reusable };
  if (config.sharedCache) {
    // A cache serves any file, and runs on other files use it at the same time: a pass's contacts are its connection's own.
    const cache = new Checkpoint(config.checkpoint, 'cache');
    try {
      checkCacheRedis(config.checkpoint, cache.recordOnce('redis', cacheRedisRecord(config.redis)), config.redis);
    } catch (error) {
      cache.close();
      throw error;
    }
    const pass = cache.pass(config.endpoint, undefined);
    return config.redis ? new RedisSharing(cache, scope, pass, config.baseUrl) : new CacheSharing(cache, scope, pass);
  }
  // A checkpoint knows its input by these bytes, and keeps what the first pass found.
  const bytes = await hashBytes(config.input);
  const checkpoint = new Checkpoint(config.checkpoint, { endpoint: config.endpoint, input: run.input, bytes });
  const pass = checkpoint.pass(config.endpoint, { bytes });
  return config.redis
    ? new RedisSharing(checkpoint, scope, pass, config.baseUrl)
    : new CheckpointSharing(checkpoint, scope, pass);
}

/**
 * The stored answers an estimate counts against, read and never changed: the run's checkpoint or
 * cache when there is one, else a scratch store of the estimate's own that knows no answers and is
 * then gone. `spooled`: where the input's bytes are (standard input is spooled to a file first).
 */
export async function openForEstimate(
  config: EnrichConfig,
  spooled: string,
): Promise<{ pass: PassStore; close(): Promise<void> }> {
  if (!existsSync(config.checkpoint)) {
    const dir = await mkdtemp(join(tmpdir(), 'fluence-enrich-estimate-'));
    const scratch = new Checkpoint(join(dir, 'estimate.sqlite'), 'scratch');
    return {
      pass: scratch.pass(config.endpoint, undefined),
      close: async () => {
        scratch.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const store = new Checkpoint(
    config.checkpoint,
    config.sharedCache
      ? 'cache'
      : {
          endpoint: config.endpoint,
          input: config.input === '-' ? 'stdin' : resolve(config.input),
          bytes: await hashBytes(spooled),
        },
  );
  return {
    pass: store.pass(config.endpoint, undefined),
    close: async () => store.close(),
  };
}
