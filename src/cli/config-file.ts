import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FluenceError, withMore } from '../errors.js';
import { message } from '../i18n/message.js';
import {
  DEFAULT_CONFIG_FILE,
  kebab,
  OPTIONS,
  optionNamed,
  optionsOf,
  type CommandName,
  type OptionSpec,
} from '../options/table.js';
import { sourceOf } from '../options/values.js';
import { firstJsonMistake } from './config-json.js';

export { DEFAULT_CONFIG_FILE };

/** Which options the command being run takes, and which any command takes (so a typo is still caught). */
export interface KnownOptions {
  command: ReadonlySet<string>;
  any: () => ReadonlySet<string>;
}

/** The keys a config file may hold, from the option table: the command's, and every command's. */
export function knownOptions(command: CommandName | undefined): KnownOptions {
  const flags = (names: Iterable<string>): ReadonlySet<string> => new Set([...names].map(kebab));
  return {
    command: flags(command === undefined ? [] : optionsOf(command).map(([name]) => name)),
    any: () => flags(Object.keys(OPTIONS)),
  };
}

/** A value typed on the command line, under its flag, its `--no-` form or its short alias. */
function givenOnCommandLine(flag: string, tokens: readonly string[]): boolean {
  const alias = optionNamed(flag)?.[1].alias;
  return tokens.some(
    (t) =>
      t === `--${flag}` ||
      t.startsWith(`--${flag}=`) ||
      t === `--no-${flag}` ||
      (alias !== undefined && t === `-${alias}`),
  );
}

/** A config file's text; a file that is not there, or not readable, refused with what to check. */
function configText(path: string): string {
  try {
    // Notepad saves UTF-8 with a byte-order mark, which JSON.parse refuses.
    return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT')
      throw new FluenceError('CONFIG_NOT_FOUND', message('errors.configNotFound', { path, full: resolve(path) }));
    throw new FluenceError('CONFIG_INVALID', message('errors.configInvalid.notReadable', { path, code }));
  }
}

/** A config file's JSON; a mistake in it refused at its line and column, with what is wrong there. */
function readConfig(path: string): unknown {
  const text = configText(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    const mistake = firstJsonMistake(text);
    if (!mistake)
      throw new FluenceError(
        'CONFIG_INVALID',
        message('errors.configInvalid.unreadable', { path, reason: (error as Error).message }),
      );
    throw new FluenceError('CONFIG_INVALID', message('errors.configInvalid.json', { path, ...mistake }), {
      line: mistake.line,
    });
  }
}

/**
 * A config file's value, parsed now by its option's entry as the run will parse it: a refusal
 * names the file and the key as written there (the option's own words name only its flag, which
 * the person never typed). Anything else the parser throws is left to the run, as before.
 */
function checkFileValue(spec: OptionSpec, flag: string, value: unknown, from: { path: string; key: string }): void {
  try {
    spec.parse?.(value as never, flag);
  } catch (error) {
    if (error instanceof FluenceError && error.code === 'BAD_OPTION')
      throw withMore(error, message('errors.part.configValue', from));
  }
}

/**
 * Options from a JSON file (`--config PATH`, or ./fluence-enrich.config.json) put in `argv` where
 * the file wins by the one precedence rule (`sourceOf`: flags > environment > file), and only for
 * options the command takes (one file serves `enrich`, `estimate` and `credits` alike). The key
 * is never taken from a file.
 */
export function applyConfigFile(
  argv: Record<string, unknown>,
  tokens: readonly string[],
  known: KnownOptions,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const explicit = typeof argv.config === 'string' ? argv.config : undefined;
  const path = explicit ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!path) return;
  const values = readConfig(path);
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new FluenceError('CONFIG_INVALID', message('errors.configInvalid.notObject', { path }));
  }
  for (const [rawName, value] of Object.entries(values)) {
    const flag = kebab(rawName);
    if (flag === 'api-key') {
      throw new FluenceError('CONFIG_INVALID', message('errors.configInvalid.apiKey', { path }));
    }
    if (flag === 'redis' && typeof value === 'string' && /^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(value)) {
      throw new FluenceError('CONFIG_INVALID', message('errors.configInvalid.redisPassword', { path }));
    }
    // One file serves every command: each takes the keys that apply to it.
    const option = optionNamed(flag);
    if (!option || !known.command.has(flag)) {
      if (known.any().has(flag)) continue;
      throw new FluenceError('CONFIG_INVALID', message('errors.configInvalid.unknown', { path, name: rawName }));
    }
    if (sourceOf(option[1], { given: givenOnCommandLine(flag, tokens), file: true }, env) !== 'file') continue;
    checkFileValue(option[1], flag, value, { path, key: rawName });
    argv[flag] = value;
    argv[option[0]] = value;
  }
}
