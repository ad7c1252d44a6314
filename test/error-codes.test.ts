import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

const ERRORS_PAGE = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

/** The codes in the table of error codes (docs/errors.md), in its order. */
function documentedCodes(): string[] {
  const start = ERRORS_PAGE.indexOf('\n## Error codes\n');
  expect(start).toBeGreaterThan(-1);
  const section = ERRORS_PAGE.slice(start + 1).split('\n## ')[0]!;
  const table = section.split('\n\n').find((block) => block.startsWith('| code |'))!;
  return table.split('\n').flatMap((row) => /^\| `([A-Z0-9_]+)` \|/.exec(row)?.[1] ?? []);
}

describe('error codes: a closed list', () => {
  it("docs/errors.md's table names every code, and only those", () => {
    expect(documentedCodes()).toEqual([...ERROR_CODES]);
  });

  it('the list is in order and has no code twice (a new code is one line, where it sorts)', () => {
    expect([...ERROR_CODES]).toEqual([...new Set(ERROR_CODES)].sort());
  });
});
