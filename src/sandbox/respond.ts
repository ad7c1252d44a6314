import type { ServerResponse } from 'node:http';
import type { Account } from './account.js';

export type Headers = Record<string, string | number>;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function billingInfo(account: Account, used: number): Record<string, unknown> {
  return { creditos_utilizados: used, creditos_restantes: account.credits, tipo_plano: account.plan.billingName };
}
