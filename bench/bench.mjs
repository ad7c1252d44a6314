// npm run bench [-- --quick]: the performance figures of issue #4, measured on the real CLI
// against the sandbox running as a separate process. Prints one table.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { namesScenario } from './names-pass.mjs';

const quick = process.argv.includes('--quick');
/** `--only names`: the first pass's CPU per row and peak memory on real names, and a --cache rerun. `--only rate|redis|shared|container|xlsx|report`: just those scenarios; `--only fast`: just the instant-sandbox ones (CPU, memory, resume); `--only lone`: the enterprise rate row alone (one Node major against another: ~65 s). */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
/** `--only shared --runs 3 --tier fortics [--rows 1500] [--latency 200-800]`: N runs started together on one --cache, at a tier's rate. */
const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const TIER_LIMITS = { developer: [50, 100], fortics: [100, 200], professional: [250, 500], enterprise: [500, 1000] };
/** FLUENCE_BENCH_CLI: another build's cli.js (e.g. the code before a change, for a before/after). */
const CLI = process.env.FLUENCE_BENCH_CLI ?? fileURLToPath(new URL('../dist/cli/cli.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'fluence-bench-'));
const KEY = 'BenchKey'.padEnd(40, '0');
const keys = (rate, burst) => [
  { key: KEY, plan: 'crm_enterprise', credits: 100_000_000, rate, burst, monthly_quota: 100_000_000 },
];

/**
 * A first name unique per scenario and row. The scenario's digits become letters: a name like
 * "enterprise-500-s7" reads as a CRM record id, which the first pass refuses to send as a person.
 */
const firstName = (prefix, n) => `${prefix.replace(/\d/g, (d) => 'abcdefghij'[d])}${n}`;

/** `distinct`: contacts repeat after that many rows (a resume's writer costs the same per row either way). */
async function writeContacts(path, rows, prefix, distinct = rows) {
  const out = createWriteStream(path);
  out.write('id,primeiro_nome,ultimo_nome,empresa,cidade\n');
  for (let i = 0; i < rows; i++) {
    const c = i % distinct;
    if (!out.write(`${i},${firstName(prefix, c)},Sobrenome${c % 997},Empresa ${c % 4999},São Paulo\n`))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

async function startSandbox(args) {
  const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      text += d;
      const m = /listening on (\S+)/.exec(text);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`sandbox exited: ${text}`)));
  });
  return {
    url,
    stop: () => child.kill('SIGTERM'),
    ledger: async () => (await fetch(`${url}/__sandbox/ledger`)).json(),
  };
}

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - t0) / 1000 }));
  });
}

async function enrich(url, input, extra = [], extension = 'csv') {
  const out = join(work, `${Math.random().toString(36).slice(2)}.${extension}`);
  const summaryPath = `${out}.summary.json`;
  const result = await run(
    process.execPath,
    [
      CLI,
      'enrich',
      input,
      '-o',
      out,
      '--base-url',
      url,
      '--summary',
      summaryPath,
      '--progress',
      'off',
      '--log-level',
      'warn',
      ...extra,
    ],
    { FLUENCE_API_KEY: KEY },
  );
  if (result.code !== 0) throw new Error(`enrich exited ${result.code}: ${result.stderr.slice(-2000)}`);
  return { ...result, out, summary: JSON.parse(readFileSync(summaryPath, 'utf8')) };
}

const table = [];
function row(scenario, rows, seconds, ideal, rate429, summary, note = '') {
  table.push({
    scenario,
    rows,
    elapsed: `${seconds.toFixed(2)} s`,
    ideal: ideal ? `${ideal.toFixed(2)} s` : '-',
    ratio: ideal ? (seconds / ideal).toFixed(3) : '-',
    '429s': rate429 ?? '-',
    'cpu us/row': summary ? summary.resources.cpuMicrosPerRow : '-',
    'peak RSS': summary ? `${summary.resources.maxRssMb} MB` : '-',
    note,
  });
  console.error(`done: ${scenario}`);
}

