import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { finished, runCli } from './helpers/cli.js';
import { contactsFile, enrich, people, startEnrich, workdir, type EnrichRun } from './helpers/enrich.js';
import { startProxy } from './helpers/proxy.js';
import { ENTERPRISE, key, withSandbox } from './helpers/sandbox.js';

const FINAL = new Set(['ok', 'not_found', 'ambiguous', 'insufficient_data', 'invalid_input']);

/** Every row final, or failed/pending with a reason. */
function expectAccounted(run: EnrichRun, rows: number): void {
  expect(run.rows).toHaveLength(rows);
  for (const row of run.rows) {
    if (!FINAL.has(row.fluence_status!)) {
      expect(['failed', 'pending']).toContain(row.fluence_status);
      expect(row.fluence_error).not.toBe('');
    }
  }
}

/** Reruns until every row is final (a rerun always completes what the faults left). */
async function rerunToCompletion(
  sandbox: Parameters<typeof enrich>[0],
  input: string,
  dir: string,
  extra: string[],
  max = 6,
): Promise<EnrichRun> {
  for (let i = 0; ; i++) {
    const run = await enrich(sandbox, input, dir, extra);
    if (run.code === 0 || i === max) return run;
  }
}

describe('network and server faults: never a crash or a hang, every row accounted, a rerun completes', () => {
  it('a mix of 500, 502, 503, 504, resets before and after charging, hangs and malformed 200s', async () => {
    const rates = {
      error500: 0.08,
      error502: 0.04,
      error503: 0.04,
      error504: 0.04,
      dropBeforeCharge: 0.04,
      dropAfterCharge: 0.04,
      hang: 0.03,
      malformed: 0.03,
    };
    await withSandbox({ faults: { rates, seed: 'mix', latencyMs: [5, 30] } }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(200, 'Teste 200'));
      const args = ['--timeout', '1', '--retries', '1'];
      const started = Date.now();
      const first = await enrich(sandbox, input, dir, args);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect([0, 2]).toContain(first.code);
      expectAccounted(first, 200);
      const malformed = first.rows.filter((r) => /not JSON/.test(r.fluence_error!));
      expect(malformed.length).toBeGreaterThan(0);
      for (const row of malformed) {
        expect(row.fluence_status).toBe('failed');
        expect(row.fluence_credits_used).toBe('1'); // charged, and counted
      }
      expect(first.summary!.uncertain).toBeGreaterThan(0); // 504s and resets after sending
      expect(first.stderr).not.toMatch(/\n\s+at /);
      const last = await rerunToCompletion(sandbox, input, dir, args);
      expect(last.code).toBe(0);
      expect(last.rows.every((r) => r.fluence_status === 'ok')).toBe(true);
    });
  });

  it('a 429 storm: every throttled request waits and goes back through the limiter', async () => {
    const tight = key('Storm', { plan: 'crm_business', credits: 1000, rate: 10, burst: 2 });
    await withSandbox({ keys: [tight] }, async (sandbox) => {
      const dir = await workdir();
      const input = await contactsFile(dir, people(25, 'Teste 404'));
      const run = await enrich(sandbox, input, dir, ['--rate', '1000', '--burst', '1000'], tight.key);
      expect(run.code).toBe(0);
      expect(sandbox.ledger.rateLimited).toBeGreaterThan(10);
      expect(run.summary!.requests).toBe(25 + sandbox.ledger.rateLimited);
      expect(sandbox.ledger.totalCharged).toBe(25);
    });
  });

  it('the API goes away mid-run and comes back: rows left failed/pending, and the rerun completes', async () => {
    await withSandbox({ faults: { latencyMs: 20 } }, async (sandbox) => {
      const proxy = await startProxy(sandbox.url);
      try {
        const dir = await workdir();
        const input = await contactsFile(dir, people(300, 'Teste 404'));
        const args = ['--base-url', proxy.url, '--rate', '150', '--burst', '10', '--retries', '2', '--timeout', '2'];
        const child = startEnrich(sandbox, input, dir, args);
        const done = finished(child);
        while ((sandbox.ledger.requests['/crm_basico']?.['404'] ?? 0) < 50) await sleep(10);
        await proxy.down();
        await sleep(1500);
        await proxy.up();
        const first = await done;
        expect([0, 2]).toContain(first.code);
        const last = await rerunToCompletion(sandbox, input, dir, args);
        expect(last.code).toBe(0);
        expectAccounted(last, 300);
        expect(last.rows.every((r) => r.fluence_status === 'not_found')).toBe(true);
        // Charged at most once per person, but for requests cut after the sandbox charged them.
        expect(sandbox.ledger.repeatCharges).toBeLessThanOrEqual(
          last.summary!.uncertainAllRuns + (first.code === 0 ? 0 : 300),
        );
      } finally {
        await proxy.close();
      }
    });
  });

  it('a stalled connection: each request gives up at --timeout, rows end failed, the run ends', async () => {
    await withSandbox({}, async (sandbox) => {
      const proxy = await startProxy(sandbox.url);
      try {
        const dir = await workdir();
        const input = await contactsFile(dir, people(5, 'Teste 404'));
        // The preflight goes straight to the sandbox; the CRM requests meet the stall.
        const env = { FLUENCE_API_KEY: ENTERPRISE };
        proxy.mode = 'stall';
        const started = Date.now();
        const run = await runCli(
          [
            'enrich',
            input,
            '-o',
            `${dir}/out.csv`,
            '--base-url',
            proxy.url,
            '--timeout',
            '1',
            '--retries',
            '1',
            '--progress',
            'off',
          ],
          { env },
        );
        expect(run.code).toBe(1); // the preflight itself stalls: API unreachable
        expect(run.stderr).toContain('[API_UNREACHABLE]');
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(sandbox.ledger.totalCharged).toBe(0);
      } finally {
        await proxy.close();
      }
    });
  });

  it('connections cut mid-request are retried and counted as uncertain', async () => {
    await withSandbox({ faults: { latencyMs: 300 } }, async (sandbox) => {
      const proxy = await startProxy(sandbox.url);
      try {
        const dir = await workdir();
        const input = await contactsFile(dir, people(40, 'Teste 404'));
        proxy.delayMs = 20; // a slow network too
        const child = startEnrich(sandbox, input, dir, ['--base-url', proxy.url, '--retries', '3']);
        const done = finished(child);
        while (sandbox.ledger.inFlight < 10) await sleep(10);
        proxy.cutAll();
        const run = await done;
        expect(run.code).toBe(0);
        const summary = JSON.parse(readFileSync(`${dir}/summary.json`, 'utf8'));
        expect(summary.uncertain).toBeGreaterThanOrEqual(10);
        // The cut requests were charged by the sandbox; their retries were charged again, and counted.
        expect(sandbox.ledger.repeatCharges).toBeLessThanOrEqual(summary.uncertain);
      } finally {
        await proxy.close();
      }
    });
  });
});

