import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { basename, join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import type { KeySpec } from '../../src/sandbox/keys.js';
import { startCli, waitForLine } from './cli.js';
import { workdir } from './enrich.js';

export interface Served {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT` */
  base: string;
  token: string;
  /** The whole address `serve` printed, with the token. */
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** A call as the page makes it: the token, and for a change the page's own Origin. */
  api(
    path: string,
    init?: { method?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** `fluence-enrich serve --port 0 ...` through the real CLI, until it prints its address. */
export async function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = startCli(['serve', '--port', '0', ...args], { env });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const match = await waitForLine(child, /Open: (http:\/\/[^/\s]+)\/\?token=(\S+)/).catch((error: Error) => {
    throw new Error(`${error.message}\n${err}`);
  });
  const base = match[1]!;
  const token = match[2]!;
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    child,
    base,
    token,
    url: `${base}/?token=${token}`,
    stdout: () => out,
    stderr: () => err,
    api: (path, init = {}) => {
      const method = init.method ?? (init.json === undefined && init.body === undefined ? 'GET' : 'POST');
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...init.headers };
      if (method !== 'GET') headers.origin ??= base;
      if (init.json !== undefined) headers['content-type'] = 'application/json';
      return fetch(base + path, {
        method,
        headers,
        ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.body ? { body: init.body } : {}),
      });
    },
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await closed;
    },
  };
}

/** A form with one file, as the page's drop zone sends it. */
export function fileForm(bytes: Buffer | string, name: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  return form;
}

/** Uploads the file at `path` (under its own name): the upload's id. */
export async function uploadFile(served: Served, path: string): Promise<string> {
  const response = await served.api('/api/uploads', { body: fileForm(readFileSync(path), basename(path)) });
  return ((await response.json()) as { id: string }).id;
}

/** Uploads the file at `path` and starts a run of it, CSV out: the run's and the upload's ids. */
export async function startRun(served: Served, path: string): Promise<{ id: string; upload: string }> {
  const upload = await uploadFile(served, path);
  const response = await served.api('/api/runs', { json: { upload, format: 'csv' } });
  return { id: ((await response.json()) as { id: string }).id, upload };
}

/** A raw request (fetch will not send a Host of another site): status and body. */
export function rawRequest(
  base: string,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A run's Server-Sent Events until `done`, or until `until` says stop reading. */
export async function readEvents(
  served: Served,
  runId: string,
  onEvent: (event: { event: string; data: any }) => void | Promise<void>,
): Promise<Array<{ event: string; data: any }>> {
  const response = await served.api(`/api/runs/${runId}/events`);
  if (response.status !== 200) throw new Error(`events: ${response.status} ${await response.text()}`);
  const events: Array<{ event: string; data: any }> = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!event || data === undefined) continue;
      const item = { event, data: JSON.parse(data) };
      events.push(item);
      await onEvent(item);
      if (event === 'done') return events;
    }
  }
  return events;
}

/** A sandbox with one key, and the `serve` arguments and environment that use it with a fresh work folder. */
export async function serveOnSandbox(key: KeySpec): Promise<{
  sandbox: Sandbox;
  dir: string;
  work: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}> {
  const sandbox = await startSandbox({ keys: [key] });
  const dir = await workdir();
  const work = join(dir, 'work');
  return { sandbox, dir, work, args: ['--dir', work, '--base-url', sandbox.url], env: { FLUENCE_API_KEY: key.key } };
}
