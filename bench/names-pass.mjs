// The first pass's own cost on real names (issue 26): its CPU per row and peak memory, and a
// rerun from a --cache that asks nothing. Used by bench.mjs (`npm run bench -- --only names`);
// works with any build (FLUENCE_BENCH_CLI), before the gazetteer or after.
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

const PEOPLE = new URL('../fixtures/names/people.csv', import.meta.url);
/** Printed by the measured process itself at exit: its CPU and peak RSS (the summary's `resources` has no estimate). */
const USAGE = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nRUSAGE "+JSON.stringify(process.resourceUsage())+"\\n"))`;

/** `rows` people from the proof set (pt-BR compound names, rare and foreign ones, caps, lowercase), mixed into distinct contacts. */
async function writePeople(path, rows) {
  const people = parse(readFileSync(PEOPLE), { columns: true, bom: true });
  const n = people.length;
  const out = createWriteStream(path);
  out.write('primeiro_nome,ultimo_nome,empresa\n');
  for (let i = 0; i < rows; i++) {
    const first = people[i % n]['Primeiro nome'];
    const last = people[(Math.floor(i / n) * 13 + i) % n].Sobrenome;
    const company = people[(i * 31) % n].Empresa;
    const q = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    if (!out.write(`${q(first)},${q(last)},${q(company)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

/** `estimate` of a file (its first pass, no request): the process's CPU in µs and peak RSS in MB. */
async function estimateCost({ CLI, run, KEY }, url, input) {
  const r = await run(process.execPath, ['--import', USAGE, CLI, 'estimate', input, '--base-url', url], {
    FLUENCE_API_KEY: KEY,
  });
  const usage = JSON.parse(/RUSAGE (.*)/.exec(r.stderr)?.[1] ?? 'null');
  if (r.code !== 0 || !usage) throw new Error(`estimate exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return { cpu: usage.userCPUTime + usage.systemCPUTime, rss: Math.round(usage.maxRSS / 1024), seconds: r.seconds };
}

export async function namesScenario(ctx, rows) {
  const { work, table, enrich, row, startSandbox, writeKeys } = ctx;
  const fast = await startSandbox(['--keys', writeKeys()]);
  try {
    const one = await writePeople(join(work, 'names1.csv'), 1);
    const input = await writePeople(join(work, `names${rows}.csv`), rows);
    // The first pass alone: estimate's CPU on the file less its CPU on one row (start-up, the list's load).
    const base = await estimateCost(ctx, fast.url, one);
    const full = await estimateCost(ctx, fast.url, input);
    table.push({
      scenario: `names: first pass of ${rows} real names (estimate)`,
      rows,
      elapsed: `${full.seconds.toFixed(2)} s`,
      ideal: '-',
      ratio: '-',
      '429s': '-',
      'cpu us/row': Math.round((full.cpu - base.cpu) / rows),
      'peak RSS': `${full.rss} MB`,
      note: `1-row estimate: ${Math.round(base.cpu / 1000)} ms CPU, ${base.rss} MB`,
    });
    // A quarter of the rows: a --cache run claims each contact in SQLite (~1 ms a row here), which is not the pass's cost.
    const cached = await writePeople(join(work, `names-cache${rows}.csv`), rows / 4);
    const cache = ['--rate', '1000000', '--burst', '1000000', '--concurrency', '64', '--cache', `${cached}.cache`];
    const first = await enrich(fast.url, cached, cache);
    row(`names: enrich ${rows / 4} real names, --cache`, rows / 4, first.seconds, 0, 0, first.summary);
    const again = await enrich(fast.url, cached, cache);
    row(
      `names: rerun from the --cache (asks nothing)`,
      rows / 4,
      again.seconds,
      0,
      0,
      again.summary,
      `${again.summary.requests} requests`,
    );
  } finally {
    fast.stop();
  }
}
