import { rmSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { recordConfigError } from './config-error-record.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { createLogger } from '../log.js';
import { takeOverSignals } from './signals.js';
import { enrichConfig } from '../options/normalize.js';
import { resolveOptions } from '../options/values.js';
import { withOptions } from './yargs-options.js';
import { inputArg, withInput, type InputArg } from './input-arg.js';
import { runEnrich, shellWord } from '../engine/run.js';
import { summaryText } from '../engine/summary-text.js';

export const enrichCommand: CommandModule<object, InputArg> = {
  command: 'enrich <input>',
  describe: 'Enrich a CSV of contacts through Fluence; resumable, never paying twice for an answer',
  builder: (yargs: Argv) =>
    withOptions(withInput(yargs), 'enrich')
      .epilog(EXIT_CODES_HELP)
      .example('FLUENCE_API_KEY=... $0 enrich contatos.csv', 'enrich into output/contatos.enriched.csv')
      .example('$0 enrich leads.xlsx', 'enrich into output/leads.enriched.xlsx (a workbook in, a workbook out)')
      .example('$0 enrich export.csv --map empresa="Razão Social" --max-credits 500', 'name a column, cap the spend'),
  handler: async (args: ArgumentsCamelCase<InputArg>) => {
    const input = inputArg(args.input);
    let values: ReturnType<typeof resolveOptions<'enrich'>>;
    let config: ReturnType<typeof enrichConfig>;
    try {
      values = resolveOptions('enrich', args, process.env);
      config = enrichConfig(input, values);
    } catch (error) {
      // A missing or malformed key, a plain-http address: the run's options were read, so its summary and report say it stopped.
      await recordConfigError(error, input, args, process.env, typedCommand());
      throw error;
    }
    const logger = createLogger(
      values.quiet ? 'warn' : values.logLevel,
      values.logFormat ?? (process.stderr.isTTY ? 'pretty' : 'json'),
    );

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
      logger.warn(
        { signal, inFlight },
        `quitting now (exit 130): ${inFlight} requests in flight abandoned; the next run asks them again (counted as uncertain) and may pay for them twice; no output was written`,
      );
      if (run) rmSync(run.tempPath, { force: true });
      process.exit(EXIT.quitNow);
    };
    takeOverSignals(onSignal);

    const result = await runEnrich(config, {
      logger,
      signal: stop.signal,
      onStarted: (started) => (run = started),
      command: typedCommand(),
    });
    if (!values.quiet) process.stderr.write(summaryText(result.summary));
    if (result.error) throw result.error;
    process.exitCode = result.exitCode;
  },
};

/** The command as typed, to rerun it from the report: a password in a URL (`--redis`) is masked; the key is never on the command line. */
function typedCommand(): string {
  return [
    'fluence-enrich',
    ...process.argv.slice(2).map((word) => shellWord(word.replace(/(\w+:\/\/[^/@\s:]*):[^/@\s]*@/g, '$1:***@'))),
  ].join(' ');
}
