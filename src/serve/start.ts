import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import type { FastifyInstance } from 'fastify';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { buildApp } from './app.js';
import type { ServeContext } from './context.js';
import type { Guard } from './security.js';

export interface Served {
  /** The address to open, with the token: `http://127.0.0.1:8790/?token=...`. */
  url: string;
  port: number;
  /** Set when the port asked for was taken and another was chosen. */
  portTaken?: number;
  close(): Promise<void>;
}

const LOOPBACK = /^(127(\.\d+){3}|localhost|::1)$/;
const WILDCARD = ['0.0.0.0', '::'];

/** Whether `--host` keeps the page to this machine. */
export const isLoopback = (host: string): boolean => LOOPBACK.test(host);

/** The address as a browser on this machine opens it: a wildcard interface is reached by loopback. */
function pageHost(host: string): string {
  if (WILDCARD.includes(host)) return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

async function listen(app: FastifyInstance, host: string, port: number): Promise<number> {
  await app.listen({ host, port });
  const address = app.server.address();
  return address && typeof address === 'object' ? address.port : port;
}

/**
 * The page's server lives long on someone's own machine: V8 is told to favour memory over speed.
 * Node 24's V8 grows the young generation to 2 x 64 MB (Node 20's: 2 x 16) and collects the old one
 * later, so one 200,000-row upload left the server 131-190 MB heavier, all of it heap room (25 MB
 * live after a full collection, as on Node 20). With this: 3-8 MB, for ~40 % more CPU on that
 * file's check on Node 24 (~1.5 s), none measured on Node 20. Set at run time because the flags
 * that size the young generation are read only at start; this one is read as V8 collects.
 */
const favourMemory = (): void => setFlagsFromString('--optimize-for-size');

/**
 * Starts the page's server on `host:port` (a free port when that one is taken, said in
 * `portTaken`), with a fresh random token that every request must carry.
 */
export async function startServer(
  ctx: ServeContext,
  options: { host: string; port: number; allowHosts: readonly string[] },
): Promise<Served> {
  favourMemory();
  const token = randomBytes(24).toString('base64url');
  const guard: Guard = { token, host: options.host, allowHosts: options.allowHosts };
  await ctx.work.ensure();
  const { app, runs } = await buildApp(ctx, guard);
  let port: number;
  let portTaken: number | undefined;
  try {
    port = await listen(app, options.host, options.port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' || options.port === 0)
      throw new FluenceError(
        'SERVE_LISTEN',
        message('errors.serveListen', {
          host: options.host,
          port: String(options.port),
          reason: code ?? String(error),
        }),
        { cause: error },
      );
    portTaken = options.port;
    port = await listen(app, options.host, 0);
  }
  return {
    url: `http://${pageHost(options.host)}:${port}/?token=${token}`,
    port,
    ...(portTaken === undefined ? {} : { portTaken }),
    close: async () => {
      await runs.stopAll();
      await app.close();
    },
  };
}
