import { kebab, optionsOf, type OPTIONS, type CommandName, type OptionName, type OptionSpec } from './table.js';

type Table = typeof OPTIONS;
type TakenBy<C extends CommandName> = {
  [K in OptionName]: C extends Table[K]['commands'][number] ? K : never;
}[OptionName];
type CliOnly = { [K in OptionName]: Table[K] extends { cliOnly: true } ? K : never }[OptionName];

/** What a caller may give for an option: what its parser takes, else what the command line reads. */
type Given<S> = S extends { parse: (value: infer V, flag: string) => unknown }
  ? V
  : S extends { array: true }
    ? readonly string[]
    : S extends { type: 'boolean' }
      ? boolean
      : S extends { type: 'number' }
        ? number
        : S extends { choices: readonly (infer C)[] }
          ? C
          : string;

/** What the run gets: the parsed value, never undefined when the table has a default. */
type Parsed<S> =
  | (S extends { parse: (value: never, flag: string) => infer T } ? T : Given<S>)
  | (S extends { default: unknown } ? never : undefined);

/** Every option of a command, resolved (given, environment, file, default) and parsed. */
export type OptionValues<C extends CommandName> = { readonly [K in TakenBy<C>]: Parsed<Table[K]> };

/** The library's options for a run: every option of `enrich` but the CLI's own (logging, --config). */
export type LibraryOptions = { [K in Exclude<TakenBy<'enrich'>, CliOnly>]?: Given<Table[K]> };

/** The `EnrichConfig` fields an option gives as it is (its `to` in the table). */
export type OptionConfig = {
  [K in TakenBy<'enrich'> as Table[K] extends { to: infer F extends string } ? F : never]: Parsed<Table[K]>;
};

export type Source = 'given' | 'env' | 'file' | 'default';

/** An environment variable's value for an option; empty counts as unset. */
const fromEnv = (spec: OptionSpec, env: NodeJS.ProcessEnv): string | undefined =>
  spec.env === undefined ? undefined : env[spec.env] || undefined;

/**
 * Where an option's value comes from: the one precedence rule. The command line (or the library
 * caller) beats the environment, which beats a config file, which beats the table's default.
 */
export function sourceOf(spec: OptionSpec, has: { given: boolean; file: boolean }, env: NodeJS.ProcessEnv): Source {
  if (has.given) return 'given';
  if (fromEnv(spec, env) !== undefined) return 'env';
  return has.file ? 'file' : 'default';
}

/**
 * The options `command` takes, each from where `sourceOf` says, parsed by its entry: one frozen
 * object with every option present. `given` holds the command line (a config file's values
 * already in it, where they win) or the library's options, by camelCase name.
 */
export function resolveOptions<C extends CommandName>(
  command: C,
  given: Readonly<Record<string, unknown>>,
  env: NodeJS.ProcessEnv,
): OptionValues<C> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of optionsOf(command)) {
    const source = sourceOf(spec, { given: given[name] !== undefined, file: false }, env);
    const fallback = spec.defaultFor?.[command] ?? spec.default;
    const value = source === 'given' ? given[name] : source === 'env' ? fromEnv(spec, env) : fallback;
    values[name] = value === undefined || spec.parse === undefined ? value : spec.parse(value as never, kebab(name));
  }
  return Object.freeze(values) as OptionValues<C>;
}
