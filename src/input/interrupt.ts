import { EXIT, FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';

/**
 * Reading done before anything is spent (spooling standard input, hashing, the first pass) stops
 * on SIGINT/SIGTERM: the CLI's signal handler calls `interruptReading`. The second pass is not
 * stopped by it: requests may be in flight, and the output is still written (rest `pending`),
 * bounded to the bytes the first pass read.
 */
const controller = new AbortController();

/** Aborted once a signal asked the process to stop. */
export const readingStopped: AbortSignal = controller.signal;

export function interruptReading(signal: string): void {
  if (!controller.signal.aborted) controller.abort(signal);
}

/** The error a read stopped by a signal ends with: exit 2, nothing sent. */
export function interruptedError(): FluenceError {
  return new FluenceError(
    'INTERRUPTED',
    message('errors.interrupted.reading', { signal: String(readingStopped.reason ?? 'none') }),
    { exitCode: EXIT.rerun },
  );
}

/** Throws the interruption when a signal came. */
export function throwIfInterrupted(): void {
  if (readingStopped.aborted) throw interruptedError();
}
