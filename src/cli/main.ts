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
import { isFluenceError, type ErrorCode, type FluenceError } from '../errors.js';
import { chooseLang } from '../i18n/lang.js';
import { EXIT_CODES_HELP } from '../commands/exit-codes.js';
import { joinDashValues, LIST_OPTIONS, withGlobalOptions } from '../commands/yargs-options.js';
import { COMMAND_NAMES, type CommandName } from '../options/table.js';

// A closed pipe (`fluence-enrich ... | head`) is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const tokens = joinDashValues(hideBin(process.argv));

/** `--log-format json` (flag or config file): the fatal error is a JSON line like the rest of the log. */
let jsonErrors = tokens.some(
  (t, i, all) => t === '--log-format=json' || (t === '--log-format' && all[i + 1] === 'json'),
);

function fail(message: string, code: ErrorCode, exitCode: number): never {
  process.stderr.write(
    jsonErrors
      ? `${JSON.stringify({ level: 60, time: Date.now(), code, exitCode, msg: message })}\n`
      : `fluence-enrich: ${message} [${code}]\n`,
  );
  process.exit(exitCode);
}

/** An error as its reader reads it: in the run's language (`--lang`, FLUENCE_LANG, the locale); a JSON line in English. */
function said(error: FluenceError): string {
  if (jsonErrors) return error.message;
  const at = tokens.findIndex((t) => t === '--lang' || t.startsWith('--lang='));
  const given = at < 0 ? undefined : tokens[at]!.includes('=') ? tokens[at]!.split('=')[1] : tokens[at + 1];
  return error.textIn(chooseLang(given ?? process.env.FLUENCE_LANG));
}

// A failure nobody awaited (a bug) still ends with a message, not a stack trace.
process.on('unhandledRejection', (error) => {
  if (isFluenceError(error)) fail(said(error), error.code, error.exitCode);
  fail(`unexpected error: ${String((error as Error)?.message ?? error)}. Please report this.`, 'INTERNAL', 1);
});

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
];

const commandOf = (argv: { _: ReadonlyArray<string | number> }): CommandName | undefined =>
  COMMAND_NAMES.find((name) => name === argv._[0]);

try {
  await withGlobalOptions(yargs(tokens))
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
    .demandCommand(1, 'Name a command; see --help.')
    .strict()
    .epilog(EXIT_CODES_HELP)
    .help()
    .fail((message, error) => {
      if (error) throw error;
      fail(message, 'BAD_ARGUMENTS', 1);
    })
    .parseAsync();
} catch (error) {
  if (isFluenceError(error)) fail(said(error), error.code, error.exitCode);
  // Anything else is a bug: say so plainly, without a stack trace unless asked for.
  const detail = process.env.FLUENCE_DEBUG ? String((error as Error).stack) : String((error as Error).message ?? error);
  fail(`unexpected error: ${detail}. Please report this.`, 'INTERNAL', 1);
}
