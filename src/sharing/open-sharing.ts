import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hashBytes } from '../input/file-hash.js';
import type { EnrichConfig } from '../options/config.js';
import { cacheRedisRecord, checkCacheRedis } from './cache-redis.js';
import { CheckpointSharing } from './checkpoint-sharing.js';
import { ClaimingSharing, type OutcomeMirror } from './claiming-sharing.js';
import { Claims, type ClaimStore, type OutcomeRecords } from './claims.js';
import { OwnAnswers } from './own-answers.js';
import type { PassStore, Sharing } from './sharing.js';
import { Checkpoint } from './sqlite/checkpoint.js';
import type { RunScope } from './types.js';

/** The run's own SQLite store, opened first: where the first pass keeps its contacts, and the run every outcome. */
export interface RunStore {
  readonly pass: PassStore;
  /** A `--cache` (runs on this machine use it at once), or a checkpoint of the file's own. */
  readonly cache: boolean;
  readonly endpoint: string;
  readonly checkpoint: Checkpoint;
}

/**
 * Opens the run's own store: a `--cache` runs on this machine use at once, or a checkpoint of
 * the file's own. `input` names the input (its absolute path, or 'stdin').
 */
export async function openRunStore(config: EnrichConfig, input: string): Promise<RunStore> {
  const { endpoint } = config;
  if (config.sharedCache) {
    // A cache serves any file, and runs on other files use it at the same time: a pass's contacts are its connection's own.
    const cache = new Checkpoint(config.checkpoint, 'cache');
    try {
      checkCacheRedis(config.checkpoint, cache.recordOnce('redis', cacheRedisRecord(config.redis)), config.redis);
    } catch (error) {
      cache.close();
      throw error;
    }
    return { pass: cache.pass(endpoint, undefined), cache: true, endpoint, checkpoint: cache };
  }
  // A checkpoint knows its input by these bytes, and keeps what the first pass found.
  const bytes = await hashBytes(config.input);
  const checkpoint = new Checkpoint(config.checkpoint, { endpoint, input, bytes });
  return { pass: checkpoint.pass(endpoint, { bytes }), cache: false, endpoint, checkpoint };
}

/**
 * How the run shares its work, chosen here once from what it opened (as Bottleneck's constructor
 * picks its datastore), each engine built from parts: the run's own answers (`store`, always),
 * where runs claim contacts (the cache's own file, or Redis), and Redis's copy of every outcome.
 * `redis`: the claims and answers runs keep in Redis (`--redis`). Nothing else knows which.
 */
export function openSharing(
  store: RunStore,
  run: Omit<RunScope, 'endpoint'>,
  redis?: ClaimStore & OutcomeRecords,
): Sharing {
  const scope: RunScope = { ...run, endpoint: store.endpoint };
  const own = new OwnAnswers(store.checkpoint.answers, scope, store.cache ? 'cache' : 'checkpoint');
  if (redis) return new ClaimingSharing(own, new Claims(redis, scope), mirrorOf(redis, scope));
  if (store.cache) return new ClaimingSharing(own, new Claims(store.checkpoint.claims, scope));
  return new CheckpointSharing(own);
}

/** Redis's copy of this run's outcomes, for runs on other machines. */
function mirrorOf(records: OutcomeRecords, run: RunScope): OutcomeMirror {
  return {
    saveFinal: (contact, result) => records.saveFinal(run.endpoint, contact, result, run.runId),
    markHeld: (contact, error) => records.markHeld(run.endpoint, contact, run.runId, error),
    markUnanswered: (contact, error) => records.markUnanswered(run.endpoint, contact, error),
  };
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
