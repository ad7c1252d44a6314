import type { IncomingMessage, ServerResponse } from 'node:http';
import { CRM_ENDPOINTS, PLANS, TIERS, type CrmEndpoint } from '../api/plans.js';
import type { Account } from './account.js';
import { handleCrm, type CrmContext } from './crm.js';
import type { Ledger } from './ledger.js';
import { billingInfo, sendJson, type Headers } from './respond.js';

/** Every route the sandbox answers (less the options' `missingRoutes`). */
export const PATHS = new Set([
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

/** What the routes answer from: the accounts, the ledger, the CRM's context, and how the gateway speaks. */
export interface Routes {
  now: () => number;
  accounts: Map<string, Account>;
  ledger: Ledger;
  ctx: CrmContext;
  /** A bad key is answered as AWS API Gateway does (403 "Forbidden"), not as the docs (401). */
  gateway: boolean;
  /** An unknown route is answered as a REST API gateway does (403), not an HTTP API one (404). */
  restGateway: boolean;
  paths: Set<string>;
}

/** One request, in the order the API's gateway and service take it: route, method, key, rate, quota, plan, then the CRM. */
export function route(routes: Routes, req: IncomingMessage, res: ServerResponse, body: string): void {
  const { ledger } = routes;
  const path = (req.url ?? '/').split('?')[0]!;
  if (!routes.paths.has(path)) return unknownRoute(routes, res);
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
  if (openRoute(routes, path, req, res, body)) return;
  const account = authenticate(routes, path, req, res);
  if (!account) return;
  const headers = throttle(routes, account, path, crm, res);
  if (!headers) return;
  if (!crm) {
    ledger.countRequest(path, 200);
    return sendJson(res, 200, utilityBody(path, account, routes.now), headers);
  }
  if (!admitCrm(routes, account, path, res, headers)) return;
  ledger.enter();
  res.once('close', () => ledger.leave());
  handleCrm(routes.ctx, path.slice(1) as CrmEndpoint, account, body, res, headers);
}

/** A route the API does not have, answered as the gateway in front of it does. */
function unknownRoute({ ledger, restGateway }: Routes, res: ServerResponse): void {
  if (restGateway) {
    ledger.countRequest('unknown', 403);
    return sendJson(res, 403, { message: 'Missing Authentication Token' });
  }
  ledger.countRequest('unknown', 404);
  return sendJson(res, 404, { message: 'Not Found' });
}

/** The routes that need no key (health, and the sandbox's own controls): true when `path` was one. */
function openRoute(routes: Routes, path: string, req: IncomingMessage, res: ServerResponse, body: string): boolean {
  const { ledger, now, accounts } = routes;
  if (path === '/health') {
    ledger.countRequest(path, 200);
    sendJson(res, 200, {
      status: 'healthy',
      environment: 'sandbox',
      timestamp: new Date(now()).toISOString(),
    });
    return true;
  }
  if (path === '/__sandbox/ledger') {
    const query = new URL(req.url ?? '/', 'http://sandbox').searchParams;
    sendJson(
      res,
      200,
      ledger.toJSON({ contacts: query.get('contacts') === '1', rate: Number(query.get('rate')) || undefined }),
    );
    return true;
  }
  if (path === '/__sandbox/credits') {
    setCredits(accounts, body, res);
    return true;
  }
  return false;
}

/** The key's account, or undefined once the request is refused (401, or the gateway's 403). */
function authenticate(routes: Routes, path: string, req: IncomingMessage, res: ServerResponse): Account | undefined {
  const { ledger, accounts, gateway } = routes;
  const key = req.headers['x-api-key'];
  const account = typeof key === 'string' ? accounts.get(key) : undefined;
  if (!account) {
    ledger.countRequest(path, gateway ? 403 : 401);
    if (gateway) sendJson(res, 403, { message: 'Forbidden' });
    else sendJson(res, 401, { error: 'Invalid API key provided in X-API-Key header', error_code: 'UNAUTHORIZED' });
    return undefined;
  }
  ledger.forKey(account.key).requests += 1;
  return account;
}

/** A token from the key's bucket: the rate headers to answer with, or undefined once it is answered 429. */
function throttle(
  routes: Routes,
  account: Account,
  path: string,
  crm: boolean,
  res: ServerResponse,
): Headers | undefined {
  const { ledger, now, gateway } = routes;
  const take = account.bucket.take();
  if (crm) ledger.arrived(now(), take.allowed);
  const headers: Headers = {
    'x-ratelimit-limit': account.bucket.rate,
    'x-ratelimit-remaining': take.remaining,
    'x-ratelimit-reset': Math.ceil(take.fullAtMs / 1000),
  };
  if (take.allowed) return headers;
  ledger.rateLimited += 1;
  ledger.countRequest(path, 429);
  headers['retry-after'] = Math.max(1, Math.ceil(take.waitMs / 1000));
  sendJson(
    res,
    429,
    gateway ? { message: 'Too Many Requests' } : { error: 'Rate limit exceeded', error_code: 'RATE_LIMIT_EXCEEDED' },
    headers,
  );
  return undefined;
}

/** The monthly quota, then the plan: false once the request is answered 429 or 403. */
function admitCrm(routes: Routes, account: Account, path: string, res: ServerResponse, headers: Headers): boolean {
  const { ledger, now, gateway } = routes;
  if (!account.useQuota()) {
    ledger.quotaExceeded += 1;
    ledger.countRequest(path, 429);
    const resetMs = account.quotaResetMs;
    headers['x-ratelimit-remaining'] = 0;
    headers['x-ratelimit-reset'] = Math.ceil(resetMs / 1000);
    headers['retry-after'] = Math.ceil((resetMs - now()) / 1000);
    sendJson(
      res,
      429,
      gateway ? { message: 'Limit Exceeded' } : { error: 'Monthly quota exceeded', error_code: 'QUOTA_EXCEEDED' },
      headers,
    );
    return false;
  }
  if (account.plan.family !== 'crm') {
    ledger.countRequest(path, 403);
    const tier = account.planId.replace(/^platform_/, '');
    sendJson(
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
    return false;
  }
  return true;
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
