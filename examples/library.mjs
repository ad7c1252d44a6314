import { createEnricher } from 'fluence-enrich';
import { startSandbox, DEMO_KEYS } from 'fluence-enrich/sandbox';

// The sandbox stands in for the API here; point baseUrl at production and drop it in real use.
const sandbox = await startSandbox({ keys: DEMO_KEYS });
const enricher = createEnricher({
  apiKey: DEMO_KEYS[0].key, // or leave out: FLUENCE_API_KEY is read
  baseUrl: sandbox.url,
  cache: 'output/example-cache.sqlite', // shared by every file: each contact is paid once
  endpoint: 'crm_basico',
});

const estimate = await enricher.estimate('fixtures/contacts.csv');
console.log(`at most ${estimate.maxCredits} credits for ${estimate.toAsk} contacts`);

const { exitCode, summary } = await enricher.enrich('fixtures/contacts.csv', { output: 'output/example.csv' });
console.log(`exit ${exitCode}: ${summary.byStatus.ok} enriched, ${summary.creditsUsed} credits used`);
await sandbox.close();
