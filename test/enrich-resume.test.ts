import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { finished } from './helpers/cli.js';
import { contactsFile, enrich, people, readOutput, stable, startEnrich, workdir } from './helpers/enrich.js';
import { key, withSandbox } from './helpers/sandbox.js';

/** Answers take 100-300 ms, so a few hundred rows keep requests in flight for a while. */
const SLOW = { faults: { latencyMs: [100, 300] as [number, number] } };
const RICH = key('Rich', { plan: 'crm_enterprise', credits: 100_000 });

async function uninterrupted(input: string): Promise<{ rows: Array<Record<string, string>>; charged: number }> {
  return withSandbox({ ...SLOW, keys: [RICH] }, async (sandbox) => {
    const dir = await workdir();
    const run = await enrich(sandbox, input, dir, ['--rate', '400', '--burst', '50'], RICH.key);
    expect(run.code).toBe(0);
    return { rows: run.rows, charged: sandbox.ledger.totalCharged };
  });
}

/** A quota's reset at a month's start (00:00 UTC), as a person reads it in `lang`: day, time and zone. */
function resetIn(lang: 'en' | 'pt-BR', iso: string): string {
  expect(iso).toMatch(/T00:00:/);
  const [year, month, day] = iso.slice(0, 10).split('-');
  return lang === 'en' ? `${month}/${day}/${year}, 12:00 AM UTC` : `${day}/${month}/${year}, 00:00 UTC`;
}

