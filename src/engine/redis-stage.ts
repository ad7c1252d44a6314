import { message } from '../i18n/index.js';
import { said, type Logger } from '../log.js';
import type { EnrichConfig } from '../options/config.js';
import type { SharedBucketPlace } from '../rate/bucket.js';
import { sayRedisBack, warnRedisRisks } from '../redis/health.js';
import type { RedisLink } from '../redis/link.js';
import type { RedisAnswers } from '../sharing/redis/answers.js';
import { RedisKeys } from '../sharing/redis/keys.js';
import type { Closers } from './closers.js';
import type { StopControl } from './stop-control.js';

/** The run's Redis: the connection, and the claims and answers runs keep there (the run's sharing uses them). */
export interface RunRedis {
  link: RedisLink;
  answers: RedisAnswers;
}

/** What the run's Redis says at the end, for the summary. */
export interface RedisTotals {
  /** Outcomes that never reached Redis (costing sharing, never an answer). */
  writesLost: number;
  /** Redis came back during the run without the runs' keys (its data lost: others' answers are bought again). */
  cameBackEmpty: boolean;
}

/**
 * The run's Redis (`--redis`), connected before anything is spent: a run that cannot reach the
 * shared bucket and answers must not spend anything. Closed with the run's other resources.
 * Undefined without --redis.
 */
export async function connectRedis(
  config: EnrichConfig,
  closers: Closers,
  logger: Logger,
): Promise<RunRedis | undefined> {
  if (!config.redis) return undefined;
  // ioredis and the scripts are loaded only by a run that uses Redis (~50 ms of every other run's start).
  const [{ RedisLink }, { RedisAnswers }] = await Promise.all([
    import('../redis/link.js'),
    import('../sharing/redis/answers.js'),
  ]);
  const link = await RedisLink.connect(config.redis);
  closers.push(message('cli.closing.redis'), () => link.close());
  await warnRedisRisks(link, logger);
  return { link, answers: new RedisAnswers(link.client, new RedisKeys(link.target.prefix, config.baseUrl)) };
}

/** The counters only a run with Redis has (0 and false without). */
export function redisTotals(redis: RunRedis | undefined): RedisTotals {
  return { writesLost: redis?.answers.failedWrites ?? 0, cameBackEmpty: redis?.link.cameBackEmpty ?? false };
}

/** Where the key's shared rate bucket lives in this Redis (every run on the key and API address finds the same). */
export function bucketPlace(link: RedisLink, config: EnrichConfig): SharedBucketPlace {
  return {
    connection: link.bottleneck,
    id: new RedisKeys(link.target.prefix, config.baseUrl).limiterId(config.apiKey, config.baseUrl),
  };
}

/** Says when Redis goes and comes back; stops the run (REDIS_LOST) when it stays away longer than --redis-wait. */
export function watchRedis(link: RedisLink, config: EnrichConfig, control: StopControl, logger: Logger): void {
  const at = link.target.shown;
  const seconds = config.redisWaitMs / 1000;
  link.watch(config.redisWaitMs, {
    onDown: () => {
      const error = link.lastError || message('cli.stopFacts.redisClosed');
      logger.warn(
        ...said('cli.redis.lost', { at, error, seconds }, { redis: at, err: link.lastError || undefined, seconds }),
      );
    },
    onBack: () => void sayRedisBack(link, logger),
    onGone: () =>
      control.stop({
        reason: 'redis',
        at,
        seconds,
        error: link.lastError,
      }),
  });
}
