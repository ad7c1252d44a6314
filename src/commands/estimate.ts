import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { CRM_ENDPOINTS, TIER_NAMES } from '../api/plans.js';
import { estimateFile, estimateText } from '../pipeline/estimate.js';
import { inputArg, normalizeEnrichOptions } from '../pipeline/options.js';

interface EstimateArgs {
  input: string;
  output?: string;
  endpoint: string;
  'base-url'?: string;
  checkpoint?: string;
  cache?: string;
  'max-age'?: string;
  refresh: boolean;
  tier?: string;
  rate?: number;
  burst?: number;
  map: string[];
  header: boolean;
  encoding?: string;
  delimiter?: string;
  'api-key-file'?: string;
  json: boolean;
}

export const estimateCommand: CommandModule<object, EstimateArgs> = {
  command: 'estimate <input>',
  describe: 'What enrich would spend on a file, without a CRM request: rows, invalid, duplicates, already answered, credits at most, time',
  builder: (yargs: Argv) =>
    yargs
      .positional('input', { type: 'string', demandOption: true })
      .option('output', { alias: 'o', type: 'string', describe: 'The output enrich would write (locates its checkpoint)' })
      .option('endpoint', { choices: CRM_ENDPOINTS, default: 'crm_basico' })
      .option('base-url', { type: 'string' })
      .option('checkpoint', { type: 'string' })
      .option('cache', { type: 'string' })
      .option('max-age', { type: 'string' })
      .option('refresh', { type: 'boolean', default: false })
      .option('tier', { choices: TIER_NAMES })
      .option('rate', { type: 'number' })
      .option('burst', { type: 'number' })
      .option('map', { type: 'string', array: true, default: [] as string[] })
      .option('header', { type: 'boolean', default: true })
      .option('encoding', { type: 'string' })
      .option('delimiter', { type: 'string' })
      .option('api-key-file', { type: 'string', describe: 'Key for the free /creditos check (optional: without a key, credits left are unknown)' })
      .option('json', { type: 'boolean', default: false })
      .example('$0 estimate contatos.csv --cache cache.sqlite', 'what tonight would cost, given the cache') as unknown as Argv<EstimateArgs>,
  handler: async (args: ArgumentsCamelCase<EstimateArgs>) => {
    const config = normalizeEnrichOptions(
      {
        input: inputArg(args.input),
        output: args.output,
        endpoint: args.endpoint,
        baseUrl: args['base-url'],
        checkpoint: args.checkpoint,
        cache: args.cache,
        maxAge: args['max-age'],
        refresh: args.refresh,
        tier: args.tier,
        rate: args.rate,
        burst: args.burst,
        map: args.map,
        noHeader: !args.header,
        encoding: args.encoding,
        delimiter: args.delimiter,
        apiKeyFile: args['api-key-file'],
        progress: 'off',
      },
      process.env,
      { keyOptional: true },
    );
    const estimate = await estimateFile(config);
    process.stdout.write(args.json ? `${JSON.stringify(estimate, null, 2)}\n` : estimateText(estimate));
  },
};
