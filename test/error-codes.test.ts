import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The codes in the README's table of error codes, in its order. */
function readmeCodes(): string[] {
  const start = README.indexOf('**Error codes.**');
  expect(start).toBeGreaterThan(-1);
  const table = README.slice(start).split('\n\n')[1]!;
  return table.split('\n').flatMap((row) => /^\| `([A-Z0-9_]+)` \|/.exec(row)?.[1] ?? []);
}

describe('error codes: a closed list', () => {
  it("the README's table names every code, and only those", () => {
    expect(readmeCodes()).toEqual([...ERROR_CODES]);
  });

  it('the list is in order and has no code twice (a new code is one line, where it sorts)', () => {
    expect([...ERROR_CODES]).toEqual([...new Set(ERROR_CODES)].sort());
  });
});
