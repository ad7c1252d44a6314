import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FluenceError } from '../errors.js';
import { message, type Message } from '../i18n/message.js';
import { errorAnswer, pageText, requestLang } from './error-answer.js';

/**
 * The cookie the page's address sets (`/?token=T`), so the token leaves the address bar. Named
 * per port: cookies ignore ports, so two servers on 127.0.0.1 (or one restarted on another port)
 * would otherwise overwrite each other's token and lock the first page out.
 */
export const tokenCookie = (port: number): string => `fluence_token_${port}`;

/** Names of this machine's loopback interface: a page on another site cannot make the browser send these. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface Guard {
  token: string;
  /** The `--host` the server listens on. */
  host: string;
  /** `--allow-host`: other names the page may be reached by (with or without a port). */
  allowHosts: readonly string[];
}

/** A Host header's name, lower case, without its port (an IPv6 address keeps its brackets). */
const hostName = (host: string): string => host.toLowerCase().replace(/:\d+$/, '');

/**
 * Whether a Host header names this server. Loopback names (on any port: Docker maps ports),
 * the `--host` it listens on and each `--allow-host` are; anything else is a page on another
 * site that resolved its own name to this machine (DNS rebinding), refused.
 */
export function hostAllowed(header: string | undefined, guard: Guard, port: number): boolean {
  if (!header) return false;
  const name = hostName(header);
  if (LOOPBACK_NAMES.includes(name)) return true;
  const given = [guard.host, ...guard.allowHosts].map((h) => h.toLowerCase());
  const wildcard = ['0.0.0.0', '::', '[::]'];
  return given.some(
    (h) => !wildcard.includes(h) && (h === name || h === header.toLowerCase() || h === `${name}:${port}`),
  );
}

/**
 * The token a request carries: `?token=` or `Authorization: Bearer` first (given on purpose, as
 * the printed address does: a cookie left by an earlier server must not shadow it), the cookie last.
 */
function tokenOf(request: FastifyRequest, port: number): string | undefined {
  const query = (request.query as Record<string, unknown> | undefined)?.token;
  if (typeof query === 'string') return query;
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (bearer) return bearer[1];
  return request.cookies[tokenCookie(port)];
}

/** Compared in constant time: the answer's timing says nothing of how much of a guess was right. */
export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A change comes from the page itself: its Origin is the address the browser is on (its Host, already checked). */
function originAllowed(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  if (!origin || !host) return false;
  return (
    origin.toLowerCase() === `http://${host}`.toLowerCase() || origin.toLowerCase() === `https://${host}`.toLowerCase()
  );
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every request, before routing or reading a body: the Host must be the server's own, the token
 * must be there, and a change (POST, DELETE...) must come from the page's own origin (CSRF). A
 * refusal is 403 and nothing starts, nothing is stored.
 */
export function guardRequests(guard: Guard, port: () => number) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const refuse = (why: Message) => {
      const error = new FluenceError('SERVE_FORBIDDEN', why);
      // A person who opened the bare address reads a sentence, not JSON.
      if (request.method === 'GET' && (request.headers.accept ?? '').includes('text/html'))
        return reply
          .code(403)
          .type('text/plain; charset=utf-8')
          .send(`fluence-enrich: ${pageText(error, requestLang(request))} [${error.code}]\n`);
      return reply.code(403).send(errorAnswer(error, requestLang(request)).body);
    };
    if (!hostAllowed(request.headers.host, guard, port()))
      return refuse(message('errors.serveForbidden.host', { host: JSON.stringify(request.headers.host ?? '') }));
    if (!sameToken(tokenOf(request, port()), guard.token)) return refuse(message('errors.serveForbidden.token'));
    if (!SAFE_METHODS.has(request.method) && !originAllowed(request))
      return refuse(message('errors.serveForbidden.origin'));
  };
}
