import type { Argv, Options } from 'yargs';
import { kebab, OPTIONS, optionsOf, type CommandName, type OptionSpec } from '../options/table.js';

/**
 * An entry as yargs needs it. The default is only shown, never applied: the normaliser applies
 * it, so a value yargs holds was typed, and the environment and a config file can come between.
 */
function yargsOption(spec: OptionSpec): Options {
  return {
    // With choices, yargs shows them in place of the type.
    ...(spec.choices ? { choices: spec.choices } : { type: spec.type }),
    ...(spec.array ? { array: true } : {}),
    ...(spec.alias ? { alias: spec.alias } : {}),
    ...(spec.default === undefined ? {} : { defaultDescription: spec.helpDefault ?? JSON.stringify(spec.default) }),
    describe: spec.describe,
  };
}

/** The options of `command`, from the table. */
export function withOptions<T>(yargs: Argv<T>, command: CommandName): Argv<T> {
  for (const [name, spec] of optionsOf(command)) if (!spec.global) yargs.option(kebab(name), yargsOption(spec));
  return yargs;
}

const entries = Object.entries(OPTIONS) as Array<[string, OptionSpec]>;

/** The options every command takes, offered before the command name too (`--config`). */
export function withGlobalOptions<T>(yargs: Argv<T>): Argv<T> {
  for (const [name, spec] of entries) if (spec.global) yargs.option(kebab(name), { ...yargsOption(spec), global: true });
  return yargs;
}

/** Options that collect every value given, in both spellings yargs sets (`missing-route`, `missingRoute`). */
export const LIST_OPTIONS: ReadonlySet<string> = new Set(entries.filter(([, spec]) => spec.array).flatMap(([name]) => [name, kebab(name)]));

