import type { ServerResponse } from 'node:http';
import { ENDPOINT_COST, type CrmEndpoint } from '../api/plans.js';
import { contactKey, type Contact } from '../contact/normalize.js';
import { invalidReason } from '../contact/validate.js';
import { reasonText } from '../contact/reason.js';
import type { Account } from './account.js';
import { extraLatencyMs, lookup } from './directory.js';
import type { FaultDraw, FaultPlan } from './faults.js';
import type { Ledger } from './ledger.js';
import { billingInfo, sendJson, type Headers } from './respond.js';

export interface CrmContext {
  ledger: Ledger;
  faults: FaultPlan;
  /** Requests seen per endpoint and person, so each retry draws a fresh fault. */
  attempts: Map<string, number>;
  /** Waits that must not outlive `close()`. */
  timers: Set<NodeJS.Timeout>;
}

const MESSAGES = {
  404: { error: 'Perfil não encontrado para os dados informados.', error_code: 'PROFILE_NOT_FOUND' },
  409: {
    error: 'Mais de uma pessoa corresponde aos dados informados; informe mais detalhes.',
    error_code: 'MULTIPLE_MATCHES',
  },
  422: { error: 'Dados públicos insuficientes para a análise.', error_code: 'INSUFFICIENT_DATA' },
  500: { error: 'Internal server error', error_code: 'INTERNAL_ERROR' },
} as const;

/** English aliases are accepted here (some environments have them); the client always sends Portuguese. */
function readContact(body: unknown): Contact | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'request body must be a JSON object';
  const b = body as Record<string, unknown>;
  const contact = {
    firstName: b.primeiro_nome ?? b.first_name,
    lastName: b.ultimo_nome ?? b.last_name,
    company: b.empresa ?? b.company,
  };
  for (const [field, name] of [
    ['firstName', 'primeiro_nome'],
    ['lastName', 'ultimo_nome'],
    ['company', 'empresa'],
  ] as const) {
    if (contact[field] === undefined || contact[field] === null) return `missing required parameter ${name}`;
    if (typeof contact[field] !== 'string') return `${name} must be a string`;
  }
  return contact as Contact;
}

/** One CRM request being answered: what it asks, for whom, and where the answer goes. */
interface CrmCall {
  ctx: CrmContext;
  endpoint: CrmEndpoint;
  account: Account;
  res: ServerResponse;
  headers: Headers;
  cost: number;
}

/** The credits a request holds: kept (the person's charge counted) or refunded. */
interface Charge {
  keep(): void;
  refund(): void;
}

/** Counts an answer in the ledger, then sends it. */
function answer(call: CrmCall, status: number | string, send: () => void): void {
  call.ctx.ledger.countRequest(`/${call.endpoint}`, status);
  send();
}

/**
 * One CRM request after auth, rate limit and quota: validate, reserve the credits, do the
 * "analysis" (latency, faults, the directory's answer), then keep or refund the charge as the
 * refund policy says (200/404/409 kept; 422/500 refunded; 400 and 402 never charged).
 */
export function handleCrm(
  ctx: CrmContext,
  endpoint: CrmEndpoint,
  account: Account,
  rawBody: string,
  res: ServerResponse,
  headers: Headers,
): void {
  const call: CrmCall = { ctx, endpoint, account, res, headers, cost: ENDPOINT_COST[endpoint] };
  const contact = admit(call, rawBody);
  if (!contact) return;
  const person = contactKey(contact);
  const id = `${endpoint}\u001f${person}`;
  const attempt = (ctx.attempts.get(id) ?? 0) + 1;
  ctx.attempts.set(id, attempt);
  const { fault, latencyMs } = ctx.faults.draw(id, attempt);

  if (fault === 'dropBeforeCharge') return answer(call, 'dropped', () => res.socket?.destroy());
  if (fault === 'hang') return answer(call, 'hung', () => undefined);

  const charge = chargeOnArrival(call, person, fault !== 'error502' && fault !== 'error503');
  const finish = (): void => {
    if (!answerFault(call, fault, charge)) answerFound(call, contact, attempt, charge);
  };
  const delay = latencyMs + extraLatencyMs(contact);
  if (delay <= 0) return finish();
  const timer = setTimeout(() => {
    ctx.timers.delete(timer);
    finish();
  }, delay);
  ctx.timers.add(timer);
}

