import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/**
 * A contact's hash in Redis, each part under the field named here (short: there is a hash per
 * contact). The one list of them: the scripts get it (`F` in lua/fields.lua), and the replies
 * are read by these names (see `hashOf`).
 */
export const FIELDS = {
  /** Counts writes: a claim lands only on the version it read. */
  version: 'v',
  /** claimed, started, unanswered or final. */
  state: 's',
  /** The run holding it ('' or absent: nobody). */
  run: 'r',
  updatedAt: 't',
  status: 'st',
  httpStatus: 'hs',
  credits: 'cr',
  error: 'er',
  analise: 'an',
  /** The run that paid for the answer. */
  runId: 'rid',
  /** The answer's number in the answer sequence. */
  seq: 'q',
} as const;

export type Field = keyof typeof FIELDS;

/** What view.lua replies (and claim-free.lua, when it claims nothing): the hash as field/value pairs, the holder's heartbeat, Redis's clock. */
export type ViewReply = [hash: string[], holder: string | null, redisNow: string];

const NAME_OF = new Map<string, Field>(Object.entries(FIELDS).map(([name, field]) => [field, name as Field]));

/** A reply's hash, by the names in `FIELDS`. */
export function hashOf(pairs: string[]): Partial<Record<Field, string>> {
  const hash: Partial<Record<Field, string>> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const name = NAME_OF.get(pairs[i]!);
    if (name) hash[name] = pairs[i + 1]!;
  }
  return hash;
}

/** Field/value pairs for a write (write.lua), by the names in `FIELDS`. */
export function fieldValues(values: Partial<Record<Field, string>>): string[] {
  return Object.entries(values).flatMap(([name, value]) => [FIELDS[name as Field], value]);
}

/** The scripts' calls, as ioredis defines them (each passes `FIELDS` first where the script names fields). */
export interface Scripts {
  fluenceView(key: string, fields: string, runPrefix: string): Promise<ViewReply>;
  fluenceClaim(key: string, fields: string, version: string, runId: string): Promise<number>;
  fluenceClaimFree(key: string, fields: string, runId: string, runPrefix: string): Promise<1 | ViewReply>;
  fluenceWrite(
    key: string,
    seqKey: string,
    fields: string,
    mode: string,
    channel: string,
    ...pairs: string[]
  ): Promise<number>;
  fluenceBeat(key: string, holder: string, keepMs: number): Promise<number>;
}

/**
 * Each script (lua/<file>.lua) with the shared parts it needs put before it, in this order, as
 * Bottleneck's Scripts.coffee lists its headers: Redis's clock, the field names, the view of a
 * contact (which uses both).
 */
const SCRIPTS: Record<keyof Scripts, { file: string; keys: number; headers: string[] }> = {
  fluenceView: { file: 'view', keys: 1, headers: ['redis-now', 'fields', 'contact-view'] },
  fluenceClaim: { file: 'claim', keys: 1, headers: ['fields'] },
  fluenceClaimFree: { file: 'claim-free', keys: 1, headers: ['redis-now', 'fields', 'contact-view'] },
  fluenceWrite: { file: 'write', keys: 2, headers: ['fields'] },
  fluenceBeat: { file: 'heartbeat', keys: 1, headers: ['redis-now'] },
};

/** `FIELDS` as the scripts read it. */
export const FIELDS_ARG = JSON.stringify(FIELDS);

const read = (file: string): string => readFileSync(new URL(`./lua/${file}.lua`, import.meta.url), 'utf8');

let sources: Map<keyof Scripts, string> | undefined;

/** Defines the scripts on `redis` (read from the package once, on the first Redis run). */
export function defineScripts(redis: Redis): Redis & Scripts {
  sources ??= new Map(
    Object.entries(SCRIPTS).map(([name, { file, headers }]) => [
      name as keyof Scripts,
      [...headers, file].map(read).join('\n'),
    ]),
  );
  for (const [name, { keys }] of Object.entries(SCRIPTS))
    redis.defineCommand(name, { numberOfKeys: keys, lua: sources.get(name as keyof Scripts)! });
  return redis as Redis & Scripts;
}
