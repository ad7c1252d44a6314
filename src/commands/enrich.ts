import { rmSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { CRM_ENDPOINTS, TIER_NAMES } from '../api/plans.js';
import { createLogger } from '../log.js';
import { takeOverSignals } from '../signals.js';
import { inputArg, normalizeEnrichOptions } from '../pipeline/options.js';
import { runEnrich } from '../pipeline/run.js';
import { summaryText } from '../pipeline/summary-text.js';

interface EnrichArgs {
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
  concurrency?: number;
  'max-credits'?: number;
  summary?: string;
  map: string[];
  header: boolean;
  fields?: string;
  'api-key-file'?: string;
  timeout: number;
  retries: number;
  'log-level': string;
  'log-format'?: 'json' | 'pretty';
  quiet: boolean;
  progress?: 'tty' | 'log' | 'off';
  encoding?: string;
  delimiter?: string;
  excel: boolean;
  format: string;
}

export const enrichCommand: CommandModule<object, EnrichArgs> = {
  command: 'enrich <input>',
  describe: 'Enrich a CSV of contacts through Fluence; resumable, never paying twice for an answer',
  builder: (yargs: Argv) =>
    yargs
      .positional('input', { type: 'string', demandOption: true, describe: 'CSV with first name, last name and company columns' })
      .option('output', { alias: 'o', type: 'string', describe: 'Output CSV (default: output/<input>.enriched.csv)' })
      .option('endpoint', { choices: CRM_ENDPOINTS, default: 'crm_basico', describe: 'crm_basico (1 credit) or crm (2 credits, adds personality)' })
      .option('base-url', { type: 'string', describe: 'API root (default: FLUENCE_BASE_URL, else the production URL)' })
      .option('checkpoint', { type: 'string', describe: 'Checkpoint database (default: OUTPUT.checkpoint.sqlite)' })
      .option('cache', { type: 'string', describe: 'A checkpoint shared across files and runs (nightly jobs pay only for new contacts)' })
      .option('max-age', { type: 'string', describe: 'Ask again answers older than this: 30d, 12h, 90m' })
      .option('refresh', { type: 'boolean', default: false, describe: 'Ask every contact again, ignoring stored answers' })
      .option('tier', { choices: TIER_NAMES, describe: "Your plan's rate and burst (default: learned from X-RateLimit-Limit)" })
      .option('rate', { type: 'number', describe: 'Requests per second allowed by your plan' })
      .option('burst', { type: 'number', describe: 'Burst capacity of your plan (default: 2 x rate)' })
      .option('concurrency', { type: 'number', describe: 'Requests in flight at most (default: enough for 4 s per call at the rate)' })
      .option('max-credits', { type: 'number', describe: 'Never spend more than this many credits in this run' })
      .option('summary', { type: 'string', describe: 'Also write the summary as JSON here' })
      .option('map', { type: 'string', array: true, default: [] as string[], describe: 'Column for a field: primeiro_nome=Header, ultimo_nome=..., empresa=..., or nome_completo=... to split a full name (repeatable)' })
      .option('header', { type: 'boolean', default: true, describe: 'The first row names the columns; --no-header takes them by position (--map primeiro_nome=1 ...; default 1, 2, 3)' })
      .option('fields', { type: 'string', describe: 'analise paths to columns, comma-separated (default: name, role, company, seniority, location, summary, confidence)' })
      .option('api-key-file', { type: 'string', describe: 'Read the key from this file (Docker secrets) instead of FLUENCE_API_KEY' })
      .option('timeout', { type: 'number', default: 35, describe: 'Seconds to wait for one answer' })
      .option('retries', { type: 'number', default: 4, describe: 'Retries of a transient failure (5xx, timeout, reset) before the row is failed' })
      .option('log-level', { choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' })
      .option('log-format', { choices: ['json', 'pretty'] as const, describe: 'JSON lines, or readable lines (default: readable on a terminal)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Only warnings and errors: no progress, no summary text (cron)' })
      .option('progress', { choices: ['tty', 'log', 'off'] as const, describe: 'Live line, periodic log lines, or none (default: by terminal)' })
      .option('encoding', { type: 'string', describe: 'Input encoding: utf8, windows-1252, latin1, utf16le... (default: detected)' })
      .option('delimiter', { type: 'string', describe: 'Input delimiter: , ; | or tab (default: detected from the header)' })
      .option('excel', { type: 'boolean', default: false, describe: "Write for Excel in pt-BR: UTF-8 with BOM, ';', CRLF (default: the input's delimiter, UTF-8)" })
      .option('format', { choices: ['csv', 'jsonl'], default: 'csv', describe: 'Output CSV, or one JSON object per row with the whole analise' })
      .example('FLUENCE_API_KEY=... $0 enrich contatos.csv', 'enrich into output/contatos.enriched.csv')
      .example('$0 enrich export.csv --map empresa="Razão Social" --max-credits 500', 'name a column, cap the spend') as unknown as Argv<EnrichArgs>,
  handler: async (args: ArgumentsCamelCase<EnrichArgs>) => {
    const config = normalizeEnrichOptions({
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
      concurrency: args.concurrency,
      maxCredits: args['max-credits'],
      summary: args.summary,
      map: args.map,
      noHeader: !args.header,
      fields: args.fields,
      apiKeyFile: args['api-key-file'],
      timeout: args.timeout,
      retries: args.retries,
      progress: args.quiet ? 'off' : args.progress,
      encoding: args.encoding,
      delimiter: args.delimiter,
      excel: args.excel,
      format: args.format,
    });
    const logger = createLogger(args.quiet ? 'warn' : args['log-level'], args['log-format'] ?? (process.stderr.isTTY ? 'pretty' : 'json'));

    // First signal: drain and write what we have. Second: leave now; the checkpoint has every answer.
    const stop = new AbortController();
    let tempFile: string | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!stop.signal.aborted) {
        logger.warn({ signal }, 'stopping after the requests in flight (send the signal again to quit now)');
        stop.abort();
        return;
      }
      if (tempFile) rmSync(tempFile, { force: true });
      process.exit(130);
    };
    takeOverSignals(onSignal);

    const result = await runEnrich(config, { logger, signal: stop.signal, onTempFile: (path) => (tempFile = path) });
    if (!args.quiet) process.stderr.write(summaryText(result.summary));
    if (result.error) throw result.error;
    process.exitCode = result.exitCode;
  },
};
