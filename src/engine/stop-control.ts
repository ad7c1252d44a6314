import { setMaxListeners } from 'node:events';
import { FluenceError } from '../errors.js';
import { DEFAULT_LANG, message, type Lang, type Message } from '../i18n/index.js';
import { said, type Logger } from '../log.js';
import type { Budget } from './budget.js';
import type { StopFacts } from './run-summary.js';
import type { RunStats } from './stats.js';
import { stopWords } from './stop-facts.js';

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
  readonly #lang: Lang;
  /** The error a fatal stop ends the run with (the output still holds every row). */
  fatal: FluenceError | undefined;
  /** How many requests are in flight (the limiter's, once it is open): a signal's stop lets them finish and says how many. */
  inFlight: () => number = () => 0;

  constructor(stats: RunStats, budget: Budget, logger: Logger, lang: Lang = DEFAULT_LANG) {
    this.#stats = stats;
    this.#budget = budget;
    this.#logger = logger;
    this.#lang = lang;
    // Every row waiting for a token or a retry listens for the stop: thousands, by design.
    setMaxListeners(0, this.#halt.signal);
  }

  /** Aborted once the run stops: requests not yet sent give up. */
  get halted(): AbortSignal {
    return this.#halt.signal;
  }

  /**
   * Stops the run for the reason and figures of `facts` (a credits refusal of the budget says its
   * own); a fatal stop's `words`, when it has them, are said in the reader's language.
   */
  readonly stop = (facts: StopFacts, words?: Message): void => {
    if (this.#halt.signal.aborted) return;
    const stop = facts.reason === 'budget' && this.#budget.refusal ? this.#budget.refusal : facts;
    this.#stats.stop = stop;
    if (stop.reason === 'fatal') {
      this.fatal = new FluenceError(stop.code, words ?? stop.message);
      // The summary's message is read by a person: in the run's language, as a failed run's is.
      this.#stats.fail(this.fatal.code, this.fatal.textIn(this.#lang));
    }
    // A signal's requests in flight are still running as this is said: not yet "let finish".
    const now =
      stop.reason === 'signal' &&
      message('cli.stopFacts.signalNow', { signal: stop.signal ?? 'none', inFlight: stop.inFlight });
    const why = words ?? (now || stopWords(stop, 'cli', this.#lang));
    this.#logger.warn(...said('cli.stop.log', { why }, { reason: stop.reason }));
    this.#halt.abort();
  };

  /** Halts without a reason (the run failed): no new request, waiting rows give up. */
  halt(): void {
    this.#halt.abort();
  }

  /**
   * Stops the run when the caller's `signal` aborts (already aborted: now), with the requests then
   * in flight and, when the caller aborted with one (`abort('SIGTERM')`), the signal's name;
   * returns the way to stop listening.
   */
  listen(signal: AbortSignal | undefined): () => void {
    const onSignal = (): void => {
      const name: unknown = signal?.reason;
      const given = typeof name === 'string' && /^SIG[A-Z0-9]+$/.test(name) ? { signal: name } : {};
      this.stop({ reason: 'signal', ...given, inFlight: this.inFlight() });
    };
    if (signal?.aborted) onSignal();
    signal?.addEventListener('abort', onSignal, { once: true });
    return () => signal?.removeEventListener('abort', onSignal);
  }
}
