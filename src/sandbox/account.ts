import { PLANS, type PlanInfo } from '../api/plans.js';
import { limitsOf, type KeySpec } from './keys.js';
import { monthId, nextMonthStartMs } from './month.js';
import { TokenBucket } from './token-bucket.js';

/** One key's live state in the sandbox: credits, rate bucket and this month's quota use. */
export class Account {
  readonly key: string;
  readonly planId: KeySpec['plan'];
  readonly plan: PlanInfo;
  readonly bucket: TokenBucket;
  readonly monthlyQuota: number;
  credits: number;
  #month: string;
  #used = 0;
  readonly #now: () => number;

  constructor(spec: KeySpec, now: () => number) {
    const limits = limitsOf(spec);
    this.key = spec.key;
    this.planId = spec.plan;
    this.plan = PLANS[spec.plan];
    this.credits = spec.credits;
    this.bucket = new TokenBucket(limits.rate, limits.burst, now);
    this.monthlyQuota = limits.monthlyQuota;
    this.#now = now;
    this.#month = monthId(now());
  }

  /** Counts one CRM request against the month's quota; false when the quota is spent. */
  useQuota(): boolean {
    const month = monthId(this.#now());
    if (month !== this.#month) {
      this.#month = month;
      this.#used = 0;
    }
    if (this.#used >= this.monthlyQuota) return false;
    this.#used += 1;
    return true;
  }

  get quotaUsed(): number {
    return this.#used;
  }

  get quotaResetMs(): number {
    return nextMonthStartMs(this.#now());
  }
}
