import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { FluenceError } from '../errors.js';
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
 * Starts the page's server on `host:port` (a free port when that one is taken, said in
 * `portTaken`), with a fresh random token that every request must carry.
 */
export async function startServer(
  ctx: ServeContext,
  options: { host: string; port: number; allowHosts: readonly string[] },
): Promise<Served> {
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
        `cannot listen on ${options.host}:${options.port} (${code ?? String(error)}): check --host and --port`,
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
