import { setMaxListeners } from 'node:events';
import { FluenceError, type ErrorCode } from '../errors.js';
import { saidOr, type Logger } from '../log.js';
import type { Budget } from './budget.js';
import type { RunStats, StopReason } from './stats.js';

/**
 * How a run stops: once, for the first reason given (credits, quota, budget, a signal, Redis
 * gone, a fatal answer). No new request leaves after it; those in flight finish and the other
 * rows are left pending. A fatal stop keeps its error for the run's result.
 */
export class StopControl {
  readonly #halt = new AbortController();
  readonly #stats: RunStats;
  readonly #budget: Budget;
  readonly #logger: Logger;
  /** The error a fatal stop ends the run with (the output still holds every row). */
  fatal: FluenceError | undefined;

  constructor(stats: RunStats, budget: Budget, logger: Logger) {
    this.#stats = stats;
    this.#budget = budget;
    this.#logger = logger;
    // Every row waiting for a token or a retry listens for the stop: thousands, by design.
    setMaxListeners(0, this.#halt.signal);
  }

  /** Aborted once the run stops: requests not yet sent give up. */
  get halted(): AbortSignal {
    return this.#halt.signal;
  }

  /** Stops the run for `why`, saying `said` (a credits refusal says its own words). */
  readonly stop = (why: StopReason, said: string, code?: ErrorCode): void => {
    if (this.#halt.signal.aborted) return;
    const { reason, message } =
      why === 'budget' && this.#budget.refusal ? this.#budget.refusal : { reason: why, message: said };
    this.#stats.stopReason = reason;
    this.#stats.stopMessage = message;
    if (reason === 'fatal') {
      this.fatal = new FluenceError(code ?? 'FATAL', message);
      this.#stats.fail(this.fatal.code, message);
    }
    // The stop's own words are English (an API's refusal, a budget's sum); a readable line in another language says the reason's.
    const reasonWords = reason === 'fatal' ? message : { key: `cli.stop.${reason}` as const };
    const english = `stopping: ${message}; requests in flight will finish, the other rows are left pending`;
    this.#logger.warn(...saidOr(english, 'cli.stop.log', { why: reasonWords }, { reason }));
    this.#halt.abort();
  };

  /** Halts without a reason (the run failed): no new request, waiting rows give up. */
  halt(): void {
    this.#halt.abort();
  }

  /** Stops the run when the caller's `signal` aborts (already aborted: now); returns the way to stop listening. */
  listen(signal: AbortSignal | undefined): () => void {
    const onSignal = (): void => this.stop('signal', 'interrupted by a signal');
    if (signal?.aborted) onSignal();
    signal?.addEventListener('abort', onSignal, { once: true });
    return () => signal?.removeEventListener('abort', onSignal);
  }
}
