import { createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sameToken, tokenCookie } from './security.js';

/** The page's folder, `web/` at the package's root (beside `dist/`). */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

const require = createRequire(import.meta.url);

/**
 * The chart libraries' browser builds, from the installed packages (the report's own
 * dependencies): the page works offline, never from a CDN. Each package's entry is in its
 * `build/` folder, beside the `.min.js` (their `exports` do not list the file itself).
 */
export const VENDOR_FILES: Record<string, string> = {
  'vega.min.js': join(dirname(require.resolve('vega')), 'vega.min.js'),
  'vega-lite.min.js': join(dirname(require.resolve('vega-lite')), 'vega-lite.min.js'),
  'vega-embed.min.js': join(dirname(require.resolve('vega-embed')), 'vega-embed.min.js'),
  // The messages' formatter, the library the CLI formats the catalog with: a self-contained ES
  // module despite its name (web/i18n.js imports it; web/tsconfig.json maps it to its types).
  'intl-messageformat.js': join(dirname(require.resolve('intl-messageformat')), 'intl-messageformat.iife.js'),
};

export async function staticRoutes(app: FastifyInstance, token: string, port: () => number): Promise<void> {
  // The address `serve` printed: the token becomes a cookie and leaves the address bar.
  app.get<{ Querystring: { token?: string } }>('/', async (request, reply) => {
    if (request.query.token !== undefined && sameToken(request.query.token, token)) {
      return reply
        .setCookie(tokenCookie(port()), token, { httpOnly: true, sameSite: 'strict', path: '/' })
        .redirect('/', 302);
    }
    if (!existsSync(join(WEB_DIR, 'index.html')))
      return reply
        .type('text/plain; charset=utf-8')
        .send('fluence-enrich serve: the page (web/index.html) is not installed');
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(createReadStream(join(WEB_DIR, 'index.html')));
  });
  if (existsSync(WEB_DIR)) await app.register(fastifyStatic, { root: WEB_DIR, prefix: '/web/', index: false });
  for (const [name, path] of Object.entries(VENDOR_FILES)) {
    app.get(`/vendor/${name}`, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'max-age=3600').send(createReadStream(path)),
    );
  }
}
