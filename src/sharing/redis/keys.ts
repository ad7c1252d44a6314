import { createHash } from 'node:crypto';

const digest = (text: string, length: number): string =>
  createHash('sha256').update(text).digest('base64url').slice(0, length);

/**
 * Names of everything this tool keeps in Redis. Contacts and the key appear only as hashes: a
 * `KEYS *` or a slow-log shows no person's name and no API key. Answers are per API address
 * (the sandbox's are not production's); the rate bucket is per API address and key, as the
 * server's own bucket is per key.
 */
export class RedisKeys {
  readonly #base: string;
  readonly #prefix: string;

  constructor(prefix: string, baseUrl: string) {
    this.#prefix = prefix;
    this.#base = `${prefix}:${digest(baseUrl, 12)}`;
  }

  /** Bottleneck's limiter id for the key's bucket (Bottleneck names its own keys `b_<id>_...`). */
  limiterId(apiKey: string, baseUrl: string): string {
    return `${this.#prefix}:rate:${digest(`${baseUrl}\n${apiKey}`, 22)}`;
  }

  /** One hash per (endpoint, contact): its claim, then its answer. */
  contact(endpoint: string, contact: string): string {
    return `${this.#base}:c:${endpoint}:${digest(contact, 22)}`;
  }

  /** A run's heartbeat, kept only as long as its lease: an expired key is a dead run. */
  run(runId: string): string {
    return `${this.#prefix}:run:${runId}`;
  }

  /** What `run()` puts before the run id (the claim script finds a holder's heartbeat with it). */
  get runPrefix(): string {
    return `${this.#prefix}:run:`;
  }

  /** Where a contact's hash key is published when it gets an outcome (rows waiting for it wake at once). */
  get outcomes(): string {
    return `${this.#base}:outcomes`;
  }

  /** Numbers each stored answer once, as the checkpoint's `seq` does. */
  get answerSeq(): string {
    return `${this.#base}:seq`;
  }
}
