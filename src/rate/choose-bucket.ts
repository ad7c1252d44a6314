import type { BucketOptions, RateBucket } from './bucket.js';
import { LocalBucket } from './local-bucket.js';
import { RedisBucket } from './redis-bucket.js';
import { heldAtStart, sharedBucketReserve } from './share.js';

/**
 * The one place that knows which engine keeps the bucket (as Bottleneck's constructor picks its
 * local or Redis datastore), and what each is given. A run given a shared place in Redis shares
 * the key's bucket there, refilled at the plan's rate (Redis counts every run on the key); any
 * other keeps its own, refilled at its `share` of the rate the others leave. A run following the
 * share rule leaves a reserve in the server's bucket (the share's own, or `sharedBucketReserve`
 * in Redis), and its own bucket holds tokens back at the start until its first look says
 * whether it is alone.
 */
export function chooseBucket(options: BucketOptions): RateBucket {
  const { share, shared } = options;
  const reserve = Math.floor(!share ? 0 : shared ? sharedBucketReserve(options.rate, options.capacity) : share.reserve);
  const capacity = Math.max(1, options.capacity - reserve);
  const initial = Math.max(0, Math.min(options.capacity, options.initial) - reserve);
  if (shared) return new RedisBucket({ ...options, capacity, initial }, shared);
  if (!share) return new LocalBucket({ ...options, capacity, initial });
  return new LocalBucket({ ...options, capacity, initial, rate: share.ownRate, held: heldAtStart(initial) });
}
