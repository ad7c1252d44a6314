import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';
import type { KeySpec } from '../../src/sandbox/keys.js';

export const ENTERPRISE = 'TestEnterprise'.padEnd(40, '0');
export const PLATFORM = 'TestPlatform'.padEnd(40, '0');

export function key(name: string, spec: Omit<KeySpec, 'key'>): KeySpec {
  return { key: name.padEnd(40, '0'), ...spec };
}

/** A real sandbox on a free port for the length of one test (got's with-server habit). */
export async function withSandbox<T>(options: SandboxOptions, run: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({
    keys: [
      { key: ENTERPRISE, plan: 'crm_enterprise', credits: 1000 },
      { key: PLATFORM, plan: 'platform_professional', credits: 1000 },
    ],
    ...options,
  });
  try {
    return await run(sandbox);
  } finally {
    await sandbox.close();
  }
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** One HTTP call with fetch; `body` objects are sent as JSON, strings as they are. */
export async function call(
  sandbox: Sandbox,
  path: string,
  options: { key?: string; body?: unknown; method?: string; timeoutMs?: number } = {},
): Promise<Reply> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const response = await fetch(sandbox.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(options.key ? { 'x-api-key': options.key } : {}) },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

export const person = (company: string, first = 'Maria', last = 'Santos') => ({
  primeiro_nome: first,
  ultimo_nome: last,
  empresa: company,
});
