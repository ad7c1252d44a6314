import type { StopFacts } from './run-summary.js';

/** What this run knows of the account's credits, read as each request is about to leave. */
export interface CreditsKnown {
  /** The lowest balance the API reported (`/creditos`, then each answer's `billing_info`); undefined when it never said. */
  left: number | undefined;
  /** Credits this run's requests may have cost without an answer saying so (504s, connections lost after sending). */
  maybeUsed: number;
}

/**
 * Whether the account's credits, as this run knows them, cover one more request of `cost` while
 * requests holding `held` credits are in flight. The balance an answer reports may or may not
 * include the requests still in flight, and may not include a charge nobody answered for, so
 * both are taken off. Other runs on the key only lower the true balance, and their spending
 * shows in the next answer: from its own knowledge, this run never sends a request the credits
 * do not cover. Unknown credits hold nothing back (the API's 402 stops the run then).
 */
export function creditsCover(known: CreditsKnown, held: number, cost: number): boolean {
  return known.left === undefined || known.left - held - known.maybeUsed >= cost;
}

/** How many contacts at `cost` each the credits cover, of `toAsk` (all of them when the credits are unknown). */
export function contactsCovered(creditsLeft: number | undefined, toAsk: number, cost: number): number {
  return creditsLeft === undefined ? toAsk : Math.min(toAsk, Math.max(0, Math.floor(creditsLeft / cost)));
}

/** Why the budget refused a request when the account's credits, not `--max-credits`, did: the figures it went by. */
export type CreditsRefusal = Extract<StopFacts, { refusedBy: 'balance' }>;

/**
 * The spending guard. A request reserves its full cost before it leaves; the reservation becomes
 * spent (known charge, or possible charge when the answer is ambiguous) or is released (refunded
 * or never charged). Spent + reserved never passes `--max-credits`, so the account is never
 * charged more than the user allowed, whatever comes back; and reserved never passes what the
 * account's credits are known to cover (`creditsCover`), so a run that knows its credits are
 * short sends no request that would only meet a 402.
 */
export class Budget {
  readonly limit: number;
  readonly #credits: (() => CreditsKnown) | undefined;
  #spent = 0;
  #reserved = 0;
  /** Rows told to wait for the credits held by requests in flight: woken at the next settle. */
  #waiting: Array<() => void> = [];
  /** Set when the account's credits refused a request (a `--max-credits` refusal leaves it undefined). */
  refusal: CreditsRefusal | undefined;

  constructor(limit: number = Number.POSITIVE_INFINITY, credits?: () => CreditsKnown) {
    this.limit = limit;
    this.#credits = credits;
  }

  reserve(cost: number): boolean {
    return this.reserveOrWait(cost) === true;
  }

  /**
   * As `reserve`, but when only the credits held by requests in flight are in the way, the
   * promise of their next settle instead of a refusal: those requests may come back uncharged
   * (or the balance they report may already count them), so the run must not stop on credits
   * that are only held (a cache's claims are async: a whole window is held before one leaves).
   * The same for `--max-credits`: a request refused only because of what others hold waits for
   * them, and the run stops on its cap only once what was spent leaves no room; refused at once,
   * the stop halted the held window's claims, and a run capped at 5 spent 1.
   */
  reserveOrWait(cost: number): boolean | Promise<void> {
    if (this.#spent + this.#reserved + cost > this.limit)
      return this.#reserved > 0 && this.#spent + cost <= this.limit ? this.#untilSettle() : false;
    const known = this.#credits?.();
    if (known && this.#reserved > 0 && !creditsCover(known, this.#reserved, cost)) return this.#untilSettle();
    if (known && !creditsCover(known, this.#reserved, cost)) {
      this.refusal = {
        reason: 'credits',
        refusedBy: 'balance',
        left: known.left ?? 0,
        held: this.#reserved,
        maybeUsed: known.maybeUsed,
        cost,
      };
      return false;
    }
    this.#reserved += cost;
    return true;
  }

  /** Ends a reservation of `cost`, of which `charged` was (or may have been) taken. */
  settle(cost: number, charged: number): void {
    this.#reserved -= cost;
    this.#spent += charged;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }

  /** Resolves at the next settle of a reservation. */
  #untilSettle(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  get spent(): number {
    return this.#spent;
  }

  /** Held by requests in flight. */
  get reserved(): number {
    return this.#reserved;
  }

  /** Why `--max-credits` has no room for a request at `cost`: its figures now. */
  full(cost: number): Extract<StopFacts, { reason: 'budget' }> {
    return { reason: 'budget', limit: this.limit, cost, spent: this.#spent, held: this.#reserved };
  }
}
