import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { creditsCommand } from './commands/credits.js';
import { enrichCommand } from './commands/enrich.js';
import { estimateCommand } from './commands/estimate.js';
import { healthCommand } from './commands/health.js';
import { statusCommand } from './commands/status.js';
import { tiersCommand } from './commands/tiers.js';
import { sandboxCommand } from './commands/sandbox.js';
import { applyConfigFile, DEFAULT_CONFIG_FILE } from './config-file.js';
import { isFluenceError } from './errors.js';
import { EXIT_CODES_HELP } from './exit-codes.js';

/** Options that may be repeated to give several values. */
const LIST_OPTIONS = new Set(['map', 'fault']);

// A closed pipe (`fluence-enrich ... | head`) is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

function fail(message: string, code: string, exitCode: number): never {
  process.stderr.write(`fluence-enrich: ${message} [${code}]\n`);
  process.exit(exitCode);
}

// A failure nobody awaited (a bug) still ends with a message, not a stack trace.
process.on('unhandledRejection', (error) => {
  if (isFluenceError(error)) fail(error.message, error.code, error.exitCode);
  fail(`unexpected error: ${String((error as Error)?.message ?? error)}. Please report this.`, 'INTERNAL', 1);
});

const tokens = hideBin(process.argv);
try {
  await yargs(tokens)
    .scriptName('fluence-enrich')
    // An option given twice means the last one (as in most CLIs); only list options collect.
    .middleware((argv) => {
      for (const [name, value] of Object.entries(argv)) {
        if (Array.isArray(value) && name !== '_' && !LIST_OPTIONS.has(name)) argv[name] = value.at(-1);
      }
    }, true)
    .command(enrichCommand)
    .command(estimateCommand)
    .command(creditsCommand)
    .command(healthCommand)
    .command(statusCommand)
    .command(tiersCommand)
    .command(sandboxCommand)
    .option('config', { type: 'string', global: true, describe: `JSON file of option values (default: ./${DEFAULT_CONFIG_FILE} when present); flags beat the environment, which beats the file` })
    .middleware((argv) => applyConfigFile(argv, tokens), true)
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