/** Rows a killed run's checkpoint holds as "started": asked, or about to be, with no answer kept. */
function leftStarted(dir: string): number {
  const db = new Database(join(dir, 'out.csv.checkpoint.sqlite'), { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM results WHERE state = 'started'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('enrich: stopping and resuming without paying twice', () => {
  it('SIGKILL mid-run, rerun: complete output equal to an uninterrupted run; extra charges only for requests in flight, all counted uncertain', async () => {
    const dir = await workdir();
    const input = await contactsFile(dir, [...people(300, 'Teste 200'), ...people(100, 'Natura', 'Outra')]);
    const baseline = await uninterrupted(input);
    await withSandbox({ ...SLOW, keys: [RICH] }, async (sandbox) => {
      const child = startEnrich(sandbox, input, dir, ['--rate', '400', '--burst', '50'], RICH.key);
      const done = finished(child);
      while ((sandbox.ledger.requests['/crm_basico']?.['200'] ?? 0) < 60) await sleep(20);
      const inFlight = sandbox.ledger.inFlight;
      const arrivedAtKill = sandbox.ledger.keys[RICH.key]!.requests;
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
      expect(readOutput(dir)).toEqual([]); // no torn output
      await sleep(350); // let the sandbox finish (and charge) what was in flight
      // Requests already on the wire at the kill, measured: they reached the sandbox after it.
      const onTheWire = sandbox.ledger.keys[RICH.key]!.requests - arrivedAtKill;
      const startedAtKill = leftStarted(dir);

      const rerun = await enrich(sandbox, input, dir, ['--rate', '400', '--burst', '50'], RICH.key);
      expect(rerun.code).toBe(0);
      expect(stable(rerun.rows)).toEqual(stable(baseline.rows));
      const extra = sandbox.ledger.totalCharged - baseline.charged;
      expect(extra).toBe(sandbox.ledger.repeatCharges);
      expect(extra).toBeGreaterThan(0);
      expect(extra).toBeLessThanOrEqual(rerun.summary!.uncertain);
      expect(rerun.summary!.uncertainFromEarlierRun).toBe(rerun.summary!.uncertain);
      // Counted uncertain: exactly the rows the killed run left marked "started" (each written
      // before its request could leave), no more and no fewer.
      expect(rerun.summary!.uncertain).toBe(startedAtKill);
      // Of those, the ones that reached the server: what it had in flight, what was on the wire,
      // and answers sent back but not yet read when the process died. The rest never left (marked,
      // then killed while got was still sending them): a loaded machine has more of those, so
      // they are not bounded here (measured in CI: 113 marked against 54 in flight and on the wire).
      expect(extra).toBeLessThanOrEqual(startedAtKill);
      expect(inFlight + onTheWire).toBeLessThanOrEqual(startedAtKill);
    });
  });

  it('SIGTERM mid-run: drains, writes pending rows, exits 2; the rerun completes with zero extra charges', async () => {
    // Enough rows that a loaded machine's late SIGTERM (after the 40th answer) still finds rows
    // unsent: with 300, all of them could be in flight by then and the run end with exit 0.
    const ROWS = 1000;
    const dir = await workdir();
    const input = await contactsFile(dir, people(ROWS, 'Teste 200'));
    const baseline = await uninterrupted(input);
    await withSandbox({ ...SLOW, keys: [RICH] }, async (sandbox) => {
      const child = startEnrich(sandbox, input, dir, ['--rate', '400', '--burst', '50'], RICH.key);
      const done = finished(child);
      while ((sandbox.ledger.requests['/crm_basico']?.['200'] ?? 0) < 40) await sleep(20);
      child.kill('SIGTERM');
      const stopped = await done;
      expect(stopped.code).toBe(2);
      const partial = readOutput(dir);
      expect(partial).toHaveLength(ROWS);
      const pending = partial.filter((r) => r.fluence_status === 'pending');
      expect(pending.length).toBeGreaterThan(0);
      expect(partial.filter((r) => r.fluence_status === 'ok').length + pending.length).toBe(ROWS);
      expect(sandbox.ledger.inFlight).toBe(0);

      const rerun = await enrich(sandbox, input, dir, ['--rate', '400', '--burst', '50'], RICH.key);
      expect(rerun.code).toBe(0);
      expect(stable(rerun.rows)).toEqual(stable(baseline.rows));
      expect(sandbox.ledger.totalCharged).toBe(baseline.charged);
      expect(sandbox.ledger.repeatCharges).toBe(0);
      expect(rerun.summary!.uncertain).toBe(0);
    });
  });

  it('402 mid-run: exit 3 with pending rows; after adding credits the rerun completes', async () => {
    const poor = key('Poor', { plan: 'crm_business', credits: 30 });
    await withSandbox({ keys: [poor] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(50, 'Teste 404'));
      const first = await enrich(sandbox, input, dir, [], poor.key);
      expect(first.code).toBe(3);
      expect(first.summary).toMatchObject({ stopReason: 'credits', creditsUsed: 30 });
      expect(first.rows).toHaveLength(50);
      expect(first.rows.filter((r) => r.fluence_status === 'pending')).toHaveLength(20);
      expect(first.stderr).toMatch(/stopped \(credits\)/);
      sandbox.accounts.get(poor.key)!.credits += 100;
      const second = await enrich(sandbox, input, dir, [], poor.key);
      expect(second.code).toBe(0);
      expect(second.summary).toMatchObject({ creditsUsed: 20, fromCheckpoint: 30 });
      expect(sandbox.ledger.totalCharged).toBe(50);
      expect(sandbox.ledger.repeatCharges).toBe(0);
    });
  });

  it('--max-credits is never exceeded, and spent exactly when nothing is refunded', async () => {
    await withSandbox({ ...SLOW, keys: [RICH] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(40, 'Teste 409'));
      const run = await enrich(sandbox, input, dir, ['--max-credits', '7', '--endpoint', 'crm'], RICH.key);
      expect(run.code).toBe(3);
      expect(run.summary!.stopReason).toBe('budget');
      // The stop's figures: as data, and in the words (English by default).
      const facts = run.summary!.stopFacts;
      expect(facts).toMatchObject({ reason: 'budget', limit: 7, cost: 2 });
      expect(facts.spent + facts.held).toBe(6);
      expect(run.summary!.stopMessage).toBe(
        `the --max-credits budget of 7 has no room for another request at 2 credits (${facts.spent} spent or possibly spent, ${facts.held} held by requests in flight)`,
      );
      // /crm costs 2: three requests fit in 7.
      expect(sandbox.ledger.totalCharged).toBe(6);
      expect(run.rows.filter((r) => r.fluence_status === 'ambiguous')).toHaveLength(3);
      expect(run.rows.filter((r) => r.fluence_status === 'pending')).toHaveLength(37);
    });
  });

  it('a burst larger than the bucket: 429s are waited out and re-queued through the limiter, no row lost', async () => {
    const tight = key('Tight', { plan: 'crm_business', credits: 1000, rate: 20, burst: 5 });
    await withSandbox({ keys: [tight] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(30, 'Teste 404'));
      // Claim a far faster plan than the key has. (A claimed burst far above what the first answer
      // shows left is read as someone else using the key, and the run starts slow without a 429:
      // keep the claimed burst near the key's so the 429 path is what is exercised.)
      const run = await enrich(sandbox, input, dir, ['--rate', '200', '--burst', '8'], tight.key);
      expect(run.code).toBe(0);
      expect(run.rows.every((r) => r.fluence_status === 'not_found')).toBe(true);
      expect(sandbox.ledger.rateLimited).toBeGreaterThan(0);
      expect(run.summary!.rateLimited).toBe(sandbox.ledger.rateLimited);
      // Every 429 went back through the limiter as a new request.
      expect(run.summary!.requests).toBe(30 + sandbox.ledger.rateLimited);
      expect(sandbox.ledger.totalCharged).toBe(30);
      expect(sandbox.ledger.repeatCharges).toBe(0);
    });
  });

  it('the monthly quota stops the run with exit 3 and pending rows', async () => {
    const capped = key('Capped', { plan: 'crm_business', credits: 1000, monthly_quota: 10 });
    await withSandbox({ keys: [capped] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(25, 'Teste 404'));
      const run = await enrich(sandbox, input, dir, [], capped.key);
      expect(run.code).toBe(3);
      expect(run.summary!.stopReason).toBe('quota');
      expect(run.summary!.stopFacts).toEqual({ reason: 'quota', resetsAt: expect.stringMatching(/-01T00:00:00/) });
      // When it resets, as a date and a time with the zone named (no ISO milliseconds): the same in the rows.
      const at = resetIn('en', run.summary!.stopFacts.resetsAt);
      expect(run.summary!.stopMessage).toBe(`monthly quota reached; it resets at ${at}`);
      expect(run.summary!.nextStep).toContain(`until ${at}`);
      const refused = run.rows.filter((r) => r.fluence_http_status === '429');
      expect(refused.length).toBeGreaterThan(0);
      for (const row of refused) expect(row.fluence_error).toBe(run.summary!.stopMessage);
      // Each of the quota's 429s counted as what it is, none as the rate limit.
      expect(run.summary!.quotaRefused).toBe(sandbox.ledger.quotaExceeded);
      expect(run.summary!.quotaRefused).toBe(refused.length);
      expect(run.summary!.rateLimited).toBe(0);
      expect(run.stderr).toContain(`refused by the monthly quota ${refused.length}`);
      expect(run.stderr).toContain(`stopped (monthly quota): monthly quota reached; it resets at ${at}`);
      expect(run.rows.filter((r) => r.fluence_status === 'not_found')).toHaveLength(10);
      expect(run.rows.filter((r) => r.fluence_status === 'pending')).toHaveLength(15);
    });
  });
});

