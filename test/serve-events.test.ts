import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptySnapshot, MIN_PROGRESS_GAP_MS, streamRun } from '../src/serve/events.js';
import { hostAllowed } from '../src/serve/security.js';

/** A response that keeps what was written, as events. */
function fakeResponse() {
  const written: string[] = [];
  let ended = false;
  const response = {
    writeHead: () => response,
    write: (chunk: string) => written.push(chunk),
    end: () => (ended = true),
  } as unknown as ServerResponse;
  const events = () =>
    written
      .filter((w) => w.startsWith('event:'))
      .map((w) => ({ event: /^event: (.*)$/m.exec(w)![1], data: JSON.parse(/^data: (.*)$/m.exec(w)![1]!) }));
  return { response, events, ended: () => ended };
}

describe('serve: progress pushed at most twice a second', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('one at once on connect, then the latest at most every 500 ms, then done (the last progress first)', () => {
    const run = new EventEmitter();
    const out = fakeResponse();
    streamRun(out.response, run, undefined, () => undefined);
    expect(out.events()).toEqual([{ event: 'progress', data: expect.objectContaining({ rows: 0 }) }]);

    // A hundred snapshots in the first half second: one more event, the latest, when it ends.
    for (let rows = 1; rows <= 100; rows++) {
      run.emit('progress', { ...emptySnapshot(), rows });
      vi.advanceTimersByTime(4);
    }
    expect(out.events()).toHaveLength(1);
    vi.advanceTimersByTime(MIN_PROGRESS_GAP_MS);
    expect(out.events().map((e) => e.data.rows)).toEqual([0, 100]);

    // Over 5 s of snapshots every 10 ms: at most 2 a second.
    for (let i = 0; i < 500; i++) {
      run.emit('progress', { ...emptySnapshot(), rows: 101 + i });
      vi.advanceTimersByTime(10);
    }
    const sent = out.events().length - 2;
    expect(sent).toBeGreaterThanOrEqual(9);
    expect(sent).toBeLessThanOrEqual(11);

    run.emit('progress', { ...emptySnapshot(), rows: 999 });
    run.emit('done', { status: 'finished', exitCode: 0, summary: {} });
    expect(out.events().slice(-2)).toEqual([
      { event: 'progress', data: expect.objectContaining({ rows: 999 }) },
      { event: 'done', data: { status: 'finished', exitCode: 0, summary: {} } },
    ]);
    expect(out.ended()).toBe(true);
    expect(run.listenerCount('progress')).toBe(0);
  });

  it('a page that goes away stops listening', () => {
    const run = new EventEmitter();
    let close: () => void = () => undefined;
    streamRun(fakeResponse().response, run, emptySnapshot(), (listener) => (close = listener));
    expect(run.listenerCount('progress')).toBe(1);
    close();
    expect(run.listenerCount('progress')).toBe(0);
    expect(run.listenerCount('done')).toBe(0);
  });
});

describe('serve: the Host header (DNS rebinding)', () => {
  const guard = { token: 't', host: '127.0.0.1', allowHosts: ['crm.local', 'proxy.example:9000'] };
  it('loopback names on any port, --host and --allow-host are the server; any other name is not', () => {
    for (const host of [
      '127.0.0.1:8790',
      'localhost:1234',
      '[::1]:8790',
      'LOCALHOST:8790',
      'crm.local:8790',
      'proxy.example:9000',
    ])
      expect(hostAllowed(host, guard, 8790), host).toBe(true);
    for (const host of [
      undefined,
      '',
      'evil.example:8790',
      'proxy.example:9001',
      '127.0.0.1.evil.example:8790',
      'localhost.evil:8790',
    ])
      expect(hostAllowed(host, guard, 8790), String(host)).toBe(false);
    // Listening on every interface allows no name by itself: 0.0.0.0 is not a Host a browser sends.
    expect(hostAllowed('0.0.0.0:8790', { ...guard, host: '0.0.0.0', allowHosts: [] }, 8790)).toBe(false);
    expect(hostAllowed('192.168.0.5:8790', { ...guard, host: '192.168.0.5', allowHosts: [] }, 8790)).toBe(true);
  });
});
