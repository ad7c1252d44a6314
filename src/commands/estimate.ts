import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { estimateFile, estimateText } from '../engine/estimate.js';
import { normalizeEnrichOptions } from '../options/normalize.js';
import { inputOptions, withInputOptions, type InputArgs } from './input-options.js';

interface EstimateArgs extends InputArgs {
  json: boolean;
}

export const estimateCommand: CommandModule<object, EstimateArgs> = {
  command: 'estimate <input>',
  describe: 'What enrich would spend on a file, without a CRM request: rows, invalid, duplicates, already answered, credits at most, time',
  builder: (yargs: Argv) =>
    withInputOptions(yargs)
      .option('json', { type: 'boolean', default: false })
      .example('$0 estimate contatos.csv --cache cache.sqlite', 'what tonight would cost, given the cache') as unknown as Argv<EstimateArgs>,
  handler: async (args: ArgumentsCamelCase<EstimateArgs>) => {
    const config = normalizeEnrichOptions({ ...inputOptions(args), progress: 'off' }, process.env, { estimate: true });
    const estimate = await estimateFile(config);
    process.stdout.write(args.json ? `${JSON.stringify(estimate, null, 2)}\n` : estimateText(estimate));
  },
};
