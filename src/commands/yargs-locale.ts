import type { Argv } from 'yargs';
import { t, type Lang, type MessageKey } from '../i18n/index.js';

/**
 * yargs's own words (`Options:`, `Show help`, its errors) by its keys, from our catalog: its
 * shipped `pt_BR` words read as a translation in places ("Exibe ajuda", "Argumento %s,
 * necessário pelo menos"), so the catalog's override them, and a reviewer reads them with the rest.
 */
const WORDS: Readonly<Record<string, MessageKey>> = {
  'Commands:': 'cli.yargs.commands',
  'Options:': 'cli.yargs.options',
  'Examples:': 'cli.yargs.examples',
  'Positionals:': 'cli.yargs.positionals',
  boolean: 'cli.yargs.boolean',
  string: 'cli.yargs.string',
  number: 'cli.yargs.number',
  array: 'cli.yargs.array',
  count: 'cli.yargs.count',
  required: 'cli.yargs.required',
  'default:': 'cli.yargs.default',
  'choices:': 'cli.yargs.choices',
  'aliases:': 'cli.yargs.aliases',
  command: 'cli.yargs.command',
  'Show help': 'cli.yargs.showHelp',
  'Show version number': 'cli.yargs.showVersion',
  'Invalid values:': 'cli.yargs.invalidValues',
  'Argument: %s, Given: %s, Choices: %s': 'cli.yargs.givenChoices',
  'Did you mean %s?': 'cli.yargs.didYouMean',
};

/** yargs's words that it pluralises (`one`/`other` by the count it fills in). */
const PLURAL_WORDS: Readonly<Record<string, { one: MessageKey; other: MessageKey }>> = {
  'Not enough non-option arguments: got %s, need at least %s': {
    one: 'cli.yargs.notEnough',
    other: 'cli.yargs.notEnough',
  },
  'Too many non-option arguments: got %s, maximum of %s': { one: 'cli.yargs.tooMany', other: 'cli.yargs.tooMany' },
  'Missing argument value: %s': { one: 'cli.yargs.missingValue', other: 'cli.yargs.missingValue' },
  'Missing required argument: %s': { one: 'cli.yargs.missingRequired', other: 'cli.yargs.missingRequired' },
  'Unknown argument: %s': { one: 'cli.yargs.unknown', other: 'cli.yargs.unknownMany' },
};

/** yargs's locale for `lang`; the catalog's words laid over its own (so its own detection from LANG never decides). */
export function withYargsLocale<T>(yargs: Argv<T>, lang: Lang): Argv<T> {
  const words: Record<string, string | { one: string; other: string }> = {};
  for (const [word, key] of Object.entries(WORDS)) words[word] = t(lang, key);
  for (const [word, keys] of Object.entries(PLURAL_WORDS))
    words[word] = { one: t(lang, keys.one), other: t(lang, keys.other) };
  // yargs's type says strings only; its y18n takes `{ one, other }` for the words it pluralises.
  return yargs.locale(lang === 'pt-BR' ? 'pt_BR' : 'en').updateLocale(words as Record<string, string>);
}
