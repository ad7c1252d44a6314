import { once } from 'node:events';
import { appendFileSync, existsSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FluenceError } from '../src/errors.js';
import { spool } from '../src/input/stdin.js';
import type { Sandbox } from '../src/sandbox/server.js';
import { finished, startCli } from './helpers/cli.js';
import { enrichArgs, largeFile, workdir } from './helpers/enrich.js';
import { call, ENTERPRISE, withSandbox } from './helpers/sandbox.js';

/**
 * Files that change or lie (issue 31), through the real CLI with the sandbox's ledger as the
 * judge: nothing is paid for a refused file, nor for a row the first pass did not judge.
 */

const KEY_ENV = { FLUENCE_API_KEY: ENTERPRISE };

/** CRM requests the sandbox received, and the contacts it charged. */
async function ledger(sandbox: Sandbox): Promise<{ crm: number; charged: string[] }> {
  const body = (await call(sandbox, '/__sandbox/ledger?contacts=1')).body;
  const crm = Object.entries(body.requests as Record<string, Record<string, number>>)
    .filter(([path]) => path === '/crm_basico' || path === '/crm')
    .reduce((n, [, byStatus]) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
  return { crm, charged: Object.keys(body.chargesPerContact) };
}

/** Rows appended by "another process": charged as a 404 if ever sent (the directory's `Teste 404`), so the ledger keeps every one. */
const appended = (from: number, n: number): string =>
  Array.from({ length: n }, (_, i) => `Anexado${from + i},Depois,Teste 404,${'n'.repeat(150)}\n`).join('');

/** A contacts file of `rows` rows, each ~200 bytes (several 64 KB reads for the second pass). */
const exportFile = (path: string, rows: number): Promise<string> =>
  largeFile(path, 'primeiro_nome,ultimo_nome,empresa,notas', rows, (i) => `Pessoa${i},Silva,Acme,${'x'.repeat(170)}\n`);

describe('a file that grows or changes during the run: nothing is paid past what the first pass judged', () => {
  it('rows appended while the rows are sent: stops at the change, not one request for them; --max-credits from the estimate holds', {
    timeout: 60_000,
  }, async () => {
    await withSandbox({ faults: { latencyMs: 20 } }, async (sandbox) => {
      const dir = await workdir();
      const input = await exportFile(join(dir, 'export.csv'), 2000);
      const child = startCli(enrichArgs(sandbox, input, dir, ['--concurrency', '2', '--max-credits', '2000']), {
        env: KEY_ENV,
      });
      const done = finished(child);
      // Another process appends once the first paid request is in.
      while ((await ledger(sandbox)).crm === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      appendFileSync(input, appended(0, 3000));
      const run = await done;
      expect(run.stderr).toContain('[INPUT_CHANGED]');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/wait for the export to finish/i);
      const after = await ledger(sandbox);
      expect(after.crm).toBeGreaterThan(0);
      expect(after.crm).toBeLessThan(2000);
      expect(after.charged.filter((key) => key.includes('anexado'))).toEqual([]);
      expect(existsSync(join(dir, 'out.csv'))).toBe(false);
    });
  });

  it('rows appended between the passes: stops before any paid request', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await exportFile(join(dir, 'export.csv'), 300);
      await changedBetweenPasses(sandbox, input, dir, () => appendFileSync(input, appended(0, 500)));
    });
  });

  it('a workbook rewritten between the passes: the same check, at the level of the file, stops before any paid request', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'export.xlsx');
      await copyFile(new URL('../fixtures/xlsx/rich-text.xlsx', import.meta.url), input);
      const other = await readFile(new URL('../fixtures/xlsx/hidden-first.xlsx', import.meta.url));
      await changedBetweenPasses(sandbox, input, dir, () => writeFileSync(input, other));
    });
  });

  it('a file written without pause, then SIGTERM: stops at once, nothing sent, no output', {
    timeout: 60_000,
  }, async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = await exportFile(join(dir, 'export.csv'), 1000);
      let next = 0;
      const writer = setInterval(() => {
        appendFileSync(input, appended(next, 500));
        next += 500;
      }, 20);
      try {
        const child = startCli(enrichArgs(sandbox, input, dir), { env: KEY_ENV });
        const done = finished(child);
        // Once the run has looked at the file (its checkpoint is made after the file's bytes are hashed).
        while (!existsSync(join(dir, 'out.csv.checkpoint.sqlite')) && child.exitCode === null)
          await new Promise((r) => setTimeout(r, 20));
        const signalled = Date.now();
        child.kill('SIGTERM');
        const run = await done;
        expect(Date.now() - signalled).toBeLessThan(10_000);
        expect([1, 2]).toContain(run.code);
        expect(run.stderr).toMatch(/\[(INPUT_CHANGED|INTERRUPTED)\]/);
        expect((await ledger(sandbox)).crm).toBe(0);
        expect(existsSync(join(dir, 'out.csv'))).toBe(false);
      } finally {
        clearInterval(writer);
      }
    });
  });
});

