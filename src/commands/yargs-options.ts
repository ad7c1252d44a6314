import type { Argv, Options } from 'yargs';
import { catalogOf, DEFAULT_LANG, t, type Lang, type MessageKey } from '../i18n/index.js';
import {
  DEFAULT_CONFIG_FILE,
  kebab,
  OPTIONS,
  optionsOf,
  SERVE_PORT,
  type CommandName,
  type OptionSpec,
} from '../options/table.js';

/** What an option's help may name: the values the table holds, said once. */
const HELP_VALUES = { configFile: DEFAULT_CONFIG_FILE, servePort: SERVE_PORT };

/** An option's --help text in `lang`, from the catalog. */
export const optionHelp = (name: string, lang: Lang = DEFAULT_LANG): string =>
  t(lang, `options.${name}` as MessageKey, HELP_VALUES);

/** A default as --help shows it: a switch's in words (`false` | `não`), anything else as JSON. */
const defaultText = (value: unknown, lang: Lang): string =>
  typeof value === 'boolean' ? t(lang, 'cli.help.switch', { on: String(value) }) : JSON.stringify(value);

/** A default said in words (`FLUENCE_BASE_URL, else the production URL`), in `lang` when the catalog has it. */
function helpDefault(name: string, spec: OptionSpec, lang: Lang): string | undefined {
  const key = `cli.helpDefault.${name}` as MessageKey;
  return spec.helpDefault !== undefined && key in catalogOf(lang) ? t(lang, key) : spec.helpDefault;
}

/**
 * An entry as yargs needs it. The default is only shown, never applied: the normaliser applies
 * it, so a value yargs holds was typed, and the environment and a config file can come between.
 */
function yargsOption(name: string, spec: OptionSpec, lang: Lang, command?: CommandName): Options {
  const fallback = (command && spec.defaultFor?.[command]) ?? spec.default;
  return {
    // With choices, yargs shows them in place of the type.
    ...(spec.choices ? { choices: spec.choices } : { type: spec.type }),
    ...(spec.array ? { array: true } : {}),
    ...(spec.alias ? { alias: spec.alias } : {}),
    ...(fallback === undefined
      ? {}
      : { defaultDescription: helpDefault(name, spec, lang) ?? defaultText(fallback, lang) }),
    describe: optionHelp(name, lang),
  };
}

/** The options of `command`, from the table. */
export function withOptions<T>(yargs: Argv<T>, command: CommandName, lang: Lang = DEFAULT_LANG): Argv<T> {
  for (const [name, spec] of optionsOf(command))
    if (!spec.global) yargs.option(kebab(name), yargsOption(name, spec, lang, command));
  return yargs;
}

const entries = Object.entries(OPTIONS) as Array<[string, OptionSpec]>;

/** The options every command takes, offered before the command name too (`--config`). */
export function withGlobalOptions<T>(yargs: Argv<T>, lang: Lang = DEFAULT_LANG): Argv<T> {
  for (const [name, spec] of entries)
    if (spec.global) yargs.option(kebab(name), { ...yargsOption(name, spec, lang), global: true });
  return yargs;
}

/** Options that collect every value given, in both spellings yargs sets (`missing-route`, `missingRoute`). */
export const LIST_OPTIONS: ReadonlySet<string> = new Set(
  entries.filter(([, spec]) => spec.array).flatMap(([name]) => [name, kebab(name)]),
);

/** Each flag that reads a value (`--max-age`, and `-o` for `--output`), to its long form. */
const VALUE_FLAGS: ReadonlyMap<string, string> = new Map(
  entries
    .filter(([, spec]) => spec.type !== 'boolean')
    .flatMap(
      ([name, spec]) =>
        [
          [`--${kebab(name)}`, `--${kebab(name)}`],
          ...(spec.alias ? [[`-${spec.alias}`, `--${kebab(name)}`] as const] : []),
        ] as const,
    ),
);

/** Short flags (`-o`, `-q`): a token that is one of them is a flag, not a value. */
const SHORT_FLAGS: ReadonlySet<string> = new Set(entries.flatMap(([, spec]) => (spec.alias ? [`-${spec.alias}`] : [])));

/**
 * yargs reads a value that starts with `-` as flags of its own: `--max-age -1d` became `-1 -d`
 * ("Unknown arguments: 1, d"), and `--output -` left `-` over. After a flag that reads a value,
 * such a token is that value, joined to it (`--max-age=-1d`) so the option's own check says what
 * is wrong with it. A short flag of the tool (`-o`, `-q`) stays a flag; after `--` nothing changes.
 */
export function joinDashValues(tokens: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '--') return joined.concat(tokens.slice(i));
    const flag = VALUE_FLAGS.get(token);
    const next = tokens[i + 1];
    if (flag !== undefined && next !== undefined && /^-(?!-)/.test(next) && !SHORT_FLAGS.has(next)) {
      joined.push(`${flag}=${next}`);
      i++;
    } else {
      joined.push(token);
    }
  }
  return joined;
}
