import type { Argv } from 'yargs';
import { CRM_ENDPOINTS, TIER_NAMES } from '../api/plans.js';
import { inputArg, type EnrichOptions } from '../options/normalize.js';

/** What `enrich` and `estimate` both need to know: the file, where answers are kept, the plan. */
export interface InputArgs {
  input: string;
  output?: string;
  endpoint: string;
  'base-url'?: string;
  checkpoint?: string;
  cache?: string;
  'max-age'?: string;
  refresh: boolean;
  tier?: string;
  rate?: string;
  burst?: string;
  map: string[];
  header: boolean;
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  'api-key-file'?: string;
}

export function withInputOptions(yargs: Argv): Argv {
  return yargs
    .positional('input', { type: 'string', demandOption: true, describe: 'CSV or .xlsx with first name, last name and company columns (- for standard input, CSV)' })
    .option('output', { alias: 'o', type: 'string', describe: 'Output file, - for standard output (default: output/<input>.enriched.csv)' })
    .option('endpoint', { choices: CRM_ENDPOINTS, default: 'crm_basico', describe: 'crm_basico (1 credit) or crm (2 credits, adds personality)' })
    .option('base-url', { type: 'string', describe: 'API root (default: FLUENCE_BASE_URL, else the production URL)' })
    .option('checkpoint', { type: 'string', describe: 'Checkpoint database (default: OUTPUT.checkpoint.sqlite)' })
    .option('cache', { type: 'string', describe: 'A checkpoint shared across files and runs (nightly jobs pay only for new contacts)' })
    .option('max-age', { type: 'string', describe: 'Ask again answers older than this: 30d, 12h, 90m' })
    .option('refresh', { type: 'boolean', default: false, describe: 'Ask every contact again, ignoring stored answers' })
    .option('tier', { choices: TIER_NAMES, describe: "Your plan's rate and burst (default: learned from X-RateLimit-Limit)" })
    .option('rate', { type: 'string', describe: 'Requests per second allowed by your plan' })
    .option('burst', { type: 'string', describe: 'Burst capacity of your plan (default: 2 x rate)' })
    .option('map', { type: 'string', array: true, default: [] as string[], describe: 'Column for a field: primeiro_nome=Header, ultimo_nome=..., empresa=..., or nome_completo=... to split a full name (repeatable)' })
    .option('header', { type: 'boolean', default: true, describe: 'The first row names the columns; --no-header takes them by position (--map primeiro_nome=1 ...; default 1, 2, 3)' })
    .option('encoding', { type: 'string', describe: 'Input encoding: utf8, windows-1252, latin1, utf16le... (default: detected)' })
    .option('delimiter', { type: 'string', describe: 'Input delimiter: , ; | or tab (default: detected from the header)' })
    .option('sheet', { type: 'string', describe: 'An .xlsx input\'s sheet by name (default: the first)' })
    .option('api-key-file', { type: 'string', describe: 'Read the key from this file (Docker secrets) instead of FLUENCE_API_KEY' });
}

export function inputOptions(args: InputArgs): EnrichOptions {
  return {
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
    sheet: args.sheet,
    apiKeyFile: args['api-key-file'],
  };
}
