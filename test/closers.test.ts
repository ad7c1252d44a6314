import { describe, expect, it } from 'vitest';
import { Closers } from '../src/engine/closers.js';

const logSink = () => {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (_fields: object, message: string) => void warnings.push(message) } as never };
};

describe('the closers stack (what a run opened, closed in reverse)', () => {
  it('closes last pushed first, awaiting each before the next', async () => {
    const { logger } = logSink();
    const closers = new Closers(logger);
    const order: string[] = [];
    closers.push('the database', () => order.push('database'));
    closers.push('the Redis connection', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('redis');
    });
    closers.push('the limiter', () => order.push('limiter'));
    await closers.closeAll();
    expect(order).toEqual(['limiter', 'redis', 'database']);
  });

  it('a close that fails (thrown or rejected) is logged by name and the others still run', async () => {
    const { logger, warnings } = logSink();
    const closers = new Closers(logger);
    const closed: string[] = [];
    closers.push('the database', () => closed.push('database'));
    closers.push('the Redis connection', () => Promise.reject(new Error('connection reset')));
    closers.push('the limiter', () => {
      throw new Error('already stopped');
    });
    closers.push('the timer', () => closed.push('timer'));
    await expect(closers.closeAll()).resolves.toBeUndefined();
    expect(closed).toEqual(['timer', 'database']);
    expect(warnings).toEqual([
      'closing the limiter failed: already stopped',
      'closing the Redis connection failed: connection reset',
    ]);
  });

  it('closes each thing once: a second closeAll finds the stack empty', async () => {
    const { logger } = logSink();
    const closers = new Closers(logger);
    let closes = 0;
    closers.push('the client', () => (closes += 1));
    await closers.closeAll();
    await closers.closeAll();
    expect(closes).toBe(1);
  });
});
