import { FluenceError } from '../errors.js';
import { message, render, wordList, type Message } from '../i18n/message.js';

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
  const auth =
    url.username || url.password
      ? `${url.username ? decodeURIComponent(url.username) : ''}${url.password ? ':***' : ''}@`
      : '';
  return `${url.protocol}//${auth}${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/** What a URL cannot carry as it is inside a password, and how it is written instead. */
const PERCENT_ENCODED: Record<string, string> = {
  '#': '%23',
  '/': '%2F',
  '?': '%3F',
  '@': '%40',
  ' ': '%20',
  '%': '%25',
};

/**
 * When the `user:password` part of a Redis URL holds characters a URL cannot carry as they are
 * (`#` starts a fragment, `/` a path, `?` a query), which ones and their percent-encoding: never
 * the password itself. Undefined when there is no such part or nothing in it needs encoding.
 */
export function passwordEncodingWords(text: string): Message | undefined {
  const rest = text.trim().replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  const at = rest.lastIndexOf('@');
  if (at < 0) return undefined;
  const userinfo = rest.slice(0, at);
  const found = Object.keys(PERCENT_ENCODED).filter((c) =>
    c === '%' ? /%(?![0-9A-Fa-f]{2})/.test(userinfo) : userinfo.includes(c),
  );
  if (found.length === 0) return undefined;
  const shown = (c: string): string | Message => (c === ' ' ? message('errors.badOption.redisSpace') : c);
  return message('errors.badOption.redisPassword', {
    found: wordList(found.map(shown)),
    count: found.length,
    encoded: wordList(
      found.map((c) => message('errors.badOption.redisEncoded', { char: shown(c), as: PERCENT_ENCODED[c] })),
    ),
  });
}

/** `passwordEncodingWords` in English. */
export function passwordEncodingHint(text: string): string | undefined {
  const words = passwordEncodingWords(text);
  return words && render('en', words);
}

/**
 * `--redis URL` (or FLUENCE_REDIS_URL): `redis://[user:password@]host[:port][/db]`, or
 * `rediss://` for TLS. A malformed URL is refused without echoing it (it may hold the password);
 * one whose password needs percent-encoding is told which characters and how.
 */
export function parseRedisTarget(text: string, prefix = 'fluence-enrich'): RedisTarget {
  const refuse = (what: string, got = ''): never => {
    throw new FluenceError(
      'BAD_OPTION',
      passwordEncodingWords(text) ?? message('errors.badOption.redis', { what, got }),
    );
  };
  const url = ((): URL => {
    try {
      return new URL(text.trim());
    } catch {
      return refuse('url');
    }
  })();
  // A `#` or `?` in a password can still parse, as a host followed by a fragment or query holding the rest of it.
  if (/@/.test(url.hash + url.search + url.pathname)) refuse('form');
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') refuse('scheme', `${url.protocol}//${url.host}`);
  if (!url.hostname) refuse('host');
  if (!/^\/?\d*$/.test(url.pathname)) refuse('path', url.pathname);
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix))
    throw new FluenceError('BAD_OPTION', message('errors.badOption.redisPrefix', { got: JSON.stringify(prefix) }));
  const target = { url: '', shown: showRedisUrl(url), prefix };
  Object.defineProperty(target, 'url', { value: url.toString(), enumerable: false });
  return target;
}