async function rateScenario(name, rate, burst, rows, latency) {
  const slug = name.replace(/\W+/g, '-');
  const keysFile = join(work, `${slug}.keys.json`);
  writeFileSync(keysFile, JSON.stringify(keys(rate, burst)));
  const sandbox = await startSandbox(['--keys', keysFile, '--latency', latency]);
  try {
    const input = await writeContacts(join(work, `${slug}.csv`), rows, slug);
    const r = await enrich(sandbox.url, input);
    const ideal = (rows - burst) / rate + 3;
    const ledger = await sandbox.ledger();
    const pct = ((100 * ledger.rateLimited) / Math.max(1, r.summary.requests)).toFixed(3);
    row(
      name,
      rows,
      r.seconds,
      ideal,
      `${ledger.rateLimited} (${pct} %)`,
      r.summary,
      `${(r.summary.requests / r.seconds).toFixed(1)} req/s, peak ${ledger.peakConcurrency} in flight`,
    );
  } finally {
    sandbox.stop();
  }
}

/** Contacts `from` .. `from + rows - 1`: two files with overlapping ranges share contacts. */
async function writeRange(path, from, rows) {
  const out = createWriteStream(path);
  out.write('id,primeiro_nome,ultimo_nome,empresa,cidade\n');
  for (let i = from; i < from + rows; i++) {
    if (!out.write(`${i},shared${i},Sobrenome${i % 997},Empresa ${i % 4999},São Paulo\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

/**
 * The share of the plan from the first process's start to the last one's exit: the ideal (the
 * needed requests at the plan's rate, the first burst free, plus the scenario's allowance for the
 * last answers' latency and a late start) over the time they took.
 */
function planFromStart(ideal, seconds) {
  return `from process start ${(ideal / seconds).toFixed(3)} of the plan`;
}

/** The share of the plan while requests flowed: the sandbox's arrivals less the first burst, over their span. */
function planSteady(ledger, burst, rate) {
  const steady = (ledger.arrivals.count - burst) / ledger.arrivals.spanSeconds;
  return `steady ${(steady / rate).toFixed(3)} of the plan`;
}

/** The machine's load average (1, 5, 15 min) as the figure was taken: these figures move with it. */
function load() {
  const [one, five, fifteen] = readFileSync('/proc/loadavg', 'utf8').split(' ');
  return `load ${one} ${five} ${fifteen}`;
}

/**
 * Two runs on one Enterprise key (500/s, burst 1,000), the second started a second after the
 * first, each over `rows` rows of which half are the other's: with one --cache, and with a
 * checkpoint each. Combined rate = the requests they needed / the time from the first start to
 * the last end, against the plan.
 */
async function sharedScenario(rows, latency) {
  for (const mode of ['cache', 'checkpoints']) {
    const keysFile = join(work, `shared-${mode}.keys.json`);
    writeFileSync(keysFile, JSON.stringify(keys(500, 1000)));
    const sandbox = await startSandbox(['--keys', keysFile, '--latency', latency, '--record-arrivals']);
    try {
      const a = await writeRange(join(work, `shared-${mode}-a.csv`), 0, rows);
      const b = await writeRange(join(work, `shared-${mode}-b.csv`), rows / 2, rows);
      const store = (name) =>
        mode === 'cache'
          ? ['--cache', join(work, `shared-${mode}.sqlite`)]
          : ['--checkpoint', join(work, `shared-${mode}-${name}.sqlite`)];
      const t0 = performance.now();
      const first = enrich(sandbox.url, a, store('a'));
      await new Promise((r) => setTimeout(r, 1000));
      const second = enrich(sandbox.url, b, store('b'));
      const [ra, rb] = await Promise.all([first, second]);
      const seconds = (performance.now() - t0) / 1000;
      const ledger = await (await fetch(`${sandbox.url}/__sandbox/ledger?rate=500`)).json();
      const requests = ra.summary.requests + rb.summary.requests;
      const needed = mode === 'cache' ? rows * 1.5 : rows * 2;
      const ideal = (needed - 1000) / 500 + 1.5;
      const pct = ((100 * ledger.rateLimited) / Math.max(1, requests)).toFixed(2);
      row(
        `shared key, ${mode === 'cache' ? 'one --cache' : 'a checkpoint each'}`,
        rows * 2,
        seconds,
        ideal,
        `${ledger.rateLimited} (${pct} %)`,
        undefined,
        `${planFromStart(ideal, seconds)}; ${planSteady(ledger, 1000, 500)}; ${load()}; ${requests - ledger.rateLimited} answered for ${ledger.contactsCharged} contacts, ${ledger.repeatCharges} paid twice; shares ${ra.summary.rateShare} + ${rb.summary.rateShare}; waited ${rb.summary.waitedForOtherRunsSeconds} s`,
      );
    } finally {
      sandbox.stop();
    }
  }
}

/**
 * `runs` runs started together on one key at a tier's rate, one --cache, each on its own
 * `rows` contacts (none shared, so every request is needed). 429 share = the ledger's 429s /
 * the requests sent; combined rate = the requests answered / the time from the first start to
 * the last end, against the plan (the CLI's own start, ~0.5 s, counts against it).
 */
async function severalRunsScenario(runs, tier, rows, latency) {
  const [rate, burst] = TIER_LIMITS[tier];
  const keysFile = join(work, `runs-${tier}.keys.json`);
  writeFileSync(keysFile, JSON.stringify(keys(rate, burst)));
  const sandbox = await startSandbox(['--keys', keysFile, '--latency', latency]);
  try {
    const files = [];
    for (let i = 0; i < runs; i++) files.push(await writeRange(join(work, `runs-${tier}-${i}.csv`), i * rows, rows));
    const cache = ['--cache', join(work, `runs-${tier}.sqlite`)];
    const t0 = performance.now();
    const results = await Promise.all(files.map((file) => enrich(sandbox.url, file, cache)));
    const seconds = (performance.now() - t0) / 1000;
    const ledger = await sandbox.ledger();
    const requests = results.reduce((n, r) => n + r.summary.requests, 0);
    const answered = requests - ledger.rateLimited;
    const ideal = Math.max(0, runs * rows - burst) / rate;
    // Each run's own clock starts after its preflight and first pass (slow on a busy machine):
    // the combined rate is over the time from the first run's start to the last one's end.
    const window =
      Math.max(...results.map((r) => r.seconds)) -
      Math.min(...results.map((r) => r.seconds - r.summary.elapsedSeconds));
    const pct = ((100 * ledger.rateLimited) / Math.max(1, requests)).toFixed(2);
    row(
      `${runs} runs, one --cache, ${tier} ${rate}/s burst ${burst}, ${latency} ms`,
      runs * rows,
      seconds,
      ideal,
      `${ledger.rateLimited} (${pct} %)`,
      undefined,
      `${(answered / window).toFixed(1)} req/s together over ${window.toFixed(1)} s of requests (${(answered / window / rate).toFixed(2)} of the plan); ${planFromStart(ideal, seconds)}; ${load()}; runs ${results.map((r) => r.summary.elapsedSeconds.toFixed(1)).join(', ')} s; shares ${results.map((r) => r.summary.rateShare).join(' + ')}; others seen ${results.map((r) => r.summary.othersRate ?? '-').join(', ')}`,
    );
  } finally {
    sandbox.stop();
  }
}

/** A throwaway redis-server (Debian's) on a free port, or undefined when the machine has none. */
async function startRedis() {
  const which = await run('sh', ['-c', 'command -v redis-server']);
  if (which.code !== 0) return undefined;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    which.stdout.trim(),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let text = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      text += d;
      if (text.includes('Ready to accept connections')) resolve();
    });
    child.on('exit', () => reject(new Error(`redis-server exited: ${text.slice(-500)}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

/**
 * Three runs started together on one Enterprise key (500/s, burst 1,000) through one Redis, each
 * over `rows` rows overlapping the next by half (2 x rows distinct contacts), three times. The
 * sandbox records every arrival: the steady rate is (arrivals - the first burst) / their span,
 * and no stretch of time may get more than burst + 500/s x its length.
 */
async function redisScenario(rows, latency) {
  const redis = await startRedis();
  if (!redis) {
    console.error('redis scenario skipped: no redis-server (apt-get install -y redis-server)');
    return;
  }
  try {
    for (let round = 1; round <= 3; round++) {
      const keysFile = join(work, `redis-${round}.keys.json`);
      writeFileSync(keysFile, JSON.stringify(keys(500, 1000)));
      const sandbox = await startSandbox(['--keys', keysFile, '--latency', latency, '--record-arrivals']);
      try {
        const files = await Promise.all(
          [0, 1, 2].map((i) => writeRange(join(work, `redis-${round}-${i}.csv`), (i * rows) / 2, rows)),
        );
        const t0 = performance.now();
        const results = await Promise.all(
          files.map((file) => enrich(sandbox.url, file, ['--redis', redis.url, '--redis-prefix', `bench${round}`])),
        );
        const seconds = (performance.now() - t0) / 1000;
        const ledger = await (await fetch(`${sandbox.url}/__sandbox/ledger?rate=500`)).json();
        const requests = results.reduce((n, r) => n + r.summary.requests, 0);
        const needed = rows * 2;
        const steady = (ledger.arrivals.count - 1000) / ledger.arrivals.spanSeconds;
        const pct = ((100 * ledger.rateLimited) / Math.max(1, requests)).toFixed(3);
        const cpu = Math.round(results.reduce((n, r) => n + r.summary.resources.cpuMicrosPerRow, 0) / 3);
        table.push({
          scenario: `3 runs, one key, one Redis (round ${round})`,
          rows: rows * 3,
          elapsed: `${seconds.toFixed(2)} s`,
          ideal: `${((needed - 1000) / 500 + 3).toFixed(2)} s`,
          ratio: (seconds / ((needed - 1000) / 500 + 3)).toFixed(3),
          '429s': `${ledger.rateLimited} (${pct} %)`,
          'cpu us/row': cpu,
          'peak RSS': `${Math.max(...results.map((r) => r.summary.resources.maxRssMb))} MB`,
          note: `${planFromStart((needed - 1000) / 500 + 3, seconds)}; steady ${steady.toFixed(1)} req/s (${(steady / 500).toFixed(3)} of the plan); ${load()}; peak over rate ${Math.round(ledger.arrivals.peakOverRate)} (burst 1000); ${requests} requests for ${ledger.contactsCharged} contacts, ${ledger.repeatCharges} paid twice; waited ${results.map((r) => r.summary.waitedForOtherRunsSeconds).join(' / ')} s`,
        });
        console.error(`done: redis round ${round}`);
      } finally {
        sandbox.stop();
      }
    }
  } finally {
    redis.stop();
  }
}

const CGROUP_V1 = '/sys/fs/cgroup/memory';

/**
 * The Enterprise-rate run inside a memory cgroup, as under `docker run -m`: through the image's
 * entrypoint (heap sized from the limit), three times at 128 MiB, and once at 256 MiB as the
 * image ran before (plain node). Needs root and cgroup v1's memory controller; skipped otherwise.
 */
async function containerScenario(rows) {
  if (process.getuid?.() !== 0 || !existsSync(join(CGROUP_V1, 'cgroup.procs'))) {
    console.error('container scenario skipped: needs root and the cgroup v1 memory controller');
    return;
  }
  const keysFile = join(work, 'container.keys.json');
  writeFileSync(keysFile, JSON.stringify(keys(500, 1000)));
  const sandbox = await startSandbox(['--keys', keysFile, '--latency', '300-3000']);
  const entrypoint = fileURLToPath(new URL('../docker/entrypoint.sh', import.meta.url));
  const redis = await startRedis();
  try {
    const input = await writeContacts(join(work, 'container.csv'), rows, 'ct');
    const runs = [
      ['entrypoint', 128, `sh ${entrypoint}`],
      ['entrypoint', 128, `sh ${entrypoint}`],
      ['entrypoint', 128, `sh ${entrypoint}`],
      ['plain node', 256, `node ${CLI}`],
    ];
    if (redis)
      runs.push(
        ['entrypoint, --redis', 128, `sh ${entrypoint}`, `--redis ${redis.url}`],
        ['entrypoint, --redis', 128, `sh ${entrypoint}`, `--redis ${redis.url} --redis-prefix again`],
      );
    for (const [label, mb, command, extra = ''] of runs) {
      const group = join(CGROUP_V1, `fluence-bench-${process.pid}-${table.length}`);
      mkdirSync(group);
      writeFileSync(join(group, 'memory.limit_in_bytes'), String(mb * 1024 * 1024));
      const out = join(work, `container-${table.length}.csv`);
      const args = `enrich ${input} -o ${out} --base-url ${sandbox.url} --progress off --log-level warn --summary ${out}.json ${extra}`;
      const r = await run('bash', ['-c', `echo $$ > ${group}/cgroup.procs; exec ${command} ${args}`], {
        FLUENCE_API_KEY: KEY,
      });
      const oom = /oom_kill (\d+)/.exec(readFileSync(join(group, 'memory.oom_control'), 'utf8'))?.[1] ?? '?';
      const summary = r.code === 0 ? JSON.parse(readFileSync(`${out}.json`, 'utf8')) : undefined;
      rmSync(out, { force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
      rmdirSync(group);
      row(
        `container ${mb} MiB, ${label}`,
        rows,
        r.seconds,
        (rows - 1000) / 500 + 3,
        undefined,
        summary,
        `exit ${r.code}, OOM kills ${oom}`,
      );
    }
  } finally {
    redis?.stop();
    sandbox.stop();
  }
}

/** The same contacts as `writeContacts`, as a workbook saved with a shared-strings table (as Excel and LibreOffice save one). */
async function writeWorkbook(path, rows, prefix) {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = book.addWorksheet('Contatos');
  sheet.addRow(['id', 'primeiro_nome', 'ultimo_nome', 'empresa', 'cidade']).commit();
  for (let i = 0; i < rows; i++) {
    sheet.addRow([i, firstName(prefix, i), `Sobrenome${i % 997}`, `Empresa ${i % 4999}`, 'São Paulo']).commit();
    if (i % 1000 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  sheet.commit();
  await book.commit();
  return path;
}

/**
 * .xlsx out and in, on the instant sandbox. Out: a run's answers written again from its
 * checkpoint (a resume: nothing paces the writer but the file) at 20,000 and 1,000,000 rows
 * (20,000 distinct contacts repeated), next to the same resume into CSV. In: a workbook of 20,000 and 200,000 rows enriched, then
 * read again from its checkpoint (the reader's own cost: the sheet's table of texts).
 */
/** No rate limit: what a scenario with these measures is the tool's own cost (CPU, memory, resume). */
const UNLIMITED = ['--rate', '1000000', '--burst', '1000000', '--concurrency', '64'];

async function xlsxScenario(sizes) {
  const keysFile = join(work, 'xlsx.keys.json');
  writeFileSync(keysFile, JSON.stringify(keys(10_000_000, 10_000_000)));
  const fast = await startSandbox(['--keys', keysFile]);
  try {
    for (const n of sizes.out) {
      // 20,000 distinct contacts at most: the first run (which builds the checkpoint) stays short.
      const input = await writeContacts(join(work, `xo${n}.csv`), n, `xo${n}-`, 20_000);
      const checkpoint = ['--checkpoint', `${input}.sqlite`];
      await enrich(fast.url, input, [...UNLIMITED, ...checkpoint]);
      const csv = await enrich(fast.url, input, [...UNLIMITED, ...checkpoint]);
      row(`resume into .csv: ${n} rows`, n, csv.seconds, 0, 0, csv.summary, `${Math.round(n / csv.seconds)} rows/s`);
      const xlsx = await enrich(fast.url, input, [...UNLIMITED, ...checkpoint], 'xlsx');
      row(
        `resume into .xlsx: ${n} rows`,
        n,
        xlsx.seconds,
        0,
        0,
        xlsx.summary,
        `${Math.round(n / xlsx.seconds)} rows/s, ${xlsx.summary.requests} requests, ${(statSync(xlsx.out).size / 1024 / 1024).toFixed(1)} MB`,
      );
      rmSync(xlsx.out, { force: true });
      rmSync(csv.out, { force: true });
    }
    for (const n of sizes.in) {
      const input = await writeWorkbook(join(work, `xi${n}.xlsx`), n, `xi${n}-`);
      const checkpoint = ['--checkpoint', `${input}.sqlite`];
      const first = await enrich(fast.url, input, [...UNLIMITED, ...checkpoint]);
      row(
        `.xlsx in: enrich ${n} rows`,
        n,
        first.seconds,
        0,
        0,
        first.summary,
        `${Math.round(n / first.seconds)} rows/s, ${(statSync(input).size / 1024 / 1024).toFixed(1)} MB workbook`,
      );
      const again = await enrich(fast.url, input, [...UNLIMITED, ...checkpoint]);
      row(
        `.xlsx in: rerun of the ${n} rows`,
        n,
        again.seconds,
        0,
        0,
        again.summary,
        `${Math.round(n / again.seconds)} rows/s, ${again.summary.requests} requests`,
      );
    }
  } finally {
    fast.stop();
  }
}

/**
 * The report of a run of `rows` rows over `seconds` (every row asked at an even pace, one in ten
 * invalid): how long it takes to write and how large it is. Made from the run's buckets, so both
 * should not grow with the rows.
 */
async function reportScenario(sizes) {
  const { Timeline } = await import('../dist/report/timeline.js');
  const { AttentionList } = await import('../dist/report/attention.js');
  const { writeReport } = await import('../dist/report/write.js');
  for (const rows of sizes) {
    const seconds = rows / 500;
    const timeline = new Timeline(0);
    const attention = new AttentionList();
    const byStatus = {
      ok: 0,
      not_found: 0,
      ambiguous: 0,
      insufficient_data: 0,
      invalid_input: 0,
      failed: 0,
      pending: 0,
    };
    for (let i = 0; i < rows; i++) {
      const now = (i / rows) * seconds * 1000;
      timeline.row(now);
      if (i % 10 === 0) {
        byStatus.invalid_input += 1;
        attention.add({
          line: i + 2,
          status: 'invalid_input',
          names: `Pessoa${i} (Empresa ${i % 4999})`,
          error: 'ultimo_nome is empty',
        });
        continue;
      }
      byStatus.ok += 1;
      timeline.request(now);
      timeline.latency(300 + (i % 2700), now);
    }
    const summary = {
      rows,
      byStatus,
      requests: byStatus.ok,
      retries: 0,
      rateLimited: 0,
      uncertain: 0,
      fromCheckpoint: 0,
      fromOtherRuns: 0,
      fromRedis: 0,
      waitedForOtherRunsSeconds: 0,
      othersRate: 0,
      creditsSaved: 0,
      duplicates: 0,
      creditsUsed: byStatus.ok,
      creditsMaybeUsed: 0,
      maxCost: byStatus.ok,
      creditsLeft: 1000,
      elapsedSeconds: seconds,
      requestsPerSecond: byStatus.ok / seconds,
      planRate: 500,
      rateShare: 0.9,
      exitCode: 0,
      output: 'out.csv',
      endpoint: 'crm_basico',
      redis: null,
    };
    const path = join(work, `report-${rows}.html`);
    const t0 = performance.now();
    await writeReport(path, {
      summary,
      input: 'in.csv',
      timeline,
      attention,
      creditsByStatus: { ...byStatus, invalid_input: 0 },
      rerun: 'fluence-enrich enrich in.csv',
      writtenAt: new Date(),
    });
    const ms = performance.now() - t0;
    table.push({
      scenario: `report of a ${rows}-row run (${Math.round(seconds)} s at 500/s)`,
      rows,
      elapsed: `${(ms / 1000).toFixed(2)} s`,
      ideal: '-',
      ratio: '-',
      '429s': '-',
      'cpu us/row': '-',
      'peak RSS': '-',
      note: `${Math.round(statSync(path).size / 1024)} KB, ${timeline.points().length} points of ${timeline.widthSeconds} s`,
    });
  }
}

async function main() {
  const rows = quick
    ? { ent: 6_000, dev: 600, cpu: 8_000, small: 5_000, big: 25_000 }
    : { ent: 30_000, dev: 3_000, cpu: 30_000, small: 100_000, big: 1_000_000 };
  console.error(`bench in ${work} (${quick ? 'quick' : 'full'}), Node ${process.version}`);
  if (only === 'names' || only === undefined) {
    const writeKeys = () => {
      const path = join(work, 'names.keys.json');
      writeFileSync(path, JSON.stringify(keys(10_000_000, 10_000_000)));
      return path;
    };
    await namesScenario({ CLI, KEY, work, table, run, enrich, row, startSandbox, writeKeys }, quick ? 20_000 : 100_000);
  }
  if (only === 'names') return report();
  if (only === 'report' || only === undefined) await reportScenario([1_000, 200_000, 1_000_000]);
  if (only === 'report') return report();
  if (only === 'xlsx' || only === undefined)
    await xlsxScenario(
      quick ? { out: [5_000, 50_000], in: [5_000, 50_000] } : { out: [20_000, 1_000_000], in: [20_000, 200_000] },
    );
  if (only === 'xlsx') return report();
  if (only === 'redis' || only === undefined) await redisScenario(quick ? 3000 : 10_000, '300-3000');
  if (only === 'redis') return report();
  if (only === 'shared' && option('--runs')) {
    await severalRunsScenario(
      Number(option('--runs')),
      option('--tier') ?? 'fortics',
      Number(option('--rows') ?? 1500),
      option('--latency') ?? '200-800',
    );
    return report();
  }
  if (only === 'shared' || only === undefined) await sharedScenario(quick ? 3000 : 10_000, '300-1500');
  if (only === 'shared') return report();
  if (only === 'container' || only === undefined) await containerScenario(quick ? 6000 : 30_000);
  if (only === 'container') return report();

  if (only !== 'fast') {
    await rateScenario('enterprise 500/s', 500, 1000, rows.ent, '300-3000');
    if (only === 'lone') return report();
    await rateScenario('developer 50/s', 50, 100, rows.dev, '300-3000');
  }

  if (only === 'rate') return report();
  // Instant sandbox, no rate limit: the pipeline's own cost against a bare got loop.
  const keysFile = join(work, 'fast.keys.json');
  writeFileSync(keysFile, JSON.stringify(keys(10_000_000, 10_000_000)));
  const fast = await startSandbox(['--keys', keysFile]);
  try {
    const raw = JSON.parse(
      (
        await run(process.execPath, [
          fileURLToPath(new URL('http-loop.mjs', import.meta.url)),
          fast.url,
          KEY,
          String(rows.cpu * 2),
          '64',
        ])
      ).stdout,
    );
    table.push({
      scenario: 'sandbox capacity (raw http, 64 in flight)',
      rows: rows.cpu * 2,
      elapsed: `${raw.seconds.toFixed(2)} s`,
      ideal: '-',
      ratio: '-',
      '429s': '-',
      'cpu us/row': '-',
      'peak RSS': '-',
      note: `${Math.round(raw.requestsPerSecond)} req/s`,
    });
    const loop = await run(process.execPath, [
      fileURLToPath(new URL('got-loop.mjs', import.meta.url)),
      fast.url,
      KEY,
      String(rows.cpu),
      '64',
    ]);
    const got = JSON.parse(loop.stdout);
    table.push({
      scenario: 'bare got loop (64 in flight)',
      rows: rows.cpu,
      elapsed: `${got.seconds.toFixed(2)} s`,
      ideal: '-',
      ratio: '-',
      '429s': '-',
      'cpu us/row': Math.round(got.cpuMicrosPerRequest),
      'peak RSS': '-',
      note: `${Math.round(got.requestsPerSecond)} req/s`,
    });
    const cpuInput = await writeContacts(join(work, 'cpu.csv'), rows.cpu, 'cpu');
    const cpu = await enrich(fast.url, cpuInput, UNLIMITED);
    row(
      'enrich, instant sandbox (64 in flight)',
      rows.cpu,
      cpu.seconds,
      0,
      0,
      cpu.summary,
      `${(cpu.summary.resources.cpuMicrosPerRow / got.cpuMicrosPerRequest).toFixed(2)} x the got loop`,
    );

    for (const [label, n] of [
      ['memory', rows.small],
      ['memory', rows.big],
    ]) {
      const input = await writeContacts(join(work, `mem${n}.csv`), n, `m${n}-`);
      const unlimited = [...UNLIMITED, '--checkpoint', `${input}.sqlite`];
      const first = await enrich(fast.url, input, unlimited);
      row(
        `${label}: enrich ${n} rows`,
        n,
        first.seconds,
        0,
        0,
        first.summary,
        `${Math.round(n / first.seconds)} rows/s`,
      );
      const again = await enrich(fast.url, input, unlimited);
      row(
        `resume: rerun of the ${n} rows`,
        n,
        again.seconds,
        0,
        0,
        again.summary,
        `${Math.round(n / again.seconds)} rows/s, ${again.summary.requests} requests`,
      );
      if (n !== rows.small) continue;
      // The nightly run: the same export with 1 % new contacts at its end (the first pass is made again).
      const added = Math.round(n / 100);
      const extra = createWriteStream(input, { flags: 'a' });
      for (let i = 0; i < added; i++)
        extra.write(`${n + i},novo${i},Sobrenome${i % 997},Empresa ${i % 4999},São Paulo\n`);
      extra.end();
      await once(extra, 'finish');
      const nightly = await enrich(fast.url, input, unlimited);
      row(
        `nightly: ${n} rows + ${added} new`,
        n + added,
        nightly.seconds,
        0,
        0,
        nightly.summary,
        `${Math.round((n + added) / nightly.seconds)} rows/s, ${nightly.summary.requests} requests`,
      );
    }
  } finally {
    fast.stop();
  }
  report();
}

function report() {
  const cols = Object.keys(table[0]);
  console.log(`\n| ${cols.join(' | ')} |\n|${cols.map(() => '---').join('|')}|`);
  for (const r of table) console.log(`| ${cols.map((c) => r[c]).join(' | ')} |`);
  rmSync(work, { recursive: true, force: true });
}

await main();
