import { rmSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { EXIT_CODES_HELP } from '../cli/exit-codes.js';
import { createLogger } from '../log.js';
import { takeOverSignals } from '../cli/signals.js';
import { normalizeEnrichOptions } from '../options/normalize.js';
import { inputOptions, withInputOptions, type InputArgs } from './input-options.js';
import { runEnrich, shellWord } from '../engine/run.js';
import { summaryText } from '../engine/summary-text.js';

interface EnrichArgs extends InputArgs {
  concurrency?: string;
  'max-credits'?: string;
  summary?: string;
  report?: string;
  fields?: string;
  timeout: string;
  retries: string;
  'log-level': string;
  'log-format'?: 'json' | 'pretty';
  quiet: boolean;
  progress?: 'tty' | 'log' | 'off';
  excel: boolean;
  format?: string;
  redis?: string;
  'redis-prefix'?: string;
  'redis-wait'?: string;
}

export const enrichCommand: CommandModule<object, EnrichArgs> = {
  command: 'enrich <input>',
  describe: 'Enrich a CSV of contacts through Fluence; resumable, never paying twice for an answer',
  builder: (yargs: Argv) =>
    withInputOptions(yargs)
      .option('concurrency', { type: 'string', describe: 'Requests in flight at most (default: adapts to the slowest answers, rate x latency)' })
      .option('max-credits', { type: 'string', describe: 'Never spend more than this many credits in this run' })
      .option('summary', { type: 'string', describe: 'Also write the summary as JSON here' })
      .option('report', { type: 'string', describe: 'Also write an HTML report here: charts of the rate, statuses, credits and answer times, and the rows that need attention' })
      .option('fields', { type: 'string', describe: 'analise paths to columns, comma-separated (default: name, role, company, seniority, location, summary, confidence)' })
      .option('timeout', { type: 'string', default: '35', describe: 'Seconds to wait for one answer' })
      .option('retries', { type: 'string', default: '4', describe: 'Retries of a transient failure (5xx, timeout, reset) before the row is failed' })
      .option('log-level', { choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' })
      .option('log-format', { choices: ['json', 'pretty'] as const, describe: 'JSON lines, or readable lines (default: readable on a terminal)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Only warnings and errors: no progress, no summary text (cron)' })
      .option('progress', { choices: ['tty', 'log', 'off'] as const, describe: 'Live line, periodic log lines, or none (default: by terminal)' })
      .option('excel', { type: 'boolean', default: false, describe: "Write for Excel in pt-BR: UTF-8 with BOM, ';', CRLF (default: the input's delimiter, UTF-8)" })
      .option('format', { choices: ['csv', 'jsonl', 'xlsx'], describe: 'Output CSV, one JSON object per row with the whole analise, or an Excel workbook (default: by the output name, .xlsx for an .xlsx input, else CSV)' })
      .option('redis', { type: 'string', describe: 'Share the key\'s rate, claims and answers with runs on other machines: redis://[:password@]host:6379 (or FLUENCE_REDIS_URL)' })
      .option('redis-prefix', { type: 'string', describe: 'Prefix of this tool\'s Redis keys, so teams can share one Redis (default: fluence-enrich)' })
      .option('redis-wait', { type: 'string', describe: 'Seconds to wait for a lost Redis before stopping with the rest pending (default: 30)' })
      .epilog(EXIT_CODES_HELP)
      .example('FLUENCE_API_KEY=... $0 enrich contatos.csv', 'enrich into output/contatos.enriched.csv')
      .example('$0 enrich leads.xlsx', 'enrich into output/leads.enriched.xlsx (a workbook in, a workbook out)')
      .example('$0 enrich export.csv --map empresa="Razão Social" --max-credits 500', 'name a column, cap the spend') as unknown as Argv<EnrichArgs>,
  handler: async (args: ArgumentsCamelCase<EnrichArgs>) => {
    const config = normalizeEnrichOptions({
      ...inputOptions(args),
      concurrency: args.concurrency,
      maxCredits: args['max-credits'],
      summary: args.summary,
      report: args.report,
      fields: args.fields,
      timeout: args.timeout,
      retries: args.retries,
      progress: args.quiet ? 'off' : args.progress,
      excel: args.excel,
      format: args.format,
      redis: args.redis,
      redisPrefix: args['redis-prefix'],
      redisWait: args['redis-wait'],
    });
    const logger = createLogger(args.quiet ? 'warn' : args['log-level'], args['log-format'] ?? (process.stderr.isTTY ? 'pretty' : 'json'));

    // First signal: drain and write what we have. Second: leave now, at the price said in the first message.
    const stop = new AbortController();
    let run: { tempPath: string; inFlight: () => number } | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      const inFlight = run?.inFlight() ?? 0;
      if (!stop.signal.aborted) {
        logger.warn(
          { signal, inFlight },
          `stopping: no new requests; waiting for the ${inFlight} in flight (each within --timeout), then the output is written with the rest pending (exit 2). ` +
            `A second ${signal} quits now (exit 130): those still in flight may have been charged, and the next run asks them again and pays again`,
        );
        stop.abort();
        return;
      }
      logger.warn({ signal, inFlight }, `quitting now (exit 130): ${inFlight} requests in flight abandoned; the next run asks them again (counted as uncertain) and may pay for them twice; no output was written`);
      if (run) rmSync(run.tempPath, { force: true });
      process.exit(130);
    };
    takeOverSignals(onSignal);

    const result = await runEnrich(config, { logger, signal: stop.signal, onStarted: (started) => (run = started), command: typedCommand() });
    if (!args.quiet) process.stderr.write(summaryText(result.summary));
    if (result.error) throw result.error;
    process.exitCode = result.exitCode;
  },
};

/** The command as typed, to rerun it from the report: a password in a URL (`--redis`) is masked; the key is never on the command line. */
function typedCommand(): string {
  return ['fluence-enrich', ...process.argv.slice(2).map((word) => shellWord(word.replace(/(\w+:\/\/[^/@\s:]*):[^/@\s]*@/g, '$1:***@')))].join(' ');
}
