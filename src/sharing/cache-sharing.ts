import type { RedisLink } from '../redis/link.js';
import { CheckpointSharing } from './checkpoint-sharing.js';
import { Claims, type ClaimStore } from './claims.js';
import type { Acquired, ClaimedNow, Lookup } from './types.js';

/**
 * A cache any number of runs use at once (`--cache`): before a run asks about a contact it claims
 * it where the runs meet, so a contact is asked once across runs; a contact another live run is
 * asking is waited for and answered from what that run stored. Here the runs meet in the cache's
 * own SQLite file; `RedisSharing` has them meet in Redis.
 */
export class CacheSharing extends CheckpointSharing {
  #claims: Claims | undefined;

  /** Where runs claim contacts and keep their heartbeats. */
  protected claimStore(_link: RedisLink | undefined): ClaimStore {
    return this.checkpoint.claims;
  }

  /** Another run's answer for `contact`, before this run uses it. */
  protected kept(_contact: string, lookup: Extract<Lookup, { state: 'final' }>): Extract<Lookup, { state: 'final' }> {
    return lookup;
  }

  get #joined(): Claims {
    if (!this.#claims) throw new Error('sharing: a claim before join()');
    return this.#claims;
  }

  override async join(link: RedisLink | undefined): Promise<void> {
    this.#claims = new Claims(this.claimStore(link), {
      runId: this.run.runId,
      endpoint: this.run.endpoint,
      reusable: this.run.reusable,
    });
    await this.#claims.start();
  }

  override async acquire(contact: string, _known: Lookup, signal: AbortSignal): Promise<Acquired> {
    const got = await this.#joined.acquire(contact, signal);
    return got.kind === 'answer' ? { kind: 'answer', lookup: this.kept(contact, got.lookup) } : got;
  }

  override async claimNow(contact: string, signal: AbortSignal): Promise<ClaimedNow> {
    const now = await this.#joined.claimNow(contact, signal);
    return now.kind === 'answered' ? { kind: 'answered', lookup: this.kept(contact, now.lookup) } : now;
  }

  override waitFor(contact: string, signal: AbortSignal): Promise<boolean> {
    return this.#joined.waitFor(contact, signal);
  }

  override async leave(): Promise<void> {
    await this.#claims?.stop();
  }

  override get waitedSeconds(): number {
    return this.#claims?.waitedSeconds ?? 0;
  }
}
