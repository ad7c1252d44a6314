import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { CRM_ENDPOINTS, PLANS, TIERS, type CrmEndpoint } from '../api/plans.js';
import { Account } from './account.js';
import { handleCrm, type CrmContext } from './crm.js';
import { FaultPlan, type FaultOptions } from './faults.js';
import { DEMO_KEYS, validateKeys, type KeySpec } from './keys.js';
import { Ledger } from './ledger.js';
import { billingInfo, sendJson, type Headers } from './respond.js';

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

const PATHS = new Set([
  '/health',
  '/status',
  '/creditos',
  '/credits',
  '/tiers',
  '/crm_basico',
  '/crm',
  '/__sandbox/ledger',
  '/__sandbox/credits',
]);

/** Starts a local Fluence API that authenticates, throttles, bills and refunds as API-NOTES.md says. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  const keys = validateKeys(options.keys ?? DEMO_KEYS);
  const accounts = new Map(keys.map((spec) => [spec.key, new Account(spec, now)]));
  const ledger = new Ledger({ recordArrivals: options.recordArrivals });
  const ctx: CrmContext = { ledger, faults: new FaultPlan(options.faults), attempts: new Map(), timers: new Set() };
  const maxBody = options.maxBodyBytes ?? 65_536;
  const gateway = options.authStyle === 'gateway';
  const paths = new Set([...PATHS].filter((p) => !(options.missingRoutes ?? []).includes(p)));

  const route = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!paths.has(path)) {
      if (options.gateway === 'rest') {
        ledger.countRequest('unknown', 403);
        return sendJson(res, 403, { message: 'Missing Authentication Token' });
      }
      ledger.countRequest('unknown', 404);
      return sendJson(res, 404, { message: 'Not Found' });
    }
    const crm = path === '/crm_basico' || path === '/crm';
    const method = crm || path === '/__sandbox/credits' ? 'POST' : 'GET';
    if (req.method !== method) {
      ledger.countRequest(path, 405);
      return sendJson(
        res,
        405,
        { error: `${path} takes ${method}`, error_code: 'METHOD_NOT_ALLOWED' },
        { allow: method },
      );
    }
    if (path === '/health') {
      ledger.countRequest(path, 200);
      return sendJson(res, 200, {
        status: 'healthy',
        environment: 'sandbox',
        timestamp: new Date(now()).toISOString(),
      });
    }
    if (path === '/__sandbox/ledger') {
      const query = new URL(req.url ?? '/', 'http://sandbox').searchParams;
      return sendJson(
        res,
        200,
        ledger.toJSON({ contacts: query.get('contacts') === '1', rate: Number(query.get('rate')) || undefined }),
      );
    }
    if (path === '/__sandbox/credits') return setCredits(accounts, body, res);

    const key = req.headers['x-api-key'];
    const account = typeof key === 'string' ? accounts.get(key) : undefined;
    if (!account) {
      ledger.countRequest(path, gateway ? 403 : 401);
      return gateway
        ? sendJson(res, 403, { message: 'Forbidden' })
        : sendJson(res, 401, { error: 'Invalid API key provided in X-API-Key header', error_code: 'UNAUTHORIZED' });
    }
    ledger.forKey(account.key).requests += 1;

    const take = account.bucket.take();
    if (crm) ledger.arrived(now(), take.allowed);
    const headers: Headers = {
      'x-ratelimit-limit': account.bucket.rate,
      'x-ratelimit-remaining': take.remaining,
      'x-ratelimit-reset': Math.ceil(take.fullAtMs / 1000),
    };
    if (!take.allowed) {
      ledger.rateLimited += 1;
      ledger.countRequest(path, 429);
      headers['retry-after'] = Math.max(1, Math.ceil(take.waitMs / 1000));
      return sendJson(
        res,
        429,
        gateway
          ? { message: 'Too Many Requests' }
          : { error: 'Rate limit exceeded', error_code: 'RATE_LIMIT_EXCEEDED' },
        headers,
      );
    }

    if (!crm) {
      ledger.countRequest(path, 200);
      return sendJson(res, 200, utilityBody(path, account, now), headers);
    }
    const endpoint = path.slice(1) as CrmEndpoint;
    if (!account.useQuota()) {
      ledger.quotaExceeded += 1;
      ledger.countRequest(path, 429);
      const resetMs = account.quotaResetMs;
      headers['x-ratelimit-remaining'] = 0;
      headers['x-ratelimit-reset'] = Math.ceil(resetMs / 1000);
      headers['retry-after'] = Math.ceil((resetMs - now()) / 1000);
      return sendJson(
        res,
        429,
        gateway ? { message: 'Limit Exceeded' } : { error: 'Monthly quota exceeded', error_code: 'QUOTA_EXCEEDED' },
        headers,
      );
    }
    if (account.plan.family !== 'crm') {
      ledger.countRequest(path, 403);
      const tier = account.planId.replace(/^platform_/, '');
      return sendJson(
        res,
        403,
        {
          error: `Access denied. Your ${tier} tier API key cannot access ${path}. Upgrade to CRM tier for access.`,
          error_code: 'ACCESS_DENIED',
          current_tier: account.planId,
          required_tier: 'crm_business',
          upgrade_url: 'https://tryfluence.tech/upgrade',
        },
        headers,
      );
    }
    ledger.enter();
    res.once('close', () => ledger.leave());
    handleCrm(ctx, endpoint, account, body, res, headers);
  };

  const server = createServer((req, res) => {
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
      route(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  // Clients keep one connection per request in flight (up to ~1,500 at the top plan); hung
  // requests must stay open until the client gives up, so no server-side request timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
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

function utilityBody(path: string, account: Account, now: () => number): unknown {
  switch (path) {
    case '/status':
      return {
        status: 'operational',
        environment: 'sandbox',
        timestamp: new Date(now()).toISOString(),
        endpoints: ['/crm_basico', '/crm'],
      };
    case '/tiers':
      return {
        tiers: Object.entries(TIERS).map(([name, t]) => ({
          name,
          rate_limit: t.rate,
          burst: t.burst,
          monthly_quota: t.monthlyQuota,
        })),
        plans: Object.entries(PLANS).map(([id, p]) => ({
          id,
          family: p.family,
          tier: p.tier,
          endpoints: p.family === 'crm' ? CRM_ENDPOINTS.map((e) => `/${e}`) : [],
        })),
      };
    default:
      return {
        billing_info: billingInfo(account, 0),
        cota_mensal: { limite: account.monthlyQuota, utilizada: account.quotaUsed },
      };
  }
}

/** Sandbox-only control: `{"key": "...", "add": 100}` or `{"key": "...", "set": 0}`. */
function setCredits(accounts: Map<string, Account>, body: string, res: ServerResponse): void {
  let request: { key?: unknown; add?: unknown; set?: unknown };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return sendJson(res, 400, { error: 'expected {"key", "add" | "set"}' });
  }
  const account = typeof request.key === 'string' ? accounts.get(request.key) : undefined;
  if (!account) return sendJson(res, 404, { error: 'unknown key' });
  if (typeof request.set === 'number') account.credits = request.set;
  if (typeof request.add === 'number') account.credits += request.add;
  return sendJson(res, 200, { creditos_restantes: account.credits });
}
