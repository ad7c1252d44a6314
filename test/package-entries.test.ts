import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Imports `specifier` by package name in a fresh Node (the package resolves itself through its
 * `exports`) and returns every file of the package that got loaded, as paths from the root.
 */
function filesLoadedBy(specifier: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'fe-entries-'));
  const log = join(dir, 'loaded.txt');
  try {
    const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (result.url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}`;
    const script = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});
await import(${JSON.stringify(specifier)});`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const urls = readFileSync(log, 'utf8').trim().split('\n');
    return urls
      .map((url) => fileURLToPath(url))
      .filter((path) => path.startsWith(ROOT) && !path.includes('node_modules'))
      .map((path) => path.slice(ROOT.length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('package entries', () => {
  it('the library entry loads the library only: nothing of the sandbox', () => {
    const loaded = filesLoadedBy('fluence-enrich');
    expect(loaded).toContain('dist/index.js');
    expect(loaded).toContain('dist/engine/run.js');
    expect(loaded.filter((path) => path.startsWith('dist/sandbox/'))).toEqual([]);
  });

  it('the sandbox has an entry of its own, fluence-enrich/sandbox', () => {
    const loaded = filesLoadedBy('fluence-enrich/sandbox');
    expect(loaded).toContain('dist/sandbox/index.js');
    expect(loaded).toContain('dist/sandbox/server.js');
    expect(loaded).not.toContain('dist/index.js');
  });

  it('npm ships the library and the CLI: every entry and the bin (executable), not the demo', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      exports: Record<string, { import: string; types: string }>;
    };
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as Array<{ files: Array<{ path: string; mode: number }> }>;
    const shipped = new Map(pack!.files.map((file) => [file.path, file.mode]));
    const bin = manifest.bin['fluence-enrich']!;
    expect(shipped.get(bin)! & 0o111).toBe(0o111);
    for (const entry of Object.values(manifest.exports))
      for (const path of [entry.import, entry.types]) expect(shipped.has(path.replace(/^\.\//, '')), path).toBe(true);
    expect([...shipped.keys()].filter((path) => /demo/i.test(path))).toEqual([]);
    // The Redis scripts are read at run time beside the code that defines them (scripts.ts).
    const lua = readdirSync(join(ROOT, 'src/sharing/redis/lua'));
    expect(lua.length).toBeGreaterThan(0);
    for (const file of lua) expect(shipped.has(`dist/sharing/redis/lua/${file}`), file).toBe(true);
  });
});
