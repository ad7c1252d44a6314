import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { Account } from './account.js';
import type { CrmContext } from './crm.js';
import { FaultPlan, type FaultOptions } from './faults.js';
import { DEMO_KEYS, validateKeys, type KeySpec } from './keys.js';
import { Ledger } from './ledger.js';
import { sendJson } from './respond.js';
import { PATHS, route, type Routes } from './routes.js';

export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Keys the sandbox accepts. @default DEMO_KEYS */
  keys?: readonly KeySpec[];
  /** `json`: 401 with an error body for a bad key (the docs); `gateway`: 403 {"message":"Forbidden"} (AWS API Gateway). @default 'json' */
  authStyle?: 'json' | 'gateway';
  /** Latency and injected faults of CRM requests. @default none */
  faults?: FaultOptions;
  /** Clock in ms since epoch, for rate limits and quotas. @default Date.now */
  now?: () => number;
  /** Largest request body accepted. @default 65536 */
  maxBodyBytes?: number;
  /**
   * How a route the API does not have is answered, as the gateway in front of production does:
   * `http` (an HTTP API gateway) 404 `{"message":"Not Found"}`; `rest` (a REST API gateway) 403
   * `{"message":"Missing Authentication Token"}`. @default 'http'
   */
  gateway?: 'http' | 'rest';
  /** Routes to leave out, answered as unknown (a base URL pointing at the wrong stage or service). @default [] */
  missingRoutes?: readonly string[];
  /** Keep each CRM request's arrival time (and whether it was throttled) in the ledger, to check a client's rate after the fact. @default false */
  recordArrivals?: boolean;
}

export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  port: number;
  ledger: Ledger;
  accounts: Map<string, Account>;
  close(): Promise<void>;
}

/** Starts a local Fluence API that authenticates, throttles, bills and refunds as API-NOTES.md says. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  const keys = validateKeys(options.keys ?? DEMO_KEYS);
  const accounts = new Map(keys.map((spec) => [spec.key, new Account(spec, now)]));
  const ledger = new Ledger({ recordArrivals: options.recordArrivals });
  const ctx: CrmContext = { ledger, faults: new FaultPlan(options.faults), attempts: new Map(), timers: new Set() };
  const routes: Routes = {
    now,
    accounts,
    ledger,
    ctx,
    gateway: options.authStyle === 'gateway',
    restGateway: options.gateway === 'rest',
    paths: new Set([...PATHS].filter((p) => !(options.missingRoutes ?? []).includes(p))),
  };
  const server = createServer(
    withBody(options.maxBodyBytes ?? 65_536, ledger, (req, res, body) => route(routes, req, res, body)),
  );
  // Clients keep one connection per request in flight (up to ~1,500 at the top plan); hung
  // requests must stay open until the client gives up, so no server-side request timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;
  await listen(server, options);
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    port,
    ledger,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of ctx.timers) clearTimeout(timer);
        ctx.timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A request handler that reads the body first: one larger than `maxBody` is answered 413, unread. */
function withBody(
  maxBody: number,
  ledger: Ledger,
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBody) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > maxBody) {
        ledger.countRequest((req.url ?? '/').split('?')[0]!, 413);
        return sendJson(res, 413, {
          error: `Request body larger than ${maxBody} bytes`,
          error_code: 'PAYLOAD_TOO_LARGE',
        });
      }
      handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  };
}

/** Listens on the options' host and port: a port in use, or any other refusal, is a coded error. */
function listen(server: Server, options: SandboxOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const port = options.port ?? 0;
      reject(
        error.code === 'EADDRINUSE'
          ? new FluenceError('SANDBOX_PORT_IN_USE', message('errors.sandboxPortInUse', { port: String(port) }))
          : new FluenceError(
              'SANDBOX_LISTEN',
              message('errors.sandboxListen', {
                host: options.host ?? '127.0.0.1',
                port: String(port),
                reason: error.message,
              }),
              { cause: error },
            ),
      );
    });
    server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1', backlog: 4096 }, resolve);
  });
}
