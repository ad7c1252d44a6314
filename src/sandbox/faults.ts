import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { unitHash } from './hash.js';

/** What can go wrong with one CRM request, on purpose. */
export const FAULT_KINDS = [
  /** 500, refunded. */
  'error500',
  /** Gateway 502 / 503, never reached the service: not charged. */
  'error502',
  'error503',
  /** Gateway timeout after the service charged: the client cannot know it paid. */
  'error504',
  /** Connection reset before anything was charged. */
  'dropBeforeCharge',
  /** Connection reset after the charge, before the answer. */
  'dropAfterCharge',
  /** No answer at all, never charged; the connection stays open until the client gives up. */
  'hang',
  /** A 200 whose body is not JSON; charged. */
  'malformed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOptions {
  /** Latency of each CRM answer in ms: fixed, or uniform in `[min, max]`. @default 0 */
  latencyMs?: number | readonly [number, number];
  /** Probability (0-1) per CRM request of each fault. @default none */
  rates?: Partial<Record<FaultKind, number>>;
  /** Seed for every draw, so a run repeats. @default 'fluence' */
  seed?: string;
}

export interface FaultDraw {
  fault: FaultKind | undefined;
  latencyMs: number;
}

/**
 * Decides latency and fault of a request from (seed, person, how many times that person was
 * asked): repeatable whatever the order requests arrive in, and a retry draws afresh.
 */
export class FaultPlan {
  readonly #min: number;
  readonly #max: number;
  readonly #rates: Array<[FaultKind, number]>;
  readonly #seed: string;

  constructor(options: FaultOptions = {}) {
    const latency = options.latencyMs ?? 0;
    [this.#min, this.#max] = typeof latency === 'number' ? [latency, latency] : [latency[0], latency[1]];
    this.#rates = Object.entries(options.rates ?? {}).filter(([, p]) => (p ?? 0) > 0) as Array<[FaultKind, number]>;
    this.#seed = options.seed ?? 'fluence';
  }

  draw(contactKey: string, attempt: number): FaultDraw {
    const latencyMs =
      this.#min === this.#max
        ? this.#min
        : this.#min + unitHash('latency', this.#seed, contactKey, attempt) * (this.#max - this.#min);
    if (this.#rates.length === 0) return { fault: undefined, latencyMs };
    let u = unitHash('fault', this.#seed, contactKey, attempt);
    for (const [kind, p] of this.#rates) {
      if (u < p) return { fault: kind, latencyMs };
      u -= p;
    }
    return { fault: undefined, latencyMs };
  }
}

/** `300` or `300-3000` (ms). */
export function parseLatency(text: string): number | [number, number] {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*$/.exec(text);
  if (!match) throw new FluenceError('BAD_OPTION', message('errors.badOption.latency', { text }));
  const min = Number(match[1]);
  if (match[2] === undefined) return min;
  const max = Number(match[2]);
  if (max < min) throw new FluenceError('BAD_OPTION', message('errors.badOption.latencyRange', { text }));
  return [min, max];
}

/** `error500=0.05` items into rates. */
export function parseFaultRates(items: readonly string[]): Partial<Record<FaultKind, number>> {
  const rates: Partial<Record<FaultKind, number>> = {};
  for (const item of items) {
    const [kind, value] = item.split('=');
    const p = Number(value);
    if (!FAULT_KINDS.includes(kind as FaultKind) || value === undefined || !(p >= 0 && p <= 1)) {
      throw new FluenceError('BAD_OPTION', message('errors.badOption.fault', { kinds: FAULT_KINDS.join(', '), item }));
    }
    rates[kind as FaultKind] = p;
  }
  const total = Object.values(rates).reduce((a, b) => a + b, 0);
  if (total > 1) throw new FluenceError('BAD_OPTION', message('errors.badOption.faultTotal', { total: String(total) }));
  return rates;
}
