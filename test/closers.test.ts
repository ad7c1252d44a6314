import { describe, expect, it } from 'vitest';
import { Closers } from '../src/engine/closers.js';
import { message, render, type Message } from '../src/i18n/index.js';

const logSink = () => {
  const warnings: string[] = [];
  const portuguese: string[] = [];
  const warn = (fields: { i18n: Message }, text: string) => {
    warnings.push(text);
    portuguese.push(render('pt-BR', fields.i18n));
  };
  return { warnings, portuguese, logger: { warn } as never };
};

describe('the closers stack (what a run opened, closed in reverse)', () => {
  it('closes last pushed first, awaiting each before the next', async () => {
    const { logger } = logSink();
    const closers = new Closers(logger);
    const order: string[] = [];
    closers.push(message('cli.closing.checkpoint'), () => order.push('database'));
    closers.push(message('cli.closing.redis'), async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('redis');
    });
    closers.push(message('cli.closing.rateLimiter'), () => order.push('limiter'));
    await closers.closeAll();
    expect(order).toEqual(['limiter', 'redis', 'database']);
  });

  it("a close that fails (thrown or rejected) is logged by name, in the run's language, and the others still run", async () => {
    const { logger, warnings, portuguese } = logSink();
    const closers = new Closers(logger);
    const closed: string[] = [];
    closers.push(message('cli.closing.checkpoint'), () => closed.push('database'));
    closers.push(message('cli.closing.redis'), () => Promise.reject(new Error('connection reset')));
    closers.push(message('cli.closing.rateLimiter'), () => {
      throw new Error('already stopped');
    });
    closers.push(message('cli.closing.concurrencyTimer'), () => closed.push('timer'));
    await expect(closers.closeAll()).resolves.toBeUndefined();
    expect(closed).toEqual(['timer', 'database']);
    expect(warnings).toEqual([
      'closing the rate limiter failed: already stopped',
      'closing the Redis connection failed: connection reset',
    ]);
    // A Portuguese run's line names the same thing in its words (the error's own text stays as it came).
    expect(portuguese).toEqual([
      'não foi possível encerrar o controle do limite de velocidade: already stopped',
      'não foi possível encerrar a conexão com o Redis: connection reset',
    ]);
  });

  it('closes each thing once: a second closeAll finds the stack empty', async () => {
    const { logger } = logSink();
    const closers = new Closers(logger);
    let closes = 0;
    closers.push(message('cli.closing.apiClient'), () => (closes += 1));
    await closers.closeAll();
    await closers.closeAll();
    expect(closes).toBe(1);
  });
});
