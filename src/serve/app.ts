import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { isFluenceError } from '../errors.js';
import { accountRoute } from './account.js';
import { catalogRoute } from './catalog-route.js';
import type { ServeContext } from './context.js';
import { errorAnswer, requestLang } from './error-answer.js';
import { runRoutes } from './run-routes.js';
import { Runs } from './runs.js';
import { guardRequests, type Guard } from './security.js';
import { staticRoutes } from './static-files.js';
import { tooLarge, uploadRoutes } from './uploads.js';

/** The server `serve` runs: the guard first, then the page, the uploads, the runs. Routes only wire; the work is in the engine. */
export async function buildApp(ctx: ServeContext, guard: Guard): Promise<{ app: FastifyInstance; runs: Runs }> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  const port = (): number => {
    const address = app.server.address();
    return address && typeof address === 'object' ? address.port : 0;
  };
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: ctx.maxUpload, files: 1, fields: 10 } });
  app.addHook('onRequest', guardRequests(guard, port));
  // The page is never framed by another site (clickjacking), never sniffed, and never tells a link where it was.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
  });
  app.setErrorHandler((error, request, reply) => {
    if (isFluenceError(error)) {
      const { status, body } = errorAnswer(error, requestLang(request));
      return reply.code(status).send(body);
    }
    const { code, statusCode } = error as { code?: string; statusCode?: number };
    const message = String((error as Error).message);
    if (code === 'FST_REQ_FILE_TOO_LARGE' || statusCode === 413)
      return reply.code(413).send(errorAnswer(tooLarge(ctx), requestLang(request)).body);
    // The page's files (@fastify/static): a path leaving the folder (`/web/../package.json`), or none there.
    if (statusCode === 403)
      return reply
        .code(403)
        .send({ error: { code: 'SERVE_FORBIDDEN', message: "that path is outside the page's folder" } });
    if (statusCode === 404) return reply.code(404).send({ error: { code: 'SERVE_NOT_FOUND', message } });
    if (statusCode !== undefined && statusCode >= 400 && statusCode < 500)
      return reply.code(statusCode).send({ error: { code: 'UPLOAD_INVALID', message } });
    ctx.logger.error({ err: message }, 'unexpected error in serve');
    return reply.code(500).send({ error: { code: 'INTERNAL', message } });
  });
  // No such route (`/web/../package.json` is `/package.json` once the router normalises it): a coded 404.
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'SERVE_NOT_FOUND', message: `no ${request.method} ${request.url.split('?')[0]} here` } }),
  );
  const runs = new Runs(ctx);
  await staticRoutes(app, guard.token, port);
  catalogRoute(app);
  accountRoute(app, ctx);
  uploadRoutes(app, ctx);
  runRoutes(app, ctx, runs);
  return { app, runs };
}
