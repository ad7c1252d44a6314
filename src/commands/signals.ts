import { interruptReading } from '../input/interrupt.js';
import { EXIT } from './exit-codes.js';

/**
 * A signal before a command has set up its own handling (while modules load, or during the
 * first pass over the input): nothing was sent yet, so stop at once with the "rerun" code.
 */
function interruptedBeforeStart(): void {
  process.stderr.write('fluence-enrich: interrupted before the run started; nothing was sent\n');
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
