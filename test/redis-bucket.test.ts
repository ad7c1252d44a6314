import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BucketOptions, RateBucket } from '../src/rate/bucket.js';
import { chooseBucket } from '../src/rate/choose-bucket.js';
import { RateShare } from '../src/rate/share.js';
import { RedisLink } from '../src/redis/link.js';
import { parseRedisTarget } from '../src/redis/url.js';
import { HAVE_REDIS, RedisServer } from './helpers/redis.js';

describe.skipIf(!HAVE_REDIS)('the bucket shared in a real Redis', () => {
  let redis: RedisServer;
  const opened: { bucket: RateBucket; link: RedisLink }[] = [];
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    for (const { bucket, link } of opened) {
      await bucket.stop();
      await link.close();
    }
    await redis?.stop();
  });

  /** A bucket as a run opens it: its own link to Redis, Bottleneck's connection over it, the engine the chooser picks. */
  async function open(id: string, options: Partial<BucketOptions>): Promise<RateBucket> {
    const link = await RedisLink.connect(parseRedisTarget(redis.url));
    const bucket = chooseBucket({
      rate: 1,
      capacity: 10,
      initial: 10,
      tickMs: 50,
      onError: () => undefined,
      ...options,
      shared: { connection: link.bottleneck, id },
    });
    opened.push({ bucket, link });
    await bucket.ready();
    return bucket;
  }

  it('runs on one key take from one bucket: a run joining keeps its level, whatever it would start with', async () => {
    const first = await open('joined', { initial: 10, rate: 0.001 });
    await first.take(8);
    const second = await open('joined', { initial: 10, rate: 0.001 });
    // Not the 10 a bucket of its own would hold (the refill, one token in 1,000 s, adds none meanwhile).
    expect(await second.level()).toBe(2);
    await second.take(1);
    expect(await first.level()).toBe(1);
  });

  it("leaves the server's answers alone: it counts every run already", async () => {
    const bucket = await open('follow', { initial: 5, rate: 0.001 });
    const share = new RateShare({ rate: 100, burst: 200, nowMs: 0 });
    // An answer that would tell a lone run that others took 49 tokens.
    bucket.followServer(share, share.ticket(300), 150);
    await sleep(100);
    expect(await bucket.level()).toBe(5);
    expect(share.othersRate).toBe(0);
  });

  it('a take waiting on a bucket Redis lost (a restart without its data) is served once the bucket is made again', {
    timeout: 20_000,
  }, async () => {
    // Empty, refilling one token a second, in Redis.
    const bucket = await open('lost', { initial: 0, rate: 1 });
    let taken = false;
    const take = bucket.take(1).then(() => (taken = true));
    // The take now waits in Bottleneck for Redis to say the bucket has a token...
    await sleep(200);
    expect(taken).toBe(false);
    // ...and Redis forgets every bucket. Bottleneck's heartbeat alone would never make it again.
    const link = await RedisLink.connect(parseRedisTarget(redis.url));
    await link.client.flushall();
    await link.close();
    await take;
    expect(taken).toBe(true);
  });
});
