import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { spoolStdin } from '../input/stdin.js';
import type { EnrichConfig } from '../options/config.js';

/** How the run's store knows its input: the absolute path, or 'stdin'. */
export const inputId = (config: EnrichConfig): string => (config.input === '-' ? 'stdin' : resolve(config.input));

/** The same config reading `input` from another path (the key stays non-enumerable). */
function withInput(config: EnrichConfig, input: string): EnrichConfig {
  const copy = { ...config, input };
  Object.defineProperty(copy, 'apiKey', { value: config.apiKey, enumerable: false });
  return Object.freeze(copy);
}

/**
 * Calls `use` with a config whose input is a file: standard input is read twice (a first pass,
 * then the rows), so it is spooled to a temporary file first, removed once `use` is done.
 */
export async function onInputFile<T>(config: EnrichConfig, use: (config: EnrichConfig) => Promise<T>): Promise<T> {
  if (config.input !== '-') return use(config);
  const spooled = await spoolStdin();
  try {
    return await use(withInput(config, spooled));
  } finally {
    await rm(dirname(spooled), { recursive: true, force: true });
  }
}
