import { describe, expect, it } from 'vitest';
import { OrderedWindow } from '../src/engine/ordered-window.js';
import { RateLimiter } from '../src/rate/limiter.js';
import { contactsFile, enrich, people, workdir } from './helpers/enrich.js';
import { withSandbox } from './helpers/sandbox.js';

describe('bounded memory while a slow row blocks the head', () => {
  it('the ordered window writes in input order and makes the reader wait at capacity', async () => {
    const written: number[] = [];
    const window = new OrderedWindow<number>(4, (n) => void written.push(n));
    let releaseHead!: (n: number) => void;
    expect(window.push(new Promise<number>((r) => (releaseHead = r)))).toBeUndefined();
    for (const n of [1, 2]) expect(window.push(n)).toBeUndefined();
    // Full (4 waiting behind a slow head): the reader is asked to wait for the head.
    const wait = window.push(Promise.resolve(3));
    expect(wait).toBeInstanceOf(Promise);
    expect(window.size).toBe(4);
    expect(written).toEqual([]);
    releaseHead(0);
    await wait;
    expect(written).toEqual([0, 1, 2, 3]);
    expect(window.peak).toBe(4);
    expect(window.push(4)).toBeUndefined();
    await window.drain();
    expect(written).toEqual([0, 1, 2, 3, 4]);
  });

  it('a request still waiting for a token is dropped, unsent, when the run stops', async () => {
    const limiter = new RateLimiter({ rate: 1, burst: 1, maxConcurrent: 10 });
    const stop = new AbortController();
    const sent: number[] = [];
    const first = limiter.schedule(async () => sent.push(1), stop.signal);
    const second = limiter.schedule(async () => sent.push(2), stop.signal);
    expect(limiter.waiting).toBeGreaterThanOrEqual(1);
    await first;
    stop.abort();
    expect(await second).toBeUndefined();
    expect(sent).toEqual([1]);
    expect(limiter.waiting).toBe(0);
    await limiter.stop();
  });

  it('end to end: a slow first row never lets more than the window pile up behind it', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, [['Ana', 'Lenta', 'Teste Lento'], ...people(800, 'Teste 404')]);
      const run = await enrich(sandbox, input, dir, ['--concurrency', '4']);
      expect(run.code).toBe(0);
      expect(run.rows).toHaveLength(801);
      expect(run.rows[0]!.fluence_status).toBe('ok');
      // Window for 4 in flight: max(256, 2 x 4) rows.
      expect(run.summary!.peakRowsInMemory).toBeLessThanOrEqual(256);
      expect(run.summary!.peakRowsInMemory).toBeGreaterThan(200);
      expect(sandbox.ledger.peakConcurrency).toBeLessThanOrEqual(4);
    });
  });
});

describe('the output writer pushes back instead of queueing the file', () => {
  it('asks the caller to wait within a few hundred rows when rows come faster than the disk takes them', async () => {
    const { AtomicOutputWriter } = await import('../src/output/output.js');
    const { workdir } = await import('./helpers/enrich.js');
    const { join } = await import('node:path');
    const writer = new AtomicOutputWriter(
      join(await workdir(), 'out.csv'),
      { kind: 'csv', delimiter: ',', bom: false, eol: '\n' },
      [],
    );
    await writer.open(['a']);
    let accepted = 0;
    // Rows of ~4 KB: 64 KB of pending text plus the file's 1 MB buffer hold a bounded number of them.
    const answer = {
      status: 'ok' as const,
      httpStatus: 200,
      credits: 0,
      error: '',
      analiseJson: JSON.stringify({ resumo: 'x'.repeat(4000) }),
    };
    while (writer.write({ cells: [`row ${accepted}`], answer }) === undefined && accepted < 100_000) accepted += 1;
    expect(accepted).toBeLessThan(2000);
    await writer.discard();
  });
});
