import yargs, { type Argv, type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { creditsCommand } from '../commands/credits.js';
import { enrichCommand } from '../commands/enrich.js';
import { estimateCommand } from '../commands/estimate.js';
import { healthCommand } from '../commands/health.js';
import { statusCommand } from '../commands/status.js';
import { tiersCommand } from '../commands/tiers.js';
import { sandboxCommand } from '../commands/sandbox.js';
import { applyConfigFile, DEFAULT_CONFIG_FILE } from './config-file.js';
import { isFluenceError, type ErrorCode } from '../errors.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

/** Options that may be repeated to give several values. */
const LIST_OPTIONS = new Set(['map', 'fault', 'missing-route', 'missingRoute']);

// A closed pipe (`fluence-enrich ... | head`) is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const tokens = hideBin(process.argv);

/** `--log-format json` (flag or config file): the fatal error is a JSON line like the rest of the log. */
let jsonErrors = tokens.some((t, i, all) => t === '--log-format=json' || (t === '--log-format' && all[i + 1] === 'json'));

function fail(message: string, code: ErrorCode, exitCode: number): never {
  process.stderr.write(jsonErrors ? `${JSON.stringify({ level: 60, time: Date.now(), code, exitCode, msg: message })}\n` : `fluence-enrich: ${message} [${code}]\n`);
  process.exit(exitCode);
}

// A failure nobody awaited (a bug) still ends with a message, not a stack trace.
process.on('unhandledRejection', (error) => {
  if (isFluenceError(error)) fail(error.message, error.code, error.exitCode);
  fail(`unexpected error: ${String((error as Error)?.message ?? error)}. Please report this.`, 'INTERNAL', 1);
});

const COMMANDS: Array<CommandModule<any, any>> = [enrichCommand, estimateCommand, creditsCommand, healthCommand, statusCommand, tiersCommand, sandboxCommand];

/** The options a yargs instance knows (`getOptions` is yargs' own, missing from its typings). */
const optionNames = (instance: unknown): Set<string> => new Set(Object.keys((instance as { getOptions(): { key: Record<string, unknown> } }).getOptions().key));

/** Every option some command takes (built only when a config file names one the running command does not). */
let anyCommand: Set<string> | undefined;
const anyOption = (): Set<string> => {
  anyCommand ??= new Set(COMMANDS.flatMap((command) => {
    const instance = yargs([]);
    if (typeof command.builder === 'function') command.builder(instance);
    return [...optionNames(instance)];
  }).concat('config'));
  return anyCommand;
};
try {
  await yargs(tokens)
    .scriptName('fluence-enrich')
    // An option given twice means the last one (as in most CLIs); only list options collect.
    .middleware((argv) => {
      for (const [name, value] of Object.entries(argv)) {
        if (Array.isArray(value) && name !== '_' && !LIST_OPTIONS.has(name)) argv[name] = value.at(-1);
      }
    }, true)
    .command(COMMANDS)
    .option('config', { type: 'string', global: true, describe: `JSON file of option values (default: ./${DEFAULT_CONFIG_FILE} when present); flags beat the environment, which beats the file` })
    .middleware(((argv: Record<string, unknown>, instance: Argv) => applyConfigFile(argv, tokens, { command: optionNames(instance), any: anyOption })) as (argv: Record<string, unknown>) => void, true)
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
  if (isFluenceError(error)) fail(error.message, error.code, error.exitCode);
  // Anything else is a bug: say so plainly, without a stack trace unless asked for.
  const detail = process.env.FLUENCE_DEBUG ? String((error as Error).stack) : String((error as Error).message ?? error);
  fail(`unexpected error: ${detail}. Please report this.`, 'INTERNAL', 1);
}
