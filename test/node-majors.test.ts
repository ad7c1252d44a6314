import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** test/node-majors.json: the files .ci/run runs on every Node major, and those it runs once. */
const list = JSON.parse(readFileSync(new URL('./node-majors.json', import.meta.url), 'utf8')) as {
  every: Record<string, string>;
  once: Record<string, string>;
};
const testFiles = readdirSync(new URL('.', import.meta.url), { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => `test/${name}`)
  .sort();

describe('which test files run on every Node major (test/node-majors.json)', () => {
  it('classifies every test file, once, with a reason', () => {
    const every = Object.keys(list.every);
    const once = Object.keys(list.once);
    expect(
      every.filter((file) => once.includes(file)),
      'in both lists',
    ).toEqual([]);
    expect([...every, ...once].sort(), 'a new test file goes in "every" or "once", with its reason').toEqual(testFiles);
    for (const [file, reason] of [...Object.entries(list.every), ...Object.entries(list.once)]) {
      expect(reason.trim().length, `${file}: the reason`).toBeGreaterThan(5);
    }
  });

  it('keeps the Redis and Chromium files once (CI drives those programs on its own Node)', () => {
    const every = Object.keys(list.every);
    expect(every.filter((file) => /redis|browser|claims-lapsed/.test(file))).toEqual([]);
  });

  it('is the list .ci/run reads', () => {
    expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toContain('test/node-majors.json');
  });
});
