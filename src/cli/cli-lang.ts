import { existsSync, readFileSync } from 'node:fs';
import { chooseLang, type Lang } from '../i18n/index.js';
import { DEFAULT_CONFIG_FILE, OPTIONS } from '../options/table.js';

/** The value after `--NAME` or in `--NAME=VALUE`, the last one typed (before `--`). */
function flagValue(tokens: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < tokens.length && tokens[i] !== '--'; i++) {
    const token = tokens[i]!;
    if (token === `--${name}` && tokens[i + 1] !== undefined) value = tokens[i + 1];
    else if (token.startsWith(`--${name}=`)) value = token.slice(name.length + 3);
  }
  return value;
}

/** A config file's `lang`, if it has one; an unreadable file is said later, by the config's own check. */
function configLang(tokens: readonly string[]): string | undefined {
  const path = flagValue(tokens, 'config') ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (path === undefined) return undefined;
  try {
    const values = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as { lang?: unknown };
    return typeof values?.lang === 'string' ? values.lang : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The language of `--help` and of every line the command prints, known before yargs builds the
 * help (yargs reads options only once it has built it): `--lang` as the option table ranks its
 * sources (flag, FLUENCE_LANG, a config file), else the locale, else English. A value that is not
 * a language falls to the locale here; the option's own check then refuses it.
 */
export function langOfCommandLine(tokens: readonly string[], env: NodeJS.ProcessEnv = process.env): Lang {
  // An empty value is no value (`FLUENCE_LANG=` in a crontab): the next source decides.
  const given = flagValue(tokens, 'lang') || env[OPTIONS.lang.env ?? 'FLUENCE_LANG'] || configLang(tokens);
  return chooseLang(given || undefined, env);
}
