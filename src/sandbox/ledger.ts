/** Per key: what the sandbox billed. `charged - refunded` is what the account really paid. */
export interface KeyLedger {
  requests: number;
  charged: number;
  refunded: number;
}

/**
 * Everything the sandbox served and billed, for tests and benchmarks to check the client
 * against: it is the "bank statement" of a run.
 */
export class Ledger {
  /** Requests by path, then by HTTP status (`"dropped"` and `"hung"` for no answer). */
  readonly requests: Record<string, Record<string, number>> = {};
  readonly keys: Record<string, KeyLedger> = {};
  /** Charged (not refunded) answers per person and endpoint: more than 1 means someone paid twice. */
  readonly chargesPerContact = new Map<string, number>();
  rateLimited = 0;
  quotaExceeded = 0;
  inFlight = 0;
  peakConcurrency = 0;
  /** With `recordArrivals`: when each CRM request arrived (ms), and when those throttled did. */
  readonly arrivals: { at: number[]; throttledAt: number[] } | undefined;

  constructor(options: { recordArrivals?: boolean } = {}) {
    this.arrivals = options.recordArrivals ? { at: [], throttledAt: [] } : undefined;
  }

  arrived(at: number, allowed: boolean): void {
    this.arrivals?.at.push(at);
    if (!allowed) this.arrivals?.throttledAt.push(at);
  }

  countRequest(path: string, status: number | string): void {
    const byStatus = (this.requests[path] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }

  forKey(key: string): KeyLedger {
    return (this.keys[key] ??= { requests: 0, charged: 0, refunded: 0 });
  }

  enter(): void {
    this.inFlight += 1;
    if (this.inFlight > this.peakConcurrency) this.peakConcurrency = this.inFlight;
  }

  leave(): void {
    this.inFlight -= 1;
  }

  /** A charge that stuck (not refunded), for one person on one endpoint. */
  countContactCharge(endpoint: string, contactKey: string): void {
    const id = `${endpoint}\u001f${contactKey}`;
    this.chargesPerContact.set(id, (this.chargesPerContact.get(id) ?? 0) + 1);
  }

  /** How many charges beyond the first were made for the same person and endpoint. */
  get repeatCharges(): number {
    let repeats = 0;
    for (const n of this.chargesPerContact.values()) repeats += n - 1;
    return repeats;
  }

  /** Distinct (endpoint, person) charged at least once, whichever key or client paid. */
  get contactsCharged(): number {
    return this.chargesPerContact.size;
  }

  /** Every (endpoint, person) charged more than once, across all keys and clients, with its count: the judge of "never pay twice". */
  paidMoreThanOnce(): Array<{ contact: string; charges: number }> {
    return (
      [...this.chargesPerContact]
        .filter(([, n]) => n > 1)
        // biome-ignore lint/suspicious/noControlCharactersInRegex: U+001F is the contact key's separator (contactKey).
        .map(([contact, charges]) => ({ contact: contact.replace(/\u001f/g, ' | '), charges }))
    );
  }

  /**
   * With `recordArrivals`: the most requests any stretch of time received beyond `rate` x its
   * length. A client within a token bucket of (rate, burst) keeps this at or under `burst`.
   */
  peakOverRate(rate: number): number {
    const at = [...(this.arrivals?.at ?? [])].sort((a, b) => a - b);
    // Over [at[i], at[j]]: (j - i + 1) - rate x (at[j] - at[i]) = f(j) - g(i), g(i) = i - rate x at[i].
    let lowest = Number.POSITIVE_INFINITY;
    let peak = 0;
    for (let j = 0; j < at.length; j++) {
      lowest = Math.min(lowest, j - (rate * at[j]!) / 1000);
      peak = Math.max(peak, j + 1 - (rate * at[j]!) / 1000 - lowest);
    }
    return peak;
  }

  get totalCharged(): number {
    return Object.values(this.keys).reduce((sum, k) => sum + k.charged - k.refunded, 0);
  }

  /** Keys are shown by a short prefix only: the ledger is served over HTTP. */
  toJSON(options: { contacts?: boolean; rate?: number } = {}): Record<string, unknown> {
    const at = this.arrivals?.at ?? [];
    const arrivals = this.arrivals && {
      count: at.length,
      spanSeconds:
        at.length > 1 ? (at.reduce((a, b) => Math.max(a, b)) - at.reduce((a, b) => Math.min(a, b))) / 1000 : 0,
      throttled: this.arrivals.throttledAt.length,
      ...(options.rate ? { peakOverRate: this.peakOverRate(options.rate) } : {}),
    };
    const keys = Object.fromEntries(
      Object.entries(this.keys).map(([k, v]) => [`${k.slice(0, 6)}…`, { ...v, net: v.charged - v.refunded }]),
    );
    return {
      requests: this.requests,
      keys,
      totalCharged: this.totalCharged,
      contactsCharged: this.contactsCharged,
      repeatCharges: this.repeatCharges,
      paidMoreThanOnce: this.paidMoreThanOnce().slice(0, 100),
      rateLimited: this.rateLimited,
      quotaExceeded: this.quotaExceeded,
      inFlight: this.inFlight,
      peakConcurrency: this.peakConcurrency,
      ...(arrivals ? { arrivals } : {}),
      ...(options.contacts ? { chargesPerContact: Object.fromEntries(this.chargesPerContact) } : {}),
    };
  }
}
