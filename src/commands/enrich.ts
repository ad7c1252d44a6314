import { rmSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { recordConfigError } from './config-error-record.js';
import { EXIT, exitCodesHelp } from './exit-codes.js';
import { createLogger, said } from '../log.js';
import { t, type Lang } from '../i18n/index.js';
import { takeOverSignals } from './signals.js';
import { enrichConfig } from '../options/normalize.js';
import { resolveOptions } from '../options/values.js';
import { withOptions } from './yargs-options.js';
import { inputArg, withInput, type InputArg } from './input-arg.js';
import { runEnrich, shellWord } from '../engine/run.js';
import { summaryText } from '../engine/summary-text.js';

export const enrichCommand = (lang: Lang): CommandModule<object, InputArg> => ({
  command: 'enrich <input>',
  describe: t(lang, 'cli.enrich.describe'),
  builder: (yargs: Argv) =>
    withOptions(withInput(yargs, lang), 'enrich', lang)
      .epilog(exitCodesHelp(lang))
      .example('FLUENCE_API_KEY=... $0 enrich contatos.csv', t(lang, 'cli.enrich.example.key'))
      .example('$0 enrich leads.xlsx', t(lang, 'cli.enrich.example.xlsx'))
      .example(
        '$0 enrich export.csv --map empresa="Razão Social" --max-credits 500',
        t(lang, 'cli.enrich.example.map'),
      ),
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
      config.lang,
    );

    // First signal: drain and write what we have. Second: leave now, at the price said in the first message.
    const stop = new AbortController();
    let run: { tempPath: string; inFlight: () => number } | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      const inFlight = run?.inFlight() ?? 0;
      if (!stop.signal.aborted) {
        logger.warn(...said('cli.enrich.stopping', { inFlight, signal }, { signal, inFlight }));
        // The signal's name is the stop's reason: the summary's stopFacts and words name it.
        stop.abort(signal);
        return;
      }
      logger.warn(...said('cli.enrich.quitting', { inFlight }, { signal, inFlight }));
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
    if (!values.quiet) process.stderr.write(summaryText(result.summary, config.lang));
    if (result.error) throw result.error;
    process.exitCode = result.exitCode;
  },
});

/** The command as typed, to rerun it from the report: a password in a URL (`--redis`) is masked; the key is never on the command line. */
function typedCommand(): string {
  return [
    'fluence-enrich',
    ...process.argv.slice(2).map((word) => shellWord(word.replace(/(\w+:\/\/[^/@\s:]*):[^/@\s]*@/g, '$1:***@'))),
  ].join(' ');
}
