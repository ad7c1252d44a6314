#!/usr/bin/env node
// Writes schema/run-summary.schema.json, the JSON Schema of what `--summary` writes, generated
// from the `RunSummary` type (src/engine/run-summary.ts) by ts-json-schema-generator: the type is
// the one declaration, the schema follows it. Shipped in the package for scripts that parse it.
// Usage: node scripts/run-summary-schema.mjs [--check]   (--check: exit 1 if the file is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { createGenerator } from 'ts-json-schema-generator';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = `${root}schema/run-summary.schema.json`;

const schema = createGenerator({
  path: `${root}src/engine/run-summary.ts`,
  type: 'RunSummary',
  tsconfig: `${root}tsconfig.build.json`,
  // Every field of the type is required, and no other is allowed: a script can rely on both.
  additionalProperties: false,
  skipTypeCheck: true,
}).createSchema('RunSummary');
schema.title = 'fluence-enrich run summary (--summary)';

if (process.argv.includes('--check')) {
  const current = JSON.parse(readFileSync(target, 'utf8'));
  if (!isDeepStrictEqual(current, JSON.parse(JSON.stringify(schema)))) {
    console.error(`${target} is not what the RunSummary type gives: run npm run schema, and commit it`);
    process.exit(1);
  }
} else {
  writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
}
