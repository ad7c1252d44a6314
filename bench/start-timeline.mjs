// node bench/start-timeline.mjs [--rows 10000] [--latency 300] [--tier enterprise]: one run alone
// on a key, and what the sandbox received every 250 ms from its first request (the ledger polled).
// Shows whether a lone run spends its burst and then the plan's rate from its first second.
// FLUENCE_BENCH_CLI: another build's cli.js (the code before a change, for a before/after).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const option = (name, fallback) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback;
const TIERS = { developer: [50, 100], fortics: [100, 200], professional: [250, 500], enterprise: [500, 1000] };
const [rate, burst] = TIERS[option('--tier', 'enterprise')];
const rows = Number(option('--rows', '10000'));
const latency = option('--latency', '300');
const CLI = process.env.FLUENCE_BENCH_CLI ?? fileURLToPath(new URL('../dist/cli/cli.js', import.meta.url));
const KEY = 'TimelineKey'.padEnd(40, '0');
const work = mkdtempSync(join(tmpdir(), 'fluence-timeline-'));
const STEP_MS = 250;

const keysFile = join(work, 'keys.json');
writeFileSync(
  keysFile,
  JSON.stringify([{ key: KEY, plan: 'crm_enterprise', credits: 1e8, rate, burst, monthly_quota: 1e8 }]),
);
const input = join(work, 'in.csv');
const out = createWriteStream(input);
out.write('id,first_name,last_name,company,city\n');
// Letters, not digits, in the names: a name with digits reads as a record id to the first pass.
const letters = (n) => String(n).replace(/\d/g, (d) => 'abcdefghij'[d]);
for (let i = 0; i < rows; i++)
  if (!out.write(`${i},Tl${letters(i)},Surname${i % 997},Company ${i % 4999},Lisbon\n`)) await once(out, 'drain');
out.end();
await once(out, 'finish');

const sandbox = spawn(
  process.execPath,
  [CLI, 'sandbox', '--port', '0', '--keys', keysFile, '--latency', latency, '--record-arrivals'],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise((resolve) => {
  let text = '';
  sandbox.stdout.on('data', (d) => {
    text += d;
    const m = /listening on (\S+)/.exec(text);
    if (m) resolve(m[1]);
  });
});
const ledger = async () => {
  const l = await (await fetch(`${url}/__sandbox/ledger`)).json();
  // Arrivals, not answers (those are counted after the latency).
  return { all: l.arrivals.count, throttled: l.rateLimited };
};

const started = performance.now();
const child = spawn(
  process.execPath,
  [CLI, 'enrich', input, '-o', join(work, 'out.csv'), '--base-url', url, '--progress', 'off', '--log-level', 'warn'],
  { env: { ...process.env, FLUENCE_API_KEY: KEY }, stdio: ['ignore', 'ignore', 'inherit'] },
);
let exited = false;
child.on('exit', () => (exited = true));
const counts = [];
let first;
let last = { all: 0, throttled: 0 };
let lastChangeAt = 0;
while (!exited) {
  await new Promise((r) => setTimeout(r, first === undefined ? 10 : STEP_MS));
  const now = await ledger();
  const t = performance.now();
  if (first === undefined) {
    if (now.all === 0) continue;
    first = t;
    last = { all: 0, throttled: 0 };
  }
  counts.push(now.all - last.all);
  if (now.all > last.all) lastChangeAt = t;
  last = now;
}
const processSeconds = (performance.now() - started) / 1000;
sandbox.kill('SIGTERM');
rmSync(work, { recursive: true, force: true });
const span = (lastChangeAt - first) / 1000;
const ideal = Math.max(0, rows - burst) / rate;
const [load] = readFileSync('/proc/loadavg', 'utf8').split(' ');
console.log(`per ${STEP_MS} ms (plan ${(rate * STEP_MS) / 1000}): ${counts.join(', ')}`);
console.log(
  `first 2 s: ${counts.slice(0, 8).reduce((a, b) => a + b, 0)} requests (burst ${burst} + ${rate * 2} of the plan at most); ` +
    `first to last request ${span.toFixed(2)} s (ideal ${ideal.toFixed(2)} s, within 0.25 s); process ${processSeconds.toFixed(2)} s; ` +
    `429s ${last.throttled}; load ${load}`,
);