describe('transport: no redirects with the key, answers size-capped, TLS always verified', () => {
  it('refuses an API whose certificate is not trusted, whatever the key', async () => {
    const dir = await workdir();
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const seen: string[] = [];
    const server = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => {
        seen.push(String(req.headers['x-api-key'] ?? ''));
        res.end('{}');
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const input = await contactsFile(dir, people(1, 'Teste 404'));
      const run = await runCli(
        [
          'enrich',
          input,
          '-o',
          join(dir, 'out.csv'),
          '--base-url',
          `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        ],
        { env: { FLUENCE_API_KEY: ENTERPRISE } },
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('[TLS_UNTRUSTED]');
      expect(seen).toEqual([]); // the key never left
    } finally {
      server.close();
    }
  });

  it('does not follow a redirect, and the target never sees the key', async () => {
    const seen: string[] = [];
    const target = createServer((req, res) => {
      seen.push(String(req.headers['x-api-key'] ?? ''));
      res.end('{}');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const redirector = createServer((req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${(target.address() as AddressInfo).port}${req.url}` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    try {
      const dir = await workdir();
      const input = await contactsFile(dir, people(2, 'Teste 404'));
      const run = await runCli(
        [
          'enrich',
          input,
          '-o',
          `${dir}/out.csv`,
          '--base-url',
          `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`,
        ],
        { env: { FLUENCE_API_KEY: ENTERPRISE } },
      );
      expect(run.code).toBe(1);
      expect(seen).toEqual([]);
    } finally {
      target.close();
      redirector.close();
    }
  });

  it('cuts an oversized answer and fails the row, counting the charge as uncertain', async () => {
    const huge = `{"analise": "${'x'.repeat(3 * 1024 * 1024)}"}`;
    const server = createServer((req, res) => {
      if (req.url === '/creditos') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"billing_info":{"creditos_restantes":100,"tipo_plano":"enterprise_crm"}}');
      }
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(huge);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const dir = await workdir();
      const input = await contactsFile(dir, people(1, 'Teste 200'));
      const run = await runCli(
        [
          'enrich',
          input,
          '-o',
          `${dir}/out.csv`,
          '--summary',
          `${dir}/s.json`,
          '--base-url',
          `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          '--rate',
          '10',
        ],
        { env: { FLUENCE_API_KEY: ENTERPRISE } },
      );
      expect(run.code).toBe(2);
      const out = readFileSync(`${dir}/out.csv`, 'utf8');
      expect(out).toMatch(/failed,,0,ERR_BODY_TOO_LARGE/);
      expect(JSON.parse(readFileSync(`${dir}/s.json`, 'utf8')).uncertain).toBe(1);
    } finally {
      server.close();
    }
  });
});
