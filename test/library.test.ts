import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('library API: the example in docs/library.md runs as written', () => {
  it('examples/library.mjs is the one in docs/library.md, and it runs: estimate, then enrich, then a free rerun', () => {
    const example = readFileSync(join(ROOT, 'examples/library.mjs'), 'utf8');
    expect(readFileSync(join(ROOT, 'docs/library.md'), 'utf8')).toContain(example.trim());
    // Run it where a user would: a folder with the fixture, importing the package by name.
    const dir = mkdtempSync(join(tmpdir(), 'fe-lib-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(ROOT, join(dir, 'node_modules', 'fluence-enrich'));
      cpSync(join(ROOT, 'fixtures/contacts.csv'), join(dir, 'fixtures/contacts.csv'));
      cpSync(join(ROOT, 'examples/library.mjs'), join(dir, 'example.mjs'));
      const first = execFileSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8' });
      expect(first).toMatch(/^at most 189 credits for 189 contacts\nexit 0: 149 enriched, 183 credits used\n$/);
      const second = execFileSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8' });
      expect(second).toMatch(/at most 0 credits for 0 contacts\nexit 0: 149 enriched, 0 credits used/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
