/**
 * The `--max-credits` guard. A request reserves its full cost before it leaves; the reservation
 * becomes spent (known charge, or possible charge when the answer is ambiguous) or is released
 * (refunded or never charged). Spent + reserved never passes the limit, so the account is never
 * charged more than the user allowed, whatever comes back.
 */
export class Budget {
  readonly limit: number;
  #spent = 0;
  #reserved = 0;

  constructor(limit: number = Number.POSITIVE_INFINITY) {
    this.limit = limit;
  }

  reserve(cost: number): boolean {
    if (this.#spent + this.#reserved + cost > this.limit) return false;
    this.#reserved += cost;
    return true;
  }

  /** Ends a reservation of `cost`, of which `charged` was (or may have been) taken. */
  settle(cost: number, charged: number): void {
    this.#reserved -= cost;
    this.#spent += charged;
  }

  get spent(): number {
    return this.#spent;
  }

  /** Held by requests in flight. */
  get reserved(): number {
    return this.#reserved;
  }
}
