import { message } from '../i18n/index.js';
import { said, type Logger } from '../log.js';
import type { RedisLink } from './link.js';

/**
 * What Redis's eviction settings put at risk, or undefined when nothing: pure, from `maxmemory`
 * (bytes; 0 is no limit, so nothing is ever evicted) and `maxmemory-policy`.
 *
 * - `noeviction`: a full Redis refuses writes with an error, and never drops a stored answer.
 * - `allkeys-*`: any key may go, stored answers included: other machines then pay again.
 * - `volatile-*`: only keys with a TTL go. Answers (`…:c:…` hashes), the answer sequence and
 *   the marker have none, so answers are never evicted. The runs' heartbeats do have one (their
 *   lease): a full Redis may evict a live run's heartbeat, its claims then look dead, and
 *   another machine may ask (and pay for) a contact that run is asking. Rarer, still a warning.
 */
export function evictionRisk(maxmemory: number, policy: string): 'answers' | 'heartbeats' | undefined {
  if (maxmemory === 0 || policy === 'noeviction') return undefined;
  return policy.startsWith('volatile-') ? 'heartbeats' : 'answers';
}

/**
 * Before anything is spent: warns when Redis may lose what the runs share (no append-only file,
 * keys it may evict), and says so when it would not tell. Never stops the run.
 */
export async function warnRedisRisks(link: RedisLink, logger: Logger): Promise<void> {
  const at = link.target.shown;
  if ((await link.appendOnly()) === false)
    logger.warn(...said('cli.redis.noAppendOnly', { at }, { redis: at, appendOnly: false }));
  const memory = await link.memoryPolicy();
  if ('refused' in memory) {
    logger.warn(...said('cli.redis.couldNotCheck', { at, refused: memory.refused }, { redis: at }));
    return;
  }
  const megabytes = Math.round(memory.maxmemory / 1024 / 1024);
  const setting = message('cli.redis.setting', { policy: memory.policy, megabytes });
  const fields = { redis: at, maxmemoryPolicy: memory.policy, maxmemory: memory.maxmemory };
  const risk = evictionRisk(memory.maxmemory, memory.policy);
  if (risk === 'answers') logger.warn(...said('cli.redis.evictsAnswers', { at, setting }, fields));
  else if (risk === 'heartbeats') logger.warn(...said('cli.redis.evictsHeartbeats', { at, setting }, fields));
}

/** When Redis is back after a loss: says so, and warns when it came back without the runs' keys (its data was lost). */
export async function sayRedisBack(link: RedisLink, logger: Logger): Promise<void> {
  const at = link.target.shown;
  logger.info(...said('cli.redis.back', { at }, { redis: at }));
  if ((await link.keptItsKeys()) === false) {
    const { prefix } = link.target;
    logger.warn(...said('cli.redis.backEmpty', { at, prefix }, { redis: at, prefix, cameBackEmpty: true }));
  }
}
