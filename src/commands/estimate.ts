import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withOptions } from './yargs-options.js';
import { estimateFile, estimateText } from '../engine/estimate.js';
import { enrichConfig } from '../options/normalize.js';
import { resolveOptions } from '../options/values.js';
import { inputArg, withInput, type InputArg } from './input-arg.js';

export const estimateCommand: CommandModule<object, InputArg> = {
  command: 'estimate <input>',
  describe:
    'What enrich would spend on a file, without a CRM request: rows, invalid, duplicates, already answered, credits at most, time',
  builder: (yargs: Argv) =>
    withOptions(withInput(yargs), 'estimate').example(
      '$0 estimate contatos.csv --cache cache.sqlite',
      'what tonight would cost, given the cache',
    ),
  handler: async (args: ArgumentsCamelCase<InputArg>) => {
    const { json } = resolveOptions('estimate', args, process.env);
    // The run estimate imagines: enrich's options (those estimate takes given, the others at their defaults).
    const values = resolveOptions('enrich', { ...args, progress: 'off' }, process.env);
    const config = enrichConfig(inputArg(args.input), values, { estimate: true });
    const estimate = await estimateFile(config);
    process.stdout.write(json ? `${JSON.stringify(estimate, null, 2)}\n` : estimateText(estimate));
  },
};
