import type { Argv } from 'yargs';
import { DEFAULT_LANG, t, type Lang } from '../i18n/index.js';

/** The file `enrich` and `estimate` read. */
export interface InputArg {
  input: string;
}

export function withInput(yargs: Argv, lang: Lang = DEFAULT_LANG): Argv<InputArg> {
  return yargs.positional('input', {
    type: 'string',
    demandOption: true,
    describe: t(lang, 'cli.input'),
  }) as unknown as Argv<InputArg>;
}

/** yargs reads a positional `-` (standard input) as an empty string: give it back its meaning. */
export function inputArg(value: string, argv: readonly string[] = process.argv.slice(2)): string {
  return value === '' && argv.includes('-') ? '-' : value;
}
