import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import type { RunSummary } from '../../src/engine/run-summary.js';

/** The published schema (schema/run-summary.schema.json, generated from `RunSummary` by `npm run schema`). */
export const SUMMARY_SCHEMA = JSON.parse(
  readFileSync(new URL('../../schema/run-summary.schema.json', import.meta.url), 'utf8'),
) as object;

const validate = new Ajv({ allErrors: true, strict: true }).compile<RunSummary>(SUMMARY_SCHEMA);

/** Why `value` is not a summary as the schema says, one line per problem; empty when it is. */
export function summaryProblems(value: unknown): string[] {
  return validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/** Summary files that did not validate, as `path: problems`, since the last `takeInvalidSummaries()`. */
const invalid: string[] = [];

/** Checks a summary file a CLI run wrote (if it wrote one) against the schema; a bad one is kept for `takeInvalidSummaries`. */
export function checkSummaryFile(path: string): void {
  if (!existsSync(path)) return;
  let problems: string[];
  try {
    problems = summaryProblems(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    problems = [`not JSON: ${(error as Error).message}`];
  }
  if (problems.length > 0) invalid.push(`${path}: ${problems.join('; ')}`);
}

/**
 * The summary files a CLI run's arguments name: `--summary PATH`, and for `serve --dir DIR` each
 * run's `runs/<id>/summary.json`.
 */
export function summaryFilesOf(args: readonly string[], cwd = process.cwd()): string[] {
  const after = (flag: string): string | undefined => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  const files: string[] = [];
  const summary = after('--summary');
  if (summary && summary !== '-') files.push(resolve(cwd, summary));
  const dir = args[0] === 'serve' ? after('--dir') : undefined;
  if (dir) {
    const runs = join(resolve(cwd, dir), 'runs');
    if (existsSync(runs)) for (const id of readdirSync(runs)) files.push(join(runs, id, 'summary.json'));
  }
  return files;
}

/** The summaries found invalid so far (and forgets them): the test setup fails a test that left any. */
export function takeInvalidSummaries(): string[] {
  return invalid.splice(0);
}
