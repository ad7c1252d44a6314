import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { rememberSnapshot, takeSnapshot } from '../input/file-guard.js';
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
 * Calls `use` with a config whose input is a regular file, as it was when the run first looked at
 * it (its snapshot, kept with the config: both passes read no byte past it, and stop when the file
 * changes; see `file-guard.ts`). Standard input is read twice (a first pass, then the rows), so it
 * is spooled to a temporary file first, removed once `use` is done.
 */
export async function onInputFile<T>(config: EnrichConfig, use: (config: EnrichConfig) => Promise<T>): Promise<T> {
  if (config.input !== '-') {
    const file = withInput(config, config.input);
    rememberSnapshot(file, await takeSnapshot(config.input));
    return use(file);
  }
  const spooled = await spoolStdin();
  try {
    const file = withInput(config, spooled);
    rememberSnapshot(file, await takeSnapshot(spooled));
    return await use(file);
  } finally {
    await rm(dirname(spooled), { recursive: true, force: true });
  }
}
