import type { BucketOptions, RateBucket } from './bucket.js';
import { LocalBucket } from './local-bucket.js';
import { RedisBucket } from './redis-bucket.js';

/**
 * The one place that knows which engine keeps the bucket (as Bottleneck's constructor picks its
 * local or Redis datastore): a run given a shared place in Redis shares the key's bucket there,
 * any other run keeps its own.
 */
export function chooseBucket(options: BucketOptions): RateBucket {
  return options.shared ? new RedisBucket(options, options.shared) : new LocalBucket(options);
}
