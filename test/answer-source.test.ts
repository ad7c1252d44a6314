import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contactKey, type Contact } from '../src/contact/normalize.js';
import type { Answer } from '../src/output/answer.js';
import { AnswerSource, sameRun } from '../src/engine/answer-source.js';
import { reusable } from '../src/engine/reuse.js';
import { RunStats } from '../src/engine/stats.js';
import { normalizeEnrichOptions } from '../src/options/normalize.js';
import { openRunStore, openSharing } from '../src/sharing/open-sharing.js';
import type { Sharing } from '../src/sharing/sharing.js';
import type { Lookup } from '../src/sharing/types.js';
import { workdir } from './helpers/enrich.js';

/** The answer source without HTTP: a real SQLite store in a temp folder, and an `ask` that only says what it was asked. */

const person = (name: string): Contact => ({ firstName: name, lastName: 'Silva', company: 'Acme' });
const paid = (credits: number): Answer => ({
  status: 'ok',
  httpStatus: 200,
  credits,
  error: '',
  analiseJson: '{"n":1}',
});

async function configFor(dir: string, store: { cache?: string }) {
  const input = join(dir, 'in.csv');
  await writeFile(input, 'primeiro_nome,ultimo_nome,empresa\nAna,Silva,Acme\n');
  return normalizeEnrichOptions(
    { input, output: join(dir, 'out.csv'), apiKey: 'A'.repeat(40), progress: 'off', ...store },
    {},
  );
}

/** One run on `config`'s store: its sharing, its stats, its answer source, and the requests it made. */
async function runOn(
  config: Awaited<ReturnType<typeof configFor>>,
  runId: string,
  halted = new AbortController().signal,
) {
  const startedAt = Date.now();
  const serves = (known: Lookup) => reusable(known, config, startedAt, runId);
  const store = await openRunStore(config, config.input);
  const sharing: Sharing = openSharing(store, { runId, reusable: serves });
  await sharing.join();
  const stats = new RunStats();
  const asked: string[] = [];
  /** Requests claimed and in flight, answered by the test (as the requester would: the store learns the answer first). */
  const waiting = new Map<string, () => void>();
  const ask = (_contact: Contact, key: string): Promise<Answer> => {
    asked.push(key);
    const claim = sharing.claimNow(key, halted);
    return Promise.resolve(claim).then((now) => {
      expect(now.kind).toBe('claimed');
      sharing.markStarted(key);
      return new Promise<Answer>((resolve) => {
        waiting.set(key, () => {
          sharing.saveFinal(key, { status: 'ok', httpStatus: 200, credits: 1, error: '', analise: '{"n":1}' });
          resolve(paid(1));
        });
      });
    });
  };
  const answers = new AnswerSource({ sharing, stats, runId, startedAt, reusable: serves, halted, ask });
  /** Answers the request for `name` once it has left. */
  const answer = async (name: string) => {
    const key = contactKey(person(name));
    while (!waiting.has(key)) await new Promise((resolve) => setImmediate(resolve));
    waiting.get(key)!();
  };
  const sent = (name: string) => waiting.has(contactKey(person(name)));
  const close = async () => {
    await sharing.leave();
    store.checkpoint.close();
  };
  return { sharing, stats, answers, asked, answer, sent, close };
}

describe('answer source: stored answer, request in flight, or a request', () => {
  it("asks each contact once; a repeat waits for the request in flight; an earlier run's answer serves at 0 credits, counted saved once", async () => {
    const config = await configFor(await workdir(), {});
    const earlier = await runOn(config, 'run-1');
    const ana = earlier.answers.answerFor(person('Ana'));
    await earlier.answer('Ana');
    expect(await ana).toEqual(paid(1));
    // Sent and never answered: the run died.
    earlier.sharing.markStarted(contactKey(person('Bia')));
    await earlier.close();

    const run = await runOn(config, 'run-2');
    // Stored by the earlier run: no request, its cost saved the first time only.
    expect(run.answers.answerFor(person('Ana'))).toEqual({ ...paid(0) });
    expect(run.answers.answerFor(person('Ana'))).toEqual({ ...paid(0) });
    expect(run.stats).toMatchObject({ fromCheckpoint: 1, creditsSaved: 1, duplicates: 1 });

    // Unknown: one request, however many rows repeat it while it is in flight.
    const first = run.answers.answerFor(person('Caio'));
    const repeat = run.answers.answerFor(person('Caio'));
    expect(first).toBeInstanceOf(Promise);
    await run.answer('Caio');
    expect(await first).toEqual(paid(1));
    expect(await repeat).toEqual(paid(0));
    // Answered by this run: a later repeat is read back, a duplicate again.
    expect(run.answers.answerFor(person('Caio'))).toEqual(paid(0));
    expect(run.stats.duplicates).toBe(3);

    // Left `started` by the dead run: asked again, and counted as possibly charged (here and across runs).
    const bia = run.answers.answerFor(person('Bia'));
    await run.answer('Bia');
    await bia;
    expect(run.stats).toMatchObject({ uncertain: 1, uncertainFromEarlierRun: 1 });
    expect(run.sharing.uncertainTotal).toBe(1);

    expect(run.asked).toEqual([contactKey(person('Caio')), contactKey(person('Bia'))]);
    expect(run.stats).toMatchObject({ fromCheckpoint: 1, fromOtherRuns: 0, creditsSaved: 1 });
    await run.close();
  });

  it('a request left started is not counted when the run has stopped taking requests', async () => {
    const config = await configFor(await workdir(), {});
    const earlier = await runOn(config, 'run-1');
    earlier.sharing.markStarted(contactKey(person('Bia')));
    await earlier.close();
    const halt = new AbortController();
    halt.abort();
    const run = await runOn(config, 'run-2', halt.signal);
    void run.answers.answerFor(person('Bia'));
    expect(run.stats.uncertain).toBe(0);
    await run.close();
  });

  it('on a --cache: a contact another live run is asking is waited for, then answered from what it stored, at 0 credits', async () => {
    const dir = await workdir();
    const config = await configFor(dir, { cache: join(dir, 'cache.sqlite') });
    const one = await runOn(config, 'run-1');
    const two = await runOn(config, 'run-2');
    const asked = one.answers.answerFor(person('Ana'));
    // Run one claims Ana as its request leaves (after its own look at the cache).
    while (!one.sent('Ana')) await new Promise((resolve) => setImmediate(resolve));
    const waited = two.answers.answerFor(person('Ana'));
    // Run two sees Ana held by a live run, and waits (no request of its own).
    while (two.sharing.waitedSeconds === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(two.asked).toEqual([]);
    await one.answer('Ana');
    expect(await asked).toEqual(paid(1));
    expect(await waited).toEqual(paid(0));
    expect(two.asked).toEqual([]);
    expect(two.stats).toMatchObject({ fromOtherRuns: 1, creditsSaved: 1, duplicates: 0 });
    await one.close();
    await two.close();
  });
});

describe('answers of the same run', () => {
  it("the page's attempts of one run (`<run>/<uuid>`) are one run; a CLI run's UUID, another attempt's run or the same attempt are not", () => {
    expect(sameRun('run-a/1111', 'run-a/2222')).toBe(true);
    expect(sameRun('run-a/2222', 'run-a/2222')).toBe(false);
    expect(sameRun('run-b/1111', 'run-a/2222')).toBe(false);
    expect(sameRun('run-ab/1111', 'run-a/2222')).toBe(false);
    expect(sameRun('1111-2222', '3333-4444')).toBe(false);
  });
});
