import { FluenceError } from '../errors.js';

/** Where the runs' shared state lives: the URL to connect with (secret) and how to name it in messages. */
export interface RedisTarget {
  /** Never enumerable: the password must not reach a log, a summary or an error. */
  readonly url: string;
  /** `redis://host:port/db`, with `***` for a password: what messages and the summary show. */
  shown: string;
  /** Prefix of every key this tool writes, so teams sharing one Redis stay apart. */
  prefix: string;
}

/** The URL with its password (and user) replaced, safe to print. */
export function showRedisUrl(url: URL): string {
  const auth = url.username || url.password ? `${url.username ? decodeURIComponent(url.username) : ''}${url.password ? ':***' : ''}@` : '';
  return `${url.protocol}//${auth}${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/**
 * `--redis URL` (or FLUENCE_REDIS_URL): `redis://[user:password@]host[:port][/db]`, or
 * `rediss://` for TLS. A malformed URL is refused without echoing it (it may hold the password).
 */
export function parseRedisTarget(text: string, prefix = 'fluence-enrich'): RedisTarget {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new FluenceError('BAD_OPTION', 'option --redis: expected a URL like redis://host:6379 or rediss://:password@host:6380/0 (the value given is not shown: it may hold a password)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new FluenceError('BAD_OPTION', `option --redis: expected redis:// or rediss://, got ${url.protocol}//${url.host}`);
  }
  if (!url.hostname) throw new FluenceError('BAD_OPTION', 'option --redis: the URL has no host');
  if (!/^\/?\d*$/.test(url.pathname)) throw new FluenceError('BAD_OPTION', `option --redis: the path is a database number (e.g. /0), got ${url.pathname}`);
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) throw new FluenceError('BAD_OPTION', `option --redis-prefix: expected 1-64 letters, digits or _ . : -, got ${JSON.stringify(prefix)}`);
  const target = { url: '', shown: showRedisUrl(url), prefix };
  Object.defineProperty(target, 'url', { value: url.toString(), enumerable: false });
  return target;
}
