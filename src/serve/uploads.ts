import { basename } from 'node:path';
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type {} from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { estimateFile } from '../engine/estimate.js';
import { FluenceError, isFluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { inspectFile, readLayout } from '../input/inspect.js';
import { xlsxSheets } from '../input/xlsx.js';
import { isZip, zipKind } from '../input/xlsx/containers.js';
import { normalizeEnrichOptions } from '../options/normalize.js';
import type { ServeContext } from './context.js';
import { errorAnswer, requestLang } from './error-answer.js';
import { enrichOptionsOf, readPageOptions, type PageOptions } from './page-options.js';
import { isId, newId, readJson, writeJson } from './work-dir.js';

/** An upload as the page sees it; its `name` is data only, never part of a path. */
export interface Upload {
  id: string;
  name: string;
  size: number;
  kind: 'csv' | 'xlsx';
  sheets?: string[];
  uploadedAt: string;
}

/** A workbook by its bytes, as the CLI's input detection tells one; anything else is read as CSV (whose first pass says what it really is). */
async function kindOf(path: string): Promise<'csv' | 'xlsx'> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(4);
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  return isZip(head) && (await zipKind(path).catch(() => 'other')) === 'xlsx' ? 'xlsx' : 'csv';
}

/** The upload `id` names, or UPLOAD_NOT_FOUND. */
export async function findUpload(ctx: ServeContext, id: string): Promise<Upload & { path: string }> {
  const upload = isId(id) ? await readJson<Upload>(ctx.work.uploadMeta(id)) : undefined;
  if (!upload)
    throw new FluenceError(
      'UPLOAD_NOT_FOUND',
      message('errors.uploadNotFound', { id: JSON.stringify(id), folder: ctx.work.uploads }),
    );
  return { ...upload, path: ctx.work.uploadFile(upload.id, upload.kind) };
}

/**
 * The CLI's message about an upload names the file the person dropped, not the generated path
 * it is stored under in the work folder.
 */
const byItsName =
  (upload: Upload & { path: string }) =>
  (text: string): string =>
    [upload.path, basename(upload.path)].reduce((words, stored) => words.split(stored).join(upload.name), text);

/** Only the file's last path part, without control characters: what the page shows and the download is named after. */
const displayName = (name: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
  (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'upload';

/** A request's options, in the page's language unless the body names one: a preview's and an estimate's reasons read in it. */
const pageOptionsIn = (request: FastifyRequest): PageOptions => ({
  lang: requestLang(request),
  ...readPageOptions(request.body),
});

/** The run's options for an estimate of `upload`: the CLI's own normalisation, the work folder's cache. */
export function estimateConfig(ctx: ServeContext, path: string, page: PageOptions) {
  return normalizeEnrichOptions(
    {
      ...enrichOptionsOf(page),
      input: path,
      cache: ctx.work.cache,
      baseUrl: ctx.baseUrl,
      apiKey: ctx.apiKey,
      progress: 'off',
    },
    {},
    { estimate: true },
  );
}

export function uploadRoutes(app: FastifyInstance, ctx: ServeContext): void {
  // Streamed to a generated name in the work folder, never held whole; over the limit, removed.
  app.post('/api/uploads', async (request, reply) => {
    const part = await request.file({ limits: { fileSize: ctx.maxUpload, files: 1 } });
    if (part?.fieldname !== 'file') throw new FluenceError('UPLOAD_INVALID', message('errors.uploadInvalid.multipart'));
    const id = newId();
    const partial = `${ctx.work.uploadFile(id, 'csv')}.part`;
    try {
      await pipeline(part.file, createWriteStream(partial, { flags: 'wx' }));
      if (part.file.truncated) throw tooLarge(ctx);
    } catch (error) {
      await rm(partial, { force: true });
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(ctx);
      throw error;
    }
    const kind = await kindOf(partial);
    const path = ctx.work.uploadFile(id, kind);
    await rename(partial, path);
    const { size } = await stat(path);
    const upload: Upload = { id, name: displayName(part.filename), size, kind, uploadedAt: new Date().toISOString() };
    if (kind === 'xlsx') {
      const tabs = await xlsxSheets(path, undefined).catch(() => undefined);
      if (tabs) upload.sheets = tabs.sheets.map((tab) => tab.name);
    }
    await writeJson(ctx.work.uploadMeta(id), upload);
    const { uploadedAt: _, ...shown } = upload;
    return reply.code(201).send(shown);
  });

  // A refused file (a missing or doubtful column) still shows its columns, so the page can offer them to map.
  app.post<{ Params: { id: string } }>('/api/uploads/:id/inspect', async (request, reply) => {
    const upload = await findUpload(ctx, request.params.id);
    const config = estimateConfig(ctx, upload.path, pageOptionsIn(request));
    try {
      return await inspectFile(config, undefined, config.lang);
    } catch (error) {
      if (!isFluenceError(error)) throw error;
      const layout = await readLayout(config);
      const { body } = errorAnswer(error, requestLang(request), byItsName(upload));
      return reply.code(422).send({ error: { ...body.error, ...layout } });
    }
  });

  // The same function as `estimate --json`, on the same options and the work folder's cache.
  app.post<{ Params: { id: string } }>('/api/uploads/:id/estimate', async (request, reply) => {
    const upload = await findUpload(ctx, request.params.id);
    try {
      return await estimateFile(estimateConfig(ctx, upload.path, pageOptionsIn(request)));
    } catch (error) {
      if (!isFluenceError(error)) throw error;
      const { status, body } = errorAnswer(error, requestLang(request), byItsName(upload));
      return reply.code(status).send(body);
    }
  });
}

/** An upload over `--max-upload`: also the multipart limit's refusal (`app.ts`), in the page's words. */
export const tooLarge = (ctx: ServeContext): FluenceError =>
  new FluenceError(
    'UPLOAD_TOO_LARGE',
    message('errors.uploadTooLarge', { mb: Math.round(ctx.maxUpload / 1024 / 1024) }),
  );
