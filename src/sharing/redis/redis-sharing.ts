import type { RedisLink } from '../../redis/link.js';
import { CacheSharing } from '../cache-sharing.js';
import type { RunScope } from '../checkpoint-sharing.js';
import type { ClaimStore } from '../claims.js';
import type { PassStore } from '../sharing.js';
import type { Checkpoint } from '../sqlite/checkpoint.js';
import type { Lookup, StoredResult } from '../types.js';
import { RedisAnswers } from './answers.js';
import { RedisKeys } from './keys.js';

/**
 * Runs on any machine claim contacts and find each other's answers in Redis. The run's own
 * checkpoint (or cache) keeps everything too, written first: an answer read from Redis is saved
 * there as well, so a rerun here never depends on Redis still having it.
 */
export class RedisSharing extends CacheSharing {
  /** Answers in Redis are kept per API address (the sandbox's are not production's). */
  readonly #baseUrl: string;
  #redis: RedisAnswers | undefined;
  #link: RedisLink | undefined;

  constructor(checkpoint: Checkpoint, run: RunScope, pass: PassStore, baseUrl: string) {
    super(checkpoint, run, pass);
    this.#baseUrl = baseUrl;
  }

  protected override claimStore(link: RedisLink | undefined): ClaimStore {
    if (!link) throw new Error('sharing: Redis without a connection');
    this.#link = link;
    this.#redis = new RedisAnswers(link.client, new RedisKeys(link.target.prefix, this.#baseUrl));
    return this.#redis;
  }

  protected override kept(
    contact: string,
    lookup: Extract<Lookup, { state: 'final' }>,
  ): Extract<Lookup, { state: 'final' }> {
    // With its age: a copy of another run's answer is as old as the answer, for --max-age.
    this.answers.saveFinal(this.run.endpoint, contact, lookup.result, lookup.runId, lookup.updatedAt);
    return lookup;
  }

  /** Here only: Redis has it already, marked by the claim itself (`RedisAnswers.claim`) in the same round trip. */
  override markStarted(contact: string): void {
    super.markStarted(contact);
  }

  override saveFinal(contact: string, result: StoredResult): void {
    super.saveFinal(contact, result);
    this.#redis?.saveFinal(this.run.endpoint, contact, result, this.run.runId);
  }

  override markHeld(contact: string, error: string): void {
    super.markHeld(contact, error);
    this.#redis?.markHeld(this.run.endpoint, contact, this.run.runId, error);
  }

  override markUnanswered(contact: string, error: string): void {
    super.markUnanswered(contact, error);
    this.#redis?.markUnanswered(this.run.endpoint, contact, error);
  }

  override get writesLost(): number {
    return this.#redis?.failedWrites ?? 0;
  }

  override get redisCameBackEmpty(): boolean {
    return this.#link?.cameBackEmpty ?? false;
  }
}