describe('what is not a regular file, and files past the limits: refused, 0 paid requests', () => {
  it('each is refused with its code, before any request', { timeout: 180_000 }, async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const fifo = join(dir, 'export.csv');
      spawnSync('mkfifo', [fifo]);
      symlinkSync(join(dir, 'loop-b.csv'), join(dir, 'loop-a.csv'));
      symlinkSync(join(dir, 'loop-a.csv'), join(dir, 'loop-b.csv'));
      const wide = join(dir, 'wide.csv');
      await writeFile(
        wide,
        `${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')},primeiro_nome,ultimo_nome,empresa\nAna,Souza,Acme\n`,
      );
      const cell = join(dir, 'cell.csv');
      await writeFile(
        cell,
        `primeiro_nome,ultimo_nome,empresa,notas\nAna,Souza,Acme,${'x'.repeat(20 * 1024 * 1024)}\n`,
      );
      const quote = join(dir, 'quote.csv');
      await largeFile(
        quote,
        'primeiro_nome,ultimo_nome,empresa\n"Ana,Souza,Acme',
        1_300_000,
        (i) => `Pessoa${i},Silva,Acme Ltda\n`,
      );
      // 10,000 headers, none a contact field: the refusal echoes a bounded part of them.
      const noColumns = join(dir, 'no-columns.csv');
      await writeFile(noColumns, `${Array.from({ length: 10_000 }, (_, i) => `coluna_sem_nome_${i}`).join(',')}\n`);
      const cases: Array<[string, string, RegExp]> = [
        [fifo, 'INPUT_NOT_A_FILE', /named pipe/],
        ['/dev/zero', 'INPUT_NOT_A_FILE', /device/],
        ['/dev/urandom', 'INPUT_NOT_A_FILE', /device/],
        [join(dir, 'loop-a.csv'), 'INPUT_UNREADABLE', /loop/],
        [wide, 'INPUT_HEADER_TOO_LARGE', /16,384 columns/],
        [cell, 'INPUT_CELL_TOO_LARGE', /line 2: a cell is larger than 16 MB/],
        [quote, 'INPUT_MALFORMED', /line 2: a quoted field opens here and is not closed/],
        [noColumns, 'MISSING_COLUMN', /characters left out/],
      ];
      for (const [path, code, said] of cases) {
        const out = join(dir, `out-${code}`);
        await mkdir(out, { recursive: true });
        const run = await finished(
          startCli(enrichArgs(sandbox, path, out, ['--checkpoint', join(out, 'c.sqlite')]), { env: KEY_ENV }),
        );
        expect(run.stderr, path).toContain(`[${code}]`);
        expect(run.stderr, path).toMatch(said);
        expect(run.stderr, path).not.toMatch(/\n\s+at /);
        expect(run.code, path).toBe(1);
        // One line a person can read, its code at the end.
        expect(run.stderr.length, path).toBeLessThan(4_000);
      }
      expect((await ledger(sandbox)).crm).toBe(0);
    });
  });

  it('mixed line endings that would merge contacts stop the run, saying which lines', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'mixed.csv');
      await writeFile(input, 'primeiro_nome,ultimo_nome,empresa\r\nAna,Souza,Acme\nRui,Lima,Beta\nEva,Reis,Gama\r\n');
      const run = await finished(startCli(enrichArgs(sandbox, input, dir), { env: KEY_ENV }));
      expect(run.stderr).toContain('[INPUT_MALFORMED]');
      expect(run.stderr).toMatch(
        /line 2: mixed line endings: the file's lines end in CRLF, but a lone LF ends one here, so lines 2-4/,
      );
      expect((await ledger(sandbox)).crm).toBe(0);
    });
  });

  it('a NUL byte in a name or company cell: invalid_input with its reason, never sent', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const input = join(dir, 'nul.csv');
      await writeFile(
        input,
        'primeiro_nome,ultimo_nome,empresa\nAna,Souza,Ac\u0000me\nRui\u0000,Lima,Beta\nEva,Re\u0000is,Gama\n',
      );
      const run = await finished(startCli(enrichArgs(sandbox, input, dir), { env: KEY_ENV }));
      expect(run.code, run.stderr).toBe(0);
      const out = await readFile(join(dir, 'out.csv'), 'utf8');
      expect(out.match(/invalid_input/g)).toHaveLength(3);
      expect(out).toContain('contains control characters');
      expect((await ledger(sandbox)).crm).toBe(0);
    });
  });

  it('standard input: SIGTERM stops the spool of an endless pipe at once and removes the copy', async () => {
    await withSandbox({}, async (sandbox) => {
      const dir = await workdir();
      const tmp = join(dir, 'tmp');
      await mkdir(tmp);
      const child = startCli(enrichArgs(sandbox, '-', dir, ['--checkpoint', join(dir, 'c.sqlite')]), {
        env: { ...KEY_ENV, TMPDIR: tmp },
      });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const chunk = Buffer.from(`primeiro_nome,ultimo_nome,empresa\n${'Ana,Souza,Acme\n'.repeat(4000)}`);
      let writing = true;
      child.stdin!.on('error', () => (writing = false));
      (async () => {
        while (writing && !child.stdin!.destroyed)
          if (!child.stdin!.write(chunk)) await once(child.stdin!, 'drain').catch(() => undefined);
      })();
      while (!readdirSync(tmp).some((name) => name.startsWith('fluence-enrich-stdin-')))
        await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      const signalled = Date.now();
      child.kill('SIGTERM');
      const [code] = (await once(child, 'close')) as [number];
      writing = false;
      expect(Date.now() - signalled).toBeLessThan(5_000);
      expect(code).toBe(2);
      expect(stderr).toContain('[INTERRUPTED]');
      expect(readdirSync(tmp).filter((name) => name.startsWith('fluence-enrich-stdin-'))).toEqual([]);
      expect((await ledger(sandbox)).crm).toBe(0);
    });
  });

  it('the spool stops past its limit with INPUT_TOO_LARGE and leaves no copy behind', async () => {
    const endless = Readable.from(
      (function* () {
        for (;;) yield Buffer.alloc(64 * 1024, 0x41);
      })(),
    );
    const tmp = join(await workdir(), 'tmp');
    await mkdir(tmp);
    const was = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const error = await spool(endless, 1024 * 1024).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FluenceError);
      expect((error as FluenceError).code).toBe('INPUT_TOO_LARGE');
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (was === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = was;
    }
  });
});

