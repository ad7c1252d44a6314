import type { ServerResponse } from 'node:http';
import type { ProgressSnapshot } from '../engine/progress.js';
import type { RunDone } from './runs.js';

/** At most two progress events a second: the page stays responsive however fast the run goes. */
export const MIN_PROGRESS_GAP_MS = 500;
/** A comment now and then keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

export function openEventStream(response: ServerResponse): (event: string, data: unknown) => void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  return (event, data) => response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * Sends a run's progress to one page, throttled (the first at once, then at most one per
 * `MIN_PROGRESS_GAP_MS`, the latest winning), then `done`, and ends the stream.
 */
export function streamRun(
  response: ServerResponse,
  events: NodeJS.EventEmitter,
  current: ProgressSnapshot | undefined,
  onClose: (listener: () => void) => void,
): void {
  const send = openEventStream(response);
  let last = 0;
  let latest: ProgressSnapshot | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    if (!latest) return;
    send('progress', latest);
    latest = undefined;
    last = Date.now();
  };
  const onProgress = (snapshot: ProgressSnapshot): void => {
    latest = snapshot;
    const wait = last + MIN_PROGRESS_GAP_MS - Date.now();
    if (wait <= 0) flush();
    else timer ??= setTimeout(flush, wait);
  };
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEPALIVE_MS);
  const cleanup = (): void => {
    clearTimeout(timer);
    clearInterval(keepAlive);
    events.off('progress', onProgress);
    events.off('done', onDone);
  };
  const onDone = (done: RunDone): void => {
    if (latest) flush();
    cleanup();
    send('done', done);
    response.end();
  };
  events.on('progress', onProgress);
  events.on('done', onDone);
  onClose(cleanup);
  // One at once, so a page that connects mid-run shows where it is.
  send('progress', current ?? emptySnapshot());
  last = Date.now();
}

/** Before the first rows: nothing counted yet. */
export const emptySnapshot = (): ProgressSnapshot => ({
  rows: 0,
  total: 0,
  requests: 0,
  ok: 0,
  notFound: 0,
  invalid: 0,
  failed: 0,
  pending: 0,
  credits: 0,
  rateNow: 0,
  planRate: 0,
  rateShare: 0,
  rateLimited: 0,
  fromOtherRuns: 0,
  rowsPerSecond: 0,
  etaSeconds: undefined,
  elapsedSeconds: 0,
});
