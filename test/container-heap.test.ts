import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workdir } from './helpers/enrich.js';

const ENTRYPOINT = fileURLToPath(new URL('../docker/entrypoint.sh', import.meta.url));

/** Runs the image's entrypoint over a made-up cgroup tree, with a stand-in `node` that prints what it was given. */
async function flagsFor(cgroup: { v2?: string; v1?: string }, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const dir = await workdir();
  const root = join(dir, 'cgroup');
  mkdirSync(join(root, 'memory'), { recursive: true });
  if (cgroup.v2 !== undefined) writeFileSync(join(root, 'memory.max'), `${cgroup.v2}\n`);
  if (cgroup.v1 !== undefined) writeFileSync(join(root, 'memory', 'memory.limit_in_bytes'), `${cgroup.v1}\n`);
  const fakeNode = join(dir, 'node');
  writeFileSync(fakeNode, '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n');
  chmodSync(fakeNode, 0o755);
  const out = execFileSync('sh', [ENTRYPOINT, 'enrich', 'x.csv'], {
    env: { PATH: process.env.PATH, CGROUP_ROOT: root, NODE: fakeNode, ...env },
    encoding: 'utf8',
  });
  return out.trim().split('\n');
}

describe("the image's entrypoint sizes the heap from the container's memory limit", () => {
  it('half the limit for the old space, small semi-spaces in a small container (cgroup v2 and v1)', async () => {
    const mib = 1024 * 1024;
    expect((await flagsFor({ v2: String(128 * mib) })).slice(0, 2)).toEqual([
      '--max-old-space-size=64',
      '--max-semi-space-size=4',
    ]);
    expect((await flagsFor({ v1: String(128 * mib) })).slice(0, 2)).toEqual([
      '--max-old-space-size=64',
      '--max-semi-space-size=4',
    ]);
    expect((await flagsFor({ v2: 'max', v1: String(512 * mib) }))[0]).toBe('--max-old-space-size=256');
    const big = await flagsFor({ v2: String(1024 * mib) });
    expect(big[0]).toBe('--max-old-space-size=512');
    expect(big[1]).toMatch(/dist\/cli\/cli\.js$/);
    // The CLI's own arguments follow, untouched.
    expect(big.slice(-2)).toEqual(['enrich', 'x.csv']);
  });

  it("sets nothing without a limit, and never overrides the user's own heap size", async () => {
    for (const cgroup of [{ v2: 'max' }, { v1: '9223372036854771712' }, {}]) {
      expect((await flagsFor(cgroup))[0]).toMatch(/dist\/cli\/cli\.js$/);
    }
    expect(
      (await flagsFor({ v2: String(128 * 1024 * 1024) }, { NODE_OPTIONS: '--max-old-space-size=100' }))[0],
    ).toMatch(/dist\/cli\/cli\.js$/);
  });
});