describe("a stop's figures in Portuguese (--lang pt-BR): the log line, the summary text, --summary, the next step", () => {
  const PT = ['--lang', 'pt-BR', '--log-format', 'json'];
  /** The JSON log line of the stop (its msg is for people: in the run's language). */
  const stopLine = (stderr: string) =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; msgKey?: string; reason?: string })
      .find((line) => line.msgKey === 'cli.stop.log');

  it('--max-credits: the budget, what was spent and what requests in flight held, in Portuguese', async () => {
    await withSandbox({ ...SLOW, keys: [RICH] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(40, 'Teste 409'));
      const run = await enrich(sandbox, input, dir, ['--max-credits', '7', '--endpoint', 'crm', ...PT], RICH.key);
      expect(run.code, run.stderr).toBe(3);
      const facts = run.summary!.stopFacts;
      expect(facts).toMatchObject({ reason: 'budget', limit: 7, cost: 2 });
      expect(facts.spent + facts.held).toBe(6);
      const gastos = facts.spent === 0 ? 'nenhum crédito gasto' : `${facts.spent} gastos ou talvez gastos`;
      const reservados =
        facts.held === 0 ? 'nenhum reservado' : facts.held === 1 ? '1 reservado' : `${facts.held} reservados`;
      const words = `o limite de --max-credits (7) não comporta mais uma consulta de 2 créditos: ${gastos}, ${reservados} para consultas em andamento`;
      expect(run.summary!.stopMessage).toBe(words);
      expect(stopLine(run.stderr)).toMatchObject({ reason: 'budget', msg: expect.stringContaining(words) });
      expect(run.stderr).toContain(`parou (limite de --max-credits): ${words}`);
      expect(run.stderr).toContain('o limite de --max-credits foi atingido');
      expect(run.stderr).not.toContain('has no room');
    });
  });

  it('the monthly quota: when it resets, in Portuguese, and quotaResetsAt from the same fact', async () => {
    const capped = key('Capped', { plan: 'crm_business', credits: 1000, monthly_quota: 10 });
    await withSandbox({ keys: [capped] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(25, 'Teste 404'));
      const run = await enrich(sandbox, input, dir, PT, capped.key);
      expect(run.code, run.stderr).toBe(3);
      const { resetsAt } = run.summary!.stopFacts;
      expect(resetsAt).toMatch(/^\d{4}-\d\d-01T00:00:00/);
      // --summary's quotaResetsAt stays as scripts read it; people read a date and time in Portuguese.
      const minute = `${resetsAt.slice(0, 10)} ${resetsAt.slice(11, 16)} UTC`;
      expect(run.summary!.quotaResetsAt).toBe(minute);
      const at = resetIn('pt-BR', resetsAt);
      const words = `a cota mensal do plano acabou; ela renova em ${at}`;
      expect(run.summary!.stopMessage).toBe(words);
      expect(stopLine(run.stderr)).toMatchObject({ reason: 'quota', msg: expect.stringContaining(words) });
      expect(run.stderr).toContain(`parou (cota mensal): ${words}`);
      expect(run.summary!.nextStep).toContain(`até ${at}`);
      expect(run.stderr).toContain(`até ${at}`);
      expect(run.stderr).not.toMatch(/monthly quota reached|resets at|T00:00:00/);
      // The rows the quota refused say so in the output, in Portuguese too, in the same words; the others were never sent.
      const refused = run.rows.filter((r) => r.fluence_http_status === '429');
      expect(refused.length).toBeGreaterThan(0);
      for (const row of refused) expect(row.fluence_error).toBe(words);
      // The quota's 429s are refusals by the quota, not the rate limit: counted and said as such.
      expect(run.summary!.quotaRefused).toBe(sandbox.ledger.quotaExceeded);
      expect(run.stderr).toContain(`recusadas pela cota mensal ${refused.length}`);
      expect(run.stderr).toContain('barradas pelo limite de velocidade 0');
      expect(run.rows.filter((r) => r.fluence_status === 'pending')).toHaveLength(15);
    });
  });

  it('SIGTERM: the signal and the requests in flight let finish, in the facts and the words', async () => {
    const dir = await workdir();
    const input = await contactsFile(dir, people(1000, 'Teste 200'));
    await withSandbox({ ...SLOW, keys: [RICH] }, async (sandbox) => {
      const child = startEnrich(sandbox, input, dir, ['--rate', '400', '--burst', '50', ...PT], RICH.key);
      const done = finished(child);
      while ((sandbox.ledger.requests['/crm_basico']?.['200'] ?? 0) < 40) await sleep(20);
      child.kill('SIGTERM');
      const run = await done;
      expect(run.code, run.stderr).toBe(2);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      // The stopping line counted the requests in flight when the signal came: the facts hold the same.
      const stopping = run.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msgKey?: string; inFlight?: number; signal?: string })
        .find((line) => line.msgKey === 'cli.enrich.stopping');
      expect(stopping).toMatchObject({ signal: 'SIGTERM' });
      const inFlight = stopping!.inFlight!;
      expect(summary.stopFacts).toEqual({ reason: 'signal', signal: 'SIGTERM', inFlight });
      const finished_ =
        inFlight === 0
          ? 'nenhuma consulta estava em andamento'
          : inFlight === 1
            ? 'a 1 consulta em andamento pôde terminar'
            : `as ${inFlight} consultas em andamento puderam terminar`;
      const words = `interrompida por SIGTERM; ${finished_}`;
      expect(summary.stopMessage).toBe(words);
      expect(run.stderr).toContain(`parou (interrupção): ${words}`);
      expect(run.stderr).not.toContain('interrompida por um sinal');
      // The stop's log line, said while those requests still run: how many, not yet finished.
      const consultas = inFlight === 0 ? 'nenhuma consulta' : inFlight === 1 ? '1 consulta' : `${inFlight} consultas`;
      expect(stopLine(run.stderr)).toMatchObject({
        reason: 'signal',
        msg: expect.stringContaining(`parando: interrompida por SIGTERM com ${consultas} em andamento;`),
      });
    });
  });
});
