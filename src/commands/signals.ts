import { catalogOf } from '../i18n/catalog.js';
import { chooseLang } from '../i18n/lang.js';
import { interruptReading } from '../input/interrupt.js';
import { EXIT } from './exit-codes.js';

/** `--lang X` or `--lang=X` as typed, read without yargs (which may not have loaded yet). */
function typedLang(): string | undefined {
  const args = process.argv.slice(2);
  const at = args.indexOf('--lang');
  return at >= 0 ? args[at + 1] : args.find((arg) => arg.startsWith('--lang='))?.slice('--lang='.length);
}

/**
 * A signal before a command has set up its own handling (while modules load, or during the
 * first pass over the input): nothing was sent yet, so stop at once with the "rerun" code.
 */
function interruptedBeforeStart(): void {
  // A plain text of the catalog, read without the message formatter (it may not have loaded yet).
  const lang = chooseLang(typedLang() || process.env.FLUENCE_LANG || undefined);
  process.stderr.write(`fluence-enrich: ${catalogOf(lang)['cli.signals.early']}\n`);
  process.exit(EXIT.rerun);
}

export function installEarlySignalHandlers(): void {
  process.on('SIGINT', interruptedBeforeStart);
  process.on('SIGTERM', interruptedBeforeStart);
}

/**
 * A command's own handling of SIGINT/SIGTERM replaces the early one. The new listener goes on
 * before the old one comes off: removing a signal's last listener closes Node's watcher for it,
 * and a signal already received but not yet dispatched was then lost (measured: 4 sandboxes in 15
 * ignored a SIGTERM sent as they printed their address).
 */
export function takeOverSignals(given: (signal: NodeJS.Signals) => void): () => void {
  // Reading before anything is spent (standard input's spool, the first pass) stops at once too.
  const handler = (signal: NodeJS.Signals): void => {
    interruptReading(signal);
    given(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.off('SIGINT', interruptedBeforeStart);
  process.off('SIGTERM', interruptedBeforeStart);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
