/**
 * `npm run demo`: the real pipeline against the sandbox, no key needed. Starts the sandbox in
 * this process (demo keys, realistic latency), enriches fixtures/contacts.csv into output/ (with an
 * HTML report), and prints the summary. Run it twice: the second run answers every row from the checkpoint.
 * It runs the build (`npm run demo` builds first) and is not part of the package: what ships is the
 * library and the CLI.
 */
import { fileURLToPath } from 'node:url';
import { normalizeEnrichOptions } from 'fluence-enrich';
import { DEMO_KEYS, startSandbox } from 'fluence-enrich/sandbox';
import { runEnrich } from '../dist/engine/run.js';
import { summaryText } from '../dist/engine/summary-text.js';
import { createLogger } from '../dist/log.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const sandbox = await startSandbox({ keys: DEMO_KEYS, faults: { latencyMs: [50, 400] } });
try {
  process.stdout.write(
    `Sandbox running at ${sandbox.url} (demo key ${DEMO_KEYS[0].key.slice(0, 8)}…, plan crm_enterprise)\n`,
  );
  const config = normalizeEnrichOptions({
    input: `${root}fixtures/contacts.csv`,
    output: `${root}output/contacts.enriched.csv`,
    baseUrl: sandbox.url,
    apiKey: DEMO_KEYS[0].key,
    summary: `${root}output/contacts.summary.json`,
    report: `${root}output/contacts.report.html`,
    progress: 'off',
  });
  const result = await runEnrich(config, { logger: createLogger('warn'), command: 'npm run demo' });
  process.stdout.write(summaryText(result.summary));
  process.stdout.write(
    `Sandbox ledger: ${sandbox.ledger.totalCharged} credits charged, ${sandbox.ledger.repeatCharges} paid twice.\n`,
  );
  process.stdout.write(
    "Open output/contacts.enriched.csv, and output/contacts.report.html in a browser for the run's charts. Run `npm run demo` again: every answer comes from the checkpoint, 0 credits.\n",
  );
  process.exitCode = result.exitCode;
} finally {
  await sandbox.close();
}
