import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../src/sandbox/server.js';
import { finished, runCli, startCli, waitForLine } from './helpers/cli.js';

describe('fluence-enrich sandbox (CLI)', () => {
  it('prints its base URL and the demo keys, serves, and stops on SIGTERM', async () => {
    const child = startCli(['sandbox', '--port', '0']);
    const done = finished(child);
    const [, url] = await waitForLine(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const credits = await fetch(`${url}/creditos`, {
      headers: { 'x-api-key': 'SandboxCrmEnterprise'.padEnd(40, '0') },
    });
    expect(((await credits.json()) as any).billing_info.tipo_plano).toBe('enterprise_crm');
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('SandboxPlatformEssentials');
  });

  it('loads a keys file with per-key limits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fe-'));
    const file = join(dir, 'keys.json');
    await writeFile(
      file,
      JSON.stringify([{ key: 'K'.repeat(40), plan: 'crm_business', credits: 7, rate: 3, burst: 4 }]),
    );
    const child = startCli(['sandbox', '--port', '0', '--keys', file]);
    const done = finished(child);
    const [, url] = await waitForLine(child, /listening on (http:\S+)/);
    const reply = await fetch(`${url}/creditos`, { headers: { 'x-api-key': 'K'.repeat(40) } });
    expect(reply.headers.get('x-ratelimit-limit')).toBe('3');
    expect(((await reply.json()) as any).billing_info.creditos_restantes).toBe(7);
    child.kill('SIGINT');
    expect((await done).stdout).not.toContain('Demo keys');
  });

  it('explains a bad keys file without a stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fe-'));
    const cases: Array<[string, RegExp]> = [
      ['not json', /not valid JSON/],
      ['{}', /expected a JSON array/],
      [
        JSON.stringify([{ key: 'short', plan: 'crm_business', credits: 1 }]),
        /\[0\]\.key: expected 40 letters or digits/,
      ],
      [
        JSON.stringify([{ key: 'K'.repeat(40), plan: 'gold', credits: 1 }]),
        /\[0\]\.plan: expected one of crm_enterprise/,
      ],
      [JSON.stringify([{ key: 'K'.repeat(40), plan: 'crm_business', credits: -1 }]), /\[0\]\.credits/],
      [
        JSON.stringify([{ key: 'K'.repeat(40), plan: 'crm_business', credits: 1, rate: 'fast' }]),
        /\[0\]\.rate: expected a number > 0/,
      ],
    ];
    for (const [text, message] of cases) {
      const file = join(dir, 'keys.json');
      await writeFile(file, text);
      const result = await runCli(['sandbox', '--port', '0', '--keys', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain('[SANDBOX_BAD_KEYS]');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const missing = await runCli(['sandbox', '--keys', join(dir, 'nope.json')]);
    expect(missing.stderr).toMatch(/cannot read keys file .*ENOENT/);
  });

  it('explains a port in use', async () => {
    const busy = await startSandbox();
    try {
      const result = await runCli(['sandbox', '--port', String(busy.port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/port \d+ is already in use.*--port 0/);
      expect(result.stderr).toContain('[SANDBOX_PORT_IN_USE]');
    } finally {
      await busy.close();
    }
  });

  it('refuses bad options with the option named', async () => {
    const result = await runCli(['sandbox', '--latency', 'slow']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('option --latency');
  });
});
