/**
 * What a run did over time, in bounded memory: counts per time bucket (1 s to begin with) and a
 * latency histogram per bucket. Past `MAX_BUCKETS`, neighbouring buckets merge and the width
 * doubles, so a week-long run keeps as many points as a half-hour one.
 */

/** Points on a chart: 30 minutes at 1 s, then coarser. */
export const MAX_BUCKETS = 1800;

/**
 * Latency bins, 8 per doubling from 1 ms (bin i holds up to 2^(i/8) ms, about 9 % apart) to
 * ~65 s, so a median or p95 read from them is within 9 % of the true one.
 */
const BINS_PER_DOUBLING = 8;
const BINS = 16 * BINS_PER_DOUBLING + 1;

export const binOf = (ms: number): number =>
  Math.min(BINS - 1, Math.max(0, Math.ceil(Math.log2(Math.max(ms, 1)) * BINS_PER_DOUBLING)));
export const binUpperMs = (bin: number): number => 2 ** (bin / BINS_PER_DOUBLING);

interface Bucket {
  requests: number;
  rateLimited: number;
  retries: number;
  rows: number;
  /** Sparse: most buckets see a handful of latency bins. */
  latency: Map<number, number>;
}

const emptyBucket = (): Bucket => ({ requests: 0, rateLimited: 0, retries: 0, rows: 0, latency: new Map() });

/** Adds `b`'s counts into `a`. */
function mergeInto(a: Bucket, b: Bucket): Bucket {
  a.requests += b.requests;
  a.rateLimited += b.rateLimited;
  a.retries += b.retries;
  a.rows += b.rows;
  for (const [bin, n] of b.latency) a.latency.set(bin, (a.latency.get(bin) ?? 0) + n);
  return a;
}

/** One point of a chart: `at` seconds from the start, rates per second over `width` seconds. */
export interface TimelinePoint {
  at: number;
  requestsPerSecond: number;
  rateLimited: number;
  retries: number;
  rowsPerSecond: number;
  /** Approximate (within 9 %), from the bucket's histogram; undefined when nothing was answered. */
  medianMs: number | undefined;
  p95Ms: number | undefined;
}

export class Timeline {
  readonly #startedAt: number;
  #widthMs = 1000;
  readonly #buckets: Bucket[] = [];

  constructor(startedAt: number) {
    this.#startedAt = startedAt;
  }

  get widthSeconds(): number {
    return this.#widthMs / 1000;
  }

  #at(now: number): Bucket {
    let index = Math.max(0, Math.floor((now - this.#startedAt) / this.#widthMs));
    while (index >= MAX_BUCKETS) {
      this.#coarsen();
      index = Math.floor(index / 2);
    }
    while (this.#buckets.length <= index) this.#buckets.push(emptyBucket());
    return this.#buckets[index]!;
  }

  /** Halves the resolution: buckets 2i and 2i+1 become bucket i. */
  #coarsen(): void {
    const merged: Bucket[] = [];
    for (let i = 0; i < this.#buckets.length; i += 2) {
      const next = this.#buckets[i + 1];
      merged.push(next ? mergeInto(this.#buckets[i]!, next) : this.#buckets[i]!);
    }
    this.#buckets.splice(0, this.#buckets.length, ...merged);
    this.#widthMs *= 2;
  }

  request(now = Date.now()): void {
    this.#at(now).requests += 1;
  }

  rateLimited(now = Date.now()): void {
    this.#at(now).rateLimited += 1;
  }

  retry(now = Date.now()): void {
    this.#at(now).retries += 1;
  }

  row(now = Date.now()): void {
    this.#at(now).rows += 1;
  }

  latency(ms: number, now = Date.now()): void {
    const bucket = this.#at(now);
    const bin = binOf(ms);
    bucket.latency.set(bin, (bucket.latency.get(bin) ?? 0) + 1);
  }

  /** Seconds per point when drawn with at most `max` points. */
  pointSeconds(max = Infinity): number {
    return this.widthSeconds * Math.max(1, Math.ceil(this.#buckets.length / max));
  }

  /** The run as at most `max` points (neighbouring buckets summed): a chart needs no more than it has pixels. */
  points(max = Infinity): TimelinePoint[] {
    const group = Math.max(1, Math.ceil(this.#buckets.length / max));
    const width = this.widthSeconds * group;
    const points: TimelinePoint[] = [];
    for (let i = 0; i < this.#buckets.length; i += group) {
      const b = this.#buckets.slice(i, i + group).reduce(mergeInto, emptyBucket());
      points.push({
        at: (i / group) * width,
        requestsPerSecond: b.requests / width,
        rateLimited: b.rateLimited,
        retries: b.retries,
        rowsPerSecond: b.rows / width,
        medianMs: quantile(b.latency, 0.5),
        p95Ms: quantile(b.latency, 0.95),
      });
    }
    return points;
  }
}

/** The `q` quantile of a histogram, as its bin's upper edge. */
export function quantile(histogram: ReadonlyMap<number, number>, q: number): number | undefined {
  let total = 0;
  for (const n of histogram.values()) total += n;
  if (total === 0) return undefined;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (const bin of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bin)!;
    if (seen >= rank) return binUpperMs(bin);
  }
  return undefined;
}
