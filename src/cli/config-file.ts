import { existsSync, readFileSync } from 'node:fs';
import { FluenceError } from '../errors.js';

/** Looked for in the working folder when --config is not given. */
export const DEFAULT_CONFIG_FILE = 'fluence-enrich.config.json';

/** Short flags, so a value given as `-o x` counts as given on the command line. */
const SHORT: Record<string, string> = { output: '-o', quiet: '-q' };
/** Options the environment can set: the environment beats the file. */
const FROM_ENV: Record<string, string> = { 'base-url': 'FLUENCE_BASE_URL', redis: 'FLUENCE_REDIS_URL' };

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function givenOnCommandLine(name: string, tokens: readonly string[]): boolean {
  const short = SHORT[name];
  return tokens.some((t) => t === `--${name}` || t.startsWith(`--${name}=`) || t === `--no-${name}` || (short !== undefined && t === short));
}

/**
 * Options from a JSON file (`--config PATH`, or ./fluence-enrich.config.json), with the
 * precedence flags > environment > file: a value from the file is used only where neither the
 * command line nor the environment gave one, and only for options the command takes (one file
 * serves `enrich`, `estimate` and `credits` alike). The key is never taken from a file.
 */
/** Which options the command being run takes, and which any command takes (so a typo is still caught). */
export interface KnownOptions {
  command: ReadonlySet<string>;
  any: () => ReadonlySet<string>;
}

export function applyConfigFile(argv: Record<string, unknown>, tokens: readonly string[], known: KnownOptions, env: NodeJS.ProcessEnv = process.env): void {
  const explicit = typeof argv.config === 'string' ? argv.config : undefined;
  const path = explicit ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!path) return;
  let values: unknown;
  try {
    values = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new FluenceError('CONFIG_INVALID', `config file ${path}: ${reason}; it should be a JSON object of options, e.g. {"endpoint": "crm", "cache": "cache.sqlite"}`);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new FluenceError('CONFIG_INVALID', `config file ${path}: expected a JSON object of options, e.g. {"endpoint": "crm"}`);
  }
  for (const [rawName, value] of Object.entries(values)) {
    const name = kebab(rawName);
    if (name === 'api-key') {
      throw new FluenceError('CONFIG_INVALID', `config file ${path}: never put the API key in a file that may be committed; use FLUENCE_API_KEY or "api-key-file"`);
    }
    if (name === 'redis' && typeof value === 'string' && /^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(value)) {
      throw new FluenceError('CONFIG_INVALID', `config file ${path}: "redis" holds a password; keep it out of files that may be committed and set FLUENCE_REDIS_URL instead`);
    }
    // One file serves every command: each takes the keys that apply to it.
    if (!known.command.has(name)) {
      if (known.any().has(name)) continue;
      throw new FluenceError('CONFIG_INVALID', `config file ${path}: no command has an option "${rawName}"; option names are the flags' names, e.g. "maxAge" or "max-age" for --max-age`);
    }
    if (givenOnCommandLine(name, tokens)) continue;
    const envName = FROM_ENV[name];
    if (envName && env[envName]) continue;
    argv[name] = value;
    argv[camel(name)] = value;
  }
}
