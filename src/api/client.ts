import http from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import type { Contact } from '../contact/normalize.js';
import type { CrmEndpoint } from './plans.js';
import type { ApiReply, RateHeaders } from './reply.js';

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Sockets kept open: one per request in flight. */
  maxSockets: number;
  /** Give up on one request after this long (the gateway itself gives up at ~29 s). */
  timeoutMs: number;
  /** Largest answer read; larger ones are cut and treated as a broken answer. */
  maxBodyBytes: number;
}

/** Codes that mean the request never left this machine: safe to send again, nothing charged. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

/** A certificate or handshake failure: the request was never sent, and retrying will not help. */
export const isTlsFailure = (code: string): boolean => /CERT|SSL|TLS|SIGNATURE/i.test(code);

function num(value: string | string[] | undefined): number | undefined {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return value === undefined || !Number.isFinite(n) ? undefined : n;
}

function rateHeaders(headers: http.IncomingHttpHeaders): RateHeaders {
  return {
    limit: num(headers['x-ratelimit-limit']),
    remaining: num(headers['x-ratelimit-remaining']),
    reset: num(headers['x-ratelimit-reset']),
    retryAfter: num(headers['retry-after']),
  };
}

/** A client for one free GET (`/creditos`, `/status`...): one socket, 30 s, an answer of up to 1 MB. */
export function freeGetClient(connection: { baseUrl: string; apiKey: string }): ApiClient {
  return new ApiClient({
    baseUrl: connection.baseUrl,
    apiKey: connection.apiKey,
    maxSockets: 1,
    timeoutMs: 30_000,
    maxBodyBytes: 1024 * 1024,
  });
}

/**
 * Speaks HTTP to Fluence: one got instance and one keep-alive agent for the whole run, no
 * retries of its own (the pipeline decides, per status), no redirects (the key would follow),
 * and never an exception for an HTTP status: every outcome comes back as an `ApiReply`.
 */
export class ApiClient {
  readonly #got: Got;
  readonly #agents: { http: http.Agent; https: https.Agent };
  readonly #maxBody: number;

  constructor(options: ClientOptions) {
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxSockets,
      scheduling: 'lifo' as const,
    };
    this.#agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
    this.#maxBody = options.maxBodyBytes;
    this.#got = got.extend({
      prefixUrl: options.baseUrl,
      headers: { 'x-api-key': options.apiKey, 'user-agent': 'fluence-enrich', accept: 'application/json' },
      agent: this.#agents,
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      timeout: { request: options.timeoutMs },
      https: { rejectUnauthorized: true },
    });
  }

  postCrm(endpoint: CrmEndpoint, contact: Contact): Promise<ApiReply> {
    const body = JSON.stringify({
      primeiro_nome: contact.firstName,
      ultimo_nome: contact.lastName,
      empresa: contact.company,
    });
    return this.#send('POST', endpoint, body);
  }

  get(path: string): Promise<ApiReply> {
    return this.#send('GET', path.replace(/^\//, ''), undefined);
  }

  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  /** The stream interface: got's cheapest path, and it lets us cap the body. */
  #send(method: 'GET' | 'POST', path: string, body: string | undefined): Promise<ApiReply> {
    return new Promise((resolve) => {
      const stream = this.#got.stream(path, {
        method,
        ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      });
      let status = 0;
      let rate: RateHeaders | undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const settle = (reply: ApiReply): void => {
        if (settled) return;
        settled = true;
        resolve(reply);
      };
      stream.on('response', (response: http.IncomingMessage) => {
        status = response.statusCode ?? 0;
        rate = rateHeaders(response.headers);
      });
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.#maxBody) {
          stream.destroy();
          settle({
            kind: 'network',
            code: 'ERR_BODY_TOO_LARGE',
            message: `answer larger than ${this.#maxBody} bytes`,
            maybeSent: true,
          });
          return;
        }
        chunks.push(chunk);
      });
      stream.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        let bodyError: string | undefined;
        try {
          parsed = text === '' ? undefined : JSON.parse(text);
        } catch (error) {
          bodyError = `answer is not JSON (${(error as Error).message})`;
        }
        settle({ kind: 'http', status, body: parsed, bodyError, rate: rate ?? rateHeaders({}) });
      });
      stream.on('error', (error: Error & { code?: string }) => {
        const code = error.code ?? 'ERR_NETWORK';
        // A failed TLS handshake happens before the request is written: nothing was sent.
        // Name the failure without the request: got's errors carry options (and so the key).
        settle({
          kind: 'network',
          code,
          message: error.message,
          maybeSent: !NOT_SENT.has(code) && !isTlsFailure(code),
        });
      });
    });
  }
}
