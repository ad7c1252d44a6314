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
import { chooseLang, t } from '../dist/i18n/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// The demo speaks the locale's language (LANG=pt_BR.UTF-8 npm run demo), or FLUENCE_LANG's.
const lang = chooseLang(process.env.FLUENCE_LANG);
const sandbox = await startSandbox({ keys: DEMO_KEYS, faults: { latencyMs: [50, 400] } });
try {
  process.stdout.write(`${t(lang, 'cli.demo.sandbox', { url: sandbox.url, key: DEMO_KEYS[0].key.slice(0, 8) })}\n`);
  const config = normalizeEnrichOptions({
    input: `${root}fixtures/contacts.csv`,
    output: `${root}output/contacts.enriched.csv`,
    baseUrl: sandbox.url,
    apiKey: DEMO_KEYS[0].key,
    summary: `${root}output/contacts.summary.json`,
    report: `${root}output/contacts.report.html`,
    progress: 'off',
    lang,
  });
  const result = await runEnrich(config, { logger: createLogger('warn', 'pretty', lang), command: 'npm run demo' });
  process.stdout.write(summaryText(result.summary, lang));
  const ledger = { charged: sandbox.ledger.totalCharged, twice: sandbox.ledger.repeatCharges };
  process.stdout.write(`${t(lang, 'cli.demo.ledger', ledger)}\n${t(lang, 'cli.demo.next')}\n`);
  process.exitCode = result.exitCode;
} finally {
  await sandbox.close();
}
