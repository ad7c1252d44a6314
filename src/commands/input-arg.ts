import type { Argv } from 'yargs';

/** The file `enrich` and `estimate` read. */
export interface InputArg {
  input: string;
}

export function withInput(yargs: Argv): Argv<InputArg> {
  return yargs.positional('input', {
    type: 'string',
    demandOption: true,
    describe: 'CSV or .xlsx with first name, last name and company columns (- for standard input, CSV)',
  }) as unknown as Argv<InputArg>;
}

/** yargs reads a positional `-` (standard input) as an empty string: give it back its meaning. */
export function inputArg(value: string, argv: readonly string[] = process.argv.slice(2)): string {
  return value === '' && argv.includes('-') ? '-' : value;
}
