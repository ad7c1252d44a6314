// npm run chaos: a soak of the reliability promises. Enriches a few thousand rows against a
// faulty sandbox while killing the process at random (SIGKILL, SIGTERM, SIGINT), rerunning after
// each, then checks the final output against an uninterrupted run, bounds the extra charges, and
// greps everything written for the key. Prints the figures. Bounded: stops by itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSandbox } from '../dist/sandbox/server.js';

const CLI = fileURLToPath(new URL('../dist/cli/cli.js', import.meta.url));
const KEY = 'ChaosKey'.padEnd(40, '7');
const ROWS = Number(process.env.CHAOS_ROWS ?? 12000);
const KILLS = Number(process.env.CHAOS_KILLS ?? 40);
const faults = {
  latencyMs: [20, 200],
  seed: 'chaos',
  rates: {
    error500: 0.03,
    error502: 0.01,
    error503: 0.01,
    error504: 0.01,
    dropBeforeCharge: 0.01,
    dropAfterCharge: 0.01,
    malformed: 0.005,
    hang: 0.005,
  },
};
const args = (input, dir) => [
  'enrich',
  input,
  '-o',
  join(dir, 'out.csv'),
  '--summary',
  join(dir, 'summary.json'),
  '--rate',
  '400',
  '--burst',
  '80',
  '--timeout',
  '2',
  '--retries',
  '3',
  '--progress',
  'log',
  '--log-level',
  'debug',
];

function run(cliArgs, url) {
  const child = spawn(process.execPath, [CLI, ...cliArgs, '--base-url', url], {
    env: { ...process.env, FLUENCE_API_KEY: KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out })));
  return { child, done };
}

const work = mkdtempSync(join(tmpdir(), 'fluence-chaos-'));
const input = join(work, 'in.csv');
writeFileSync(
  input,
  `id,primeiro_nome,ultimo_nome,empresa\n${Array.from({ length: ROWS }, (_, i) => `${i},Caos${i},Silva,${i % 10 === 0 ? 'Teste 404' : 'Teste 200'}`).join('\n')}\n`,
);
const sandboxOptions = { keys: [{ key: KEY, plan: 'crm_enterprise', credits: 10_000_000 }], faults };

// Reference: an uninterrupted run to completion (reruns until every row is final).
const refDir = mkdtempSync(join(work, 'ref-'));
const ref = await startSandbox(sandboxOptions);
let refRun;
for (let i = 0; i < 10; i++) {
  refRun = await run(args(input, refDir), ref.url).done;
  if (refRun.code === 0) break;
}
const refCharged = ref.ledger.totalCharged;
await ref.close();

const dir = mkdtempSync(join(work, 'chaos-'));
const sandbox = await startSandbox(sandboxOptions);
const outputs = [refRun.out];
const tally = { SIGKILL: 0, SIGTERM: 0, SIGINT: 0, finishedFirst: 0 };
for (let k = 0; k < KILLS; k++) {
  const signal = k % 4 === 3 ? 'SIGTERM' : k % 4 === 2 ? 'SIGINT' : 'SIGKILL';
  const { child, done } = run(args(input, dir), sandbox.url);
  await sleep(200 + Math.random() * 900);
  child.kill(signal);
  const result = await done;
  outputs.push(result.out);
  if (result.signal === 'SIGKILL' || (signal !== 'SIGKILL' && result.code === 2)) tally[signal] += 1;
  else tally.finishedFirst += 1;
  await sleep(250);
}
let last;
for (let i = 0; i < 10; i++) {
  last = await run(args(input, dir), sandbox.url).done;
  outputs.push(last.out);
  if (last.code === 0) break;
}
const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const { parse } = await import('csv-parse/sync');
const rows = (path) =>
  parse(readFileSync(path), { columns: true }).map(({ fluence_credits_used, ...r }) => JSON.stringify(r));
const same = JSON.stringify(rows(join(dir, 'out.csv'))) === JSON.stringify(rows(join(refDir, 'out.csv')));
const extra = sandbox.ledger.totalCharged - refCharged;
let leaks = 0;
for (const d of [dir, refDir]) for (const f of readdirSync(d)) if (readFileSync(join(d, f)).includes(KEY)) leaks += 1;
for (const o of outputs) if (o.includes(KEY)) leaks += 1;
const requests = sandbox.ledger.requests['/crm_basico'] ?? {};
const repeatCharges = sandbox.ledger.repeatCharges;
await sandbox.close();

const figures = {
  rows: ROWS,
  kills: tally,
  faultsServed: requests,
  finalExitCode: last.code,
  outputEqualsUninterrupted: same,
  chargesVsUninterrupted: extra,
  // Charges beyond the first for the same person, and the bound: every request that may have
  // been charged without a usable answer (504s, cut connections, requests a kill left in flight).
  repeatCharges,
  repeatChargesBound: summary.uncertainAllRuns,
  leaksFound: leaks,
};
console.log(JSON.stringify(figures, null, 2));
rmSync(work, { recursive: true, force: true });
const ok = same && last.code === 0 && leaks === 0 && repeatCharges <= summary.uncertainAllRuns;
process.exit(ok ? 0 : 1);
