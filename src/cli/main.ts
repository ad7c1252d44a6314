import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { creditsCommand } from '../commands/credits.js';
import { enrichCommand } from '../commands/enrich.js';
import { estimateCommand } from '../commands/estimate.js';
import { healthCommand } from '../commands/health.js';
import { statusCommand } from '../commands/status.js';
import { tiersCommand } from '../commands/tiers.js';
import { sandboxCommand } from '../commands/sandbox.js';
import { serveCommand } from '../commands/serve.js';
import { applyConfigFile, knownOptions } from './config-file.js';
import { EXIT, isFluenceError, type ErrorCode } from '../errors.js';
import { exitCodesHelp } from '../commands/exit-codes.js';
import { withYargsLocale } from '../commands/yargs-locale.js';
import { t } from '../i18n/index.js';
import { langOfCommandLine } from './cli-lang.js';
import { joinDashValues, LIST_OPTIONS, withGlobalOptions } from '../commands/yargs-options.js';
import { COMMAND_NAMES, type CommandName } from '../options/table.js';

// A closed pipe (`fluence-enrich ... | head`) is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.done);
  throw error;
});

const tokens = joinDashValues(hideBin(process.argv));
/** The language of the help and of every line a person reads, known before yargs builds the help. */
const lang = langOfCommandLine(tokens);

/** `--log-format json` (flag or config file): the fatal error is a JSON line like the rest of the log. */
let jsonErrors = tokens.some(
  (t, i, all) => t === '--log-format=json' || (t === '--log-format' && all[i + 1] === 'json'),
);

/** An error as the reader reads it: a FluenceError in the command's language, anything else as a bug to report. */
function failWith(error: unknown): never {
  if (isFluenceError(error)) fail(error.textIn(lang), error.code, error.exitCode, error.message);
  // Anything else is a bug: say so plainly, without a stack trace unless asked for.
  const detail = process.env.FLUENCE_DEBUG
    ? String((error as Error)?.stack)
    : String((error as Error)?.message ?? error);
  fail(t(lang, 'cli.unexpected', { detail }), 'INTERNAL', EXIT.fatal, t('en', 'cli.unexpected', { detail }));
}

/** The last line: the reader's words on a terminal; a JSON line's `msg` in English, as the rest of the JSON log. */
function fail(message: string, code: ErrorCode, exitCode: number, english = message): never {
  process.stderr.write(
    jsonErrors
      ? `${JSON.stringify({ level: 60, time: Date.now(), code, exitCode, msg: english })}\n`
      : `fluence-enrich: ${message} [${code}]\n`,
  );
  process.exit(exitCode);
}

// A failure nobody awaited (a bug) still ends with a message, not a stack trace.
process.on('unhandledRejection', failWith);

// biome-ignore lint/suspicious/noExplicitAny: yargs types each module by its own arguments; the list holds them all.
const COMMANDS: Array<CommandModule<any, any>> = [
  enrichCommand,
  estimateCommand,
  creditsCommand,
  healthCommand,
  statusCommand,
  tiersCommand,
  sandboxCommand,
  serveCommand,
].map((command) => command(lang));

const commandOf = (argv: { _: ReadonlyArray<string | number> }): CommandName | undefined =>
  COMMAND_NAMES.find((name) => name === argv._[0]);

try {
  await withYargsLocale(withGlobalOptions(yargs(tokens), lang), lang)
    .scriptName('fluence-enrich')
    // An option given twice means the last one (as in most CLIs); only list options collect.
    .middleware((argv) => {
      for (const [name, value] of Object.entries(argv)) {
        if (Array.isArray(value) && name !== '_' && !LIST_OPTIONS.has(name)) argv[name] = value.at(-1);
      }
    }, true)
    .command(COMMANDS)
    .middleware((argv) => applyConfigFile(argv, tokens, knownOptions(commandOf(argv))), true)
    .middleware((argv) => {
      if (argv['log-format'] === 'json') jsonErrors = true;
    }, true)
    .demandCommand(1, t(lang, 'cli.demandCommand'))
    .strict()
    .epilog(exitCodesHelp(lang))
    .help()
    .fail((message, error) => {
      if (error) throw error;
      fail(message, 'BAD_ARGUMENTS', EXIT.fatal);
    })
    .parseAsync();
} catch (error) {
  failWith(error);
}