/** The request's contact, or undefined once it is answered 400 (not JSON, not a contact) or 402 (credits). */
function admit(call: CrmCall, rawBody: string): Contact | undefined {
  const { res, headers, account, cost } = call;
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    answer(call, 400, () =>
      sendJson(res, 400, { error: 'Request body is not valid JSON', error_code: 'VALIDATION_ERROR' }, headers),
    );
    return undefined;
  }
  const contact = readContact(parsed);
  // The API's own words (English), whatever the language of the run that asks.
  const refused = typeof contact === 'string' ? contact : invalidReason(contact);
  const reason = typeof refused === 'object' ? reasonText(refused, 'en') : refused;
  if (typeof contact === 'string' || reason) {
    answer(call, 400, () => sendJson(res, 400, { error: reason, error_code: 'VALIDATION_ERROR' }, headers));
    return undefined;
  }
  if (account.credits < cost) {
    answer(call, 402, () =>
      sendJson(
        res,
        402,
        {
          error: `Créditos insuficientes: esta consulta custa ${cost}, restam ${account.credits}.`,
          error_code: 'INSUFFICIENT_CREDITS',
          billing_info: billingInfo(account, 0),
        },
        headers,
      ),
    );
    return undefined;
  }
  return contact;
}

/** The credits taken as the request arrives (unless `charged` is false: a 502 or 503 never reached billing). */
function chargeOnArrival(call: CrmCall, person: string, charged: boolean): Charge {
  const { ctx, account, cost, endpoint } = call;
  const keyLedger = ctx.ledger.forKey(account.key);
  if (charged) {
    account.credits -= cost;
    keyLedger.charged += cost;
  }
  return {
    refund: () => {
      account.credits += cost;
      keyLedger.refunded += cost;
    },
    keep: () => ctx.ledger.countContactCharge(endpoint, person),
  };
}

/** An injected fault's answer; false when the draw was no fault (the directory answers). */
function answerFault(call: CrmCall, fault: FaultDraw['fault'], { keep, refund }: Charge): boolean {
  const { res, headers, account } = call;
  switch (fault) {
    case 'error502':
    case 'error503':
      answer(call, fault === 'error502' ? 502 : 503, () =>
        sendJson(res, fault === 'error502' ? 502 : 503, {
          message: fault === 'error502' ? 'Bad Gateway' : 'Service Unavailable',
        }),
      );
      return true;
    case 'error504':
      keep();
      answer(call, 504, () => sendJson(res, 504, { message: 'Endpoint request timed out' }));
      return true;
    case 'dropAfterCharge':
      keep();
      answer(call, 'dropped', () => res.socket?.destroy());
      return true;
    case 'malformed':
      keep();
      answer(call, 200, () => {
        const text = '{"analise": {"perfil": {"nome_completo": "';
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': text.length,
          ...headers,
        });
        res.end(text);
      });
      return true;
    case 'error500':
      refund();
      answer(call, 500, () => sendJson(res, 500, { ...MESSAGES[500], billing_info: billingInfo(account, 0) }, headers));
      return true;
    default:
      return false;
  }
}

/** The directory's answer for the person, its charge kept or refunded as the refund policy says. */
function answerFound(call: CrmCall, contact: Contact, attempt: number, { keep, refund }: Charge): void {
  const { res, headers, account, cost, endpoint } = call;
  const found = lookup(contact, endpoint, attempt);
  if (found.status === 422 || found.status === 500) refund();
  else keep();
  const used = found.status === 422 || found.status === 500 ? 0 : cost;
  const body = found.status === 200 ? { analise: found.analise } : MESSAGES[found.status];
  answer(call, found.status, () =>
    sendJson(res, found.status, { ...body, billing_info: billingInfo(account, used) }, headers),
  );
}
