import type { Logger } from '../log.js';
import type { RedisLink } from './link.js';

const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;

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
  const at = `Redis at ${link.target.shown}`;
  if ((await link.appendOnly()) === false) {
    logger.warn(
      `${at} keeps no append-only file: if it crashes, runs on other machines pay again for the answers it lost (each run's own checkpoint still has its own). Set appendonly yes (see the README)`,
    );
  }
  const memory = await link.memoryPolicy();
  if ('refused' in memory) {
    logger.warn(
      `could not check whether ${at} may evict keys (${memory.refused}): make sure its maxmemory-policy is noeviction (or it has no maxmemory), or answers it evicts are bought again by runs on other machines (see the README)`,
    );
    return;
  }
  const setting = `maxmemory-policy ${memory.policy} with maxmemory ${mb(memory.maxmemory)}`;
  const risk = evictionRisk(memory.maxmemory, memory.policy);
  if (risk === 'answers') {
    logger.warn(
      `${at} may evict keys (${setting}): when it fills up it drops stored answers, and runs on other machines pay again for them. Set maxmemory-policy noeviction, or no maxmemory (see the README)`,
    );
  } else if (risk === 'heartbeats') {
    logger.warn(
      `${at} may evict keys that expire (${setting}): answers never expire and are kept, but the runs' heartbeats do; when Redis fills up a live run can look dead and another machine may pay again for a contact it is asking. Set maxmemory-policy noeviction, or no maxmemory (see the README)`,
    );
  }
}

/** When Redis is back after a loss: says so, and warns when it came back without the runs' keys (its data was lost). */
export async function sayRedisBack(link: RedisLink, logger: Logger): Promise<void> {
  logger.info(`Redis at ${link.target.shown} is back: requests resume`);
  if ((await link.keptItsKeys()) === false) {
    logger.warn(
      `Redis at ${link.target.shown} came back without its keys under the prefix ${link.target.prefix} (it restarted without its data): the answers stored there were lost, so runs on other machines buy them again (this run's checkpoint keeps its own). Set appendonly yes to keep them across restarts (see the README)`,
    );
  }
}
