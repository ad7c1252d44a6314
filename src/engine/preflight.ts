import { setTimeout as sleep } from 'node:timers/promises';
import { isTlsFailure, type ApiClient } from '../api/client.js';
import { field } from '../api/json-path.js';
import { isKeyRefused, isWrongAddress } from '../api/outcome.js';
import { planFamily } from '../api/plans.js';
import type { ApiReply } from '../api/reply.js';
import { rateLimitWait } from '../api/retry-delay.js';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';

export interface Account {
  plan: string;
  creditsLeft: number | undefined;
  /** `X-RateLimit-*` of the answer, when sent. */
  rateLimit: number | undefined;
  remaining: number | undefined;
}

/**
 * Why a free GET did not answer 200, as a coded error naming the whole URL asked: a refused key,
 * an address that is not the API (a gateway's answer for a route it does not know), or else.
 */
export function getProblem(baseUrl: string, path: string, reply: Extract<ApiReply, { kind: 'http' }>): FluenceError {
  const { status, body } = reply;
  const url = `${baseUrl}${path}`;
  if (isKeyRefused(status, body)) {
    return new FluenceError('INVALID_KEY', message('errors.invalidKey', { status: String(status) }));
  }
  if (isWrongAddress(status, body) || status === 404 || status === 405) {
    return new FluenceError('WRONG_ADDRESS', message('errors.wrongAddress', { url, status: String(status) }));
  }
  return new FluenceError('API_ERROR', message('errors.apiError.get', { url, status: String(status) }));
}

/**
 * Before the first row: is the key good, can its plan use the CRM endpoints, how many credits
 * are left, what rate does the server announce. Costs nothing; stops the run (exit 1) with what
 * to do when the answer is no.
 */
export async function checkAccount(client: ApiClient, baseUrl: string): Promise<Account> {
  for (let attempt = 1; ; attempt++) {
    const reply = await client.get('/creditos');
    if (reply.kind === 'network') {
      if (isTlsFailure(reply.code)) {
        throw new FluenceError('TLS_UNTRUSTED', message('errors.tlsUntrusted', { code: reply.code }));
      }
      if (attempt < 3 && reply.maybeSent) {
        await sleep(500 * attempt);
        continue;
      }
      throw new FluenceError('API_UNREACHABLE', message('errors.apiUnreachable', { url: baseUrl, code: reply.code }));
    }
    const { status, body } = reply;
    if ((status === 429 || status >= 500) && attempt < 3) {
      await sleep(status === 429 ? Math.min(rateLimitWait(reply.rate, Date.now()), 10_000) : 1000 * attempt);
      continue;
    }
    if (status !== 200) throw getProblem(baseUrl, '/creditos', reply);
    const plan = field(body, 'billing_info', 'tipo_plano');
    const left = field(body, 'billing_info', 'creditos_restantes');
    if (typeof plan === 'string' && planFamily(plan) === 'platform') {
      throw new FluenceError('PLAN_NO_CRM_ACCESS', message('errors.planNoCrmAccess', { plan }));
    }
    return {
      plan: typeof plan === 'string' ? plan : 'unknown',
      creditsLeft: typeof left === 'number' ? left : undefined,
      rateLimit: reply.rate.limit,
      remaining: reply.rate.remaining,
    };
  }
}