/**
 * Runs `input` with `change` made while the account is checked (after the first pass, before any
 * row): the run stops with INPUT_CHANGED and the sandbox received no CRM request.
 */
async function changedBetweenPasses(sandbox: Sandbox, input: string, dir: string, change: () => void): Promise<void> {
  const front = await frontServer(sandbox, (path) => {
    if (path.startsWith('/creditos')) change();
  });
  try {
    const run = await finished(
      startCli([...enrichArgs(sandbox, input, dir), '--base-url', front.url], { env: KEY_ENV }),
    );
    expect(run.stderr).toContain('[INPUT_CHANGED]');
    expect(run.code).toBe(1);
    expect((await ledger(sandbox)).crm).toBe(0);
  } finally {
    front.server.close();
  }
}

/** An HTTP front for the sandbox that calls `seen` with each path before forwarding it. */
async function frontServer(sandbox: Sandbox, seen: (path: string) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    seen(req.url ?? '/');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    const reply = await fetch(sandbox.url + req.url, {
      method: req.method ?? 'GET',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const out: Record<string, string> = {};
    reply.headers.forEach((value, name) => {
      if (name !== 'content-encoding' && name !== 'content-length' && name !== 'transfer-encoding') out[name] = value;
    });
    res.writeHead(reply.status, out);
    res.end(Buffer.from(await reply.arrayBuffer()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
