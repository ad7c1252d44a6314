import type { Message } from '../i18n/index.js';
import { said, type Logger } from '../log.js';

interface Closer {
  what: Message;
  close: () => unknown;
}

/**
 * What a run opened, closed in reverse order (as a `using` stack would: Node 20 has no
 * `AsyncDisposableStack`). Each close is best-effort: one that fails is logged and the others
 * still run, so a failed Redis goodbye cannot leave the database or the sockets open.
 */
export class Closers {
  readonly #stack: Closer[] = [];
  readonly #logger: Pick<Logger, 'warn'>;

  constructor(logger: Pick<Logger, 'warn'>) {
    this.#logger = logger;
  }

  /** Adds `close` to run before everything pushed earlier; `what` names it in a failure's log line. */
  push(what: Message, close: () => unknown): void {
    this.#stack.push({ what, close });
  }

  /** Runs every close, last pushed first, each awaited; the stack is empty afterwards. */
  async closeAll(): Promise<void> {
    for (let closer = this.#stack.pop(); closer; closer = this.#stack.pop()) {
      try {
        await closer.close();
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        this.#logger.warn(...said('cli.closing.failed', { what: closer.what, error: text }, { err: text }));
      }
    }
  }
}
