import { randomUUID } from 'node:crypto';
import type Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { Redis7Connection } from './redis7-connection.js';
import type { RedisTarget } from './url.js';

/** How long to wait for Redis at the start before saying it cannot be reached. */
const CONNECT_TIMEOUT_MS = 5000;

const errorText = (error: unknown): string => {
  const { code, message } = error as { code?: string; message?: string };
  return code && !message?.includes(code) ? `${code}: ${message}` : (message ?? String(error));
};

/**
 * The run's connection to Redis, and what it knows of its health. One ioredis client carries
 * the claims, the answers and Bottleneck's scripts (Bottleneck adds its own subscriber).
 * Commands given while Redis is away wait in ioredis's queue until it is back (they are never
 * dropped for being late); the run decides how long it waits (see `watch`).
 */
export class RedisLink {
  readonly client: Redis;
  readonly target: RedisTarget;
  #downSince: number | undefined;
  #lastError = '';
  #watch: NodeJS.Timeout | undefined;
  #closed = false;
  #bottleneck: Bottleneck.IORedisConnection | undefined;
  /** The marker's value this run last saw (see `keptItsKeys`); undefined when it could not be written. */
  #marker: string | undefined;
  /** Whether Redis came back at least once without the marker (for the summary, if it wants it). */
  cameBackEmpty = false;

  private constructor(client: Redis, target: RedisTarget) {
    this.client = client;
    this.target = target;
    client.on('error', (error: unknown) => {
      this.#lastError = errorText(error);
    });
    client.on('close', () => {
      this.#downSince ??= Date.now();
    });
    client.on('ready', () => {
      this.#downSince = undefined;
    });
  }

  /** Connects and checks Redis answers: before anything is spent, a coded error says why not. */
  static async connect(target: RedisTarget): Promise<RedisLink> {
    // Not lazy: Bottleneck's subscriber is a duplicate of this client, and must connect on its own.
    const client = new Redis(target.url, {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Wait for Redis rather than fail a command after N reconnects: the run bounds the wait.
      maxRetriesPerRequest: null,
      retryStrategy: (times) => Math.min(100 * times, 1000),
      connectionName: 'fluence-enrich',
    });
    const link = new RedisLink(client, target);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        // The first failure answers (a refused connection need not wait for the timeout).
        new Promise((resolve, reject) => {
          client.once('ready', resolve);
          client.once('error', reject);
        }).then(() => client.ping()),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(link.#lastError || `no answer in ${CONNECT_TIMEOUT_MS / 1000} s`)),
            CONNECT_TIMEOUT_MS,
          );
        }),
      ]);
    } catch (error) {
      client.disconnect();
      const text = link.#lastError || errorText(error);
      if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(text)) {
        throw new FluenceError(
          'REDIS_AUTH',
          message('errors.redisAuth', { redis: target.shown, reason: text.split('.')[0] }),
        );
      }
      throw new FluenceError(
        'REDIS_UNREACHABLE',
        message('errors.redisUnreachable', { redis: target.shown, reason: text }),
      );
    } finally {
      clearTimeout(timer);
    }
    await link.#mark();
    return link;
  }

  /**
   * The key that says Redis still holds what the runs stored: one per prefix, no TTL, written
   * once by the first run and kept by all. A Redis that restarts without its data comes back
   * without it (its answers are gone with it).
   */
  get markerKey(): string {
    return `${this.target.prefix}:marker`;
  }

  /** Writes the marker unless a run already did, and remembers its value. A refusal (read-only, out of memory) leaves it unknown. */
  async #mark(): Promise<void> {
    try {
      await this.client.set(this.markerKey, `${new Date().toISOString()} ${randomUUID()}`, 'NX');
      this.#marker = (await this.client.get(this.markerKey)) ?? undefined;
    } catch {
      this.#marker = undefined;
    }
  }

  /**
   * After a reconnection: whether Redis still holds the marker this run saw (false: it came back
   * without the runs' keys, so the answers stored under the prefix were lost). A missing or
   * different marker is written again, so a later loss is seen too. Undefined when it cannot tell.
   */
  async keptItsKeys(): Promise<boolean | undefined> {
    const seen = this.#marker;
    try {
      if (seen === undefined) return undefined;
      if ((await this.client.get(this.markerKey)) === seen) return true;
      this.cameBackEmpty = true;
      await this.#mark();
      return false;
    } catch {
      return undefined;
    }
  }

  /** Redis's `maxmemory` (bytes, 0: none) and `maxmemory-policy`, read from INFO (managed Redis often blocks CONFIG but answers INFO). */
  async memoryPolicy(): Promise<{ maxmemory: number; policy: string } | { refused: string }> {
    try {
      const info = await this.client.info('memory');
      const maxmemory = /^maxmemory:(\d+)/m.exec(info)?.[1];
      const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
      if (maxmemory === undefined || policy === undefined) return { refused: 'INFO memory has no maxmemory_policy' };
      return { maxmemory: Number(maxmemory), policy };
    } catch (error) {
      return { refused: errorText(error) };
    }
  }

  /** Bottleneck's connection over this client, for the shared rate bucket (Bottleneck opens its own subscriber beside it). */
  get bottleneck(): Bottleneck.IORedisConnection {
    this.#bottleneck ??= new Redis7Connection({ client: this.client, Redis });
    return this.#bottleneck;
  }

  /** Whether Redis keeps an append-only file (a crash then loses at most a second of answers); undefined when it will not say. */
  async appendOnly(): Promise<boolean | undefined> {
    try {
      const info = await this.client.info('persistence');
      const match = /aof_enabled:(\d)/.exec(info);
      return match ? match[1] === '1' : undefined;
    } catch {
      return undefined;
    }
  }

  /** Milliseconds since the connection was lost (0 while connected). */
  get downMs(): number {
    return this.#downSince === undefined ? 0 : Date.now() - this.#downSince;
  }

  get lastError(): string {
    return this.#lastError;
  }

  /**
   * Calls `onDown` once when the connection is lost, `onBack` when it returns, and `onGone`
   * once if it stays lost longer than `waitMs`.
   */
  watch(waitMs: number, handlers: { onDown: () => void; onBack: () => void; onGone: () => void }): void {
    let down = false;
    let gone = false;
    this.#watch = setInterval(() => {
      const ms = this.downMs;
      if (ms > 0 && !down) {
        down = true;
        handlers.onDown();
      } else if (ms === 0 && down) {
        down = false;
        handlers.onBack();
      }
      if (ms > waitMs && !gone) {
        gone = true;
        handlers.onGone();
      }
    }, 250);
    this.#watch.unref();
  }

  /**
   * Sends what is queued (answers being shared) and closes; when Redis is away, gives up after
   * `graceMs` and drops the queue (those answers stay in the local checkpoint).
   */
  async close(graceMs = 2000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#watch);
    if (this.downMs === 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.client.quit().catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    this.client.disconnect();
    await Promise.resolve(this.#bottleneck?.disconnect(false)).catch(() => undefined);
  }
}
