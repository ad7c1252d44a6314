import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FluenceError } from '../errors.js';
import type { RunSummary } from '../engine/run-summary.js';
import { message } from '../i18n/message.js';
import type { ServeContext } from './context.js';
import { openEventStream, streamRun } from './events.js';
import type { RunDetail, RunView } from './page-api.js';
import { doneRows } from './run-progress.js';
import { capLeft, hasFile, unfinishedRequests, type RunFile, type Runs } from './runs.js';
import { readJson } from './work-dir.js';

/** A run as the page lists it. */
function runView(ctx: ServeContext, file: RunFile): RunView {
  const summary = file.progress;
  return {
    id: file.id,
    name: file.name,
    startedAt: file.startedAt,
    ...(file.finishedAt ? { finishedAt: file.finishedAt } : {}),
    status: file.status,
    // Rows with their answer, as the page's panel counts them (a stopped run also wrote its unasked rows).
    rows: summary ? doneRows(summary) : 0,
    total: summary?.total ?? 0,
    credits: summary?.credits ?? file.creditsEarlier ?? 0,
    // Cut off once (a killed server): what it spent after its last saved progress is not counted.
    ...(file.creditsAtLeast ? { creditsAtLeast: true as const } : {}),
    // How many requests that floor may leave out (each may have been charged): 0 when unknown (an older run).
    ...(unfinishedRequests(file) > 0 ? { unfinishedRequests: unfinishedRequests(file) } : {}),
    ...(capLeft(file) === undefined ? {} : { capLeft: capLeft(file)! }),
    ...(file.error ? { error: file.error } : {}),
    options: file.options,
    hasOutput: hasFile(ctx, file.id, file.output),
    hasReport: hasFile(ctx, file.id, 'report.html'),
  };
}

/** `contatos.csv` run to CSV -> `contatos-enriched.csv`. */
export function downloadName(original: string, output: string): string {
  const stem = original.replace(/\.(csv|txt|tsv|xlsx)$/i, '') || 'contacts';
  return `${stem}-enriched${output.slice(output.lastIndexOf('.'))}`;
}

/** `attachment; filename=...` readable by every browser, the name in UTF-8 too. */
const attachment = (name: string): string =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function runRoutes(app: FastifyInstance, ctx: ServeContext, runs: Runs): void {
  app.post('/api/runs', async (request, reply) => {
    const file = await runs.start(request.body);
    return reply.code(201).send({ id: file.id });
  });

  app.get('/api/runs', async () => (await runs.list()).map((file) => runView(ctx, file)));

  app.get<{ Params: { id: string } }>('/api/runs/:id', async (request): Promise<RunDetail> => {
    const file = await runs.get(request.params.id);
    const summary = await readJson<RunSummary>(join(ctx.work.runDir(file.id), 'summary.json'));
    return { ...runView(ctx, file), summary: summary ?? null, progress: file.progress ?? null };
  });

  app.get<{ Params: { id: string } }>('/api/runs/:id/events', async (request, reply) => {
    const file = await runs.get(request.params.id);
    const events = runs.events(file.id);
    reply.hijack();
    if (!events) {
      const send = openEventStream(reply.raw);
      const summary = await readJson(join(ctx.work.runDir(file.id), 'summary.json'));
      send('done', {
        status: file.status,
        exitCode: file.exitCode ?? null,
        ...(file.error ? { error: file.error } : {}),
        summary: summary ?? null,
      });
      reply.raw.end();
      return;
    }
    streamRun(reply.raw, events, file.progress, (cleanup) => request.raw.on('close', cleanup));
  });

  app.post<{ Params: { id: string } }>('/api/runs/:id/stop', async (request, reply) => {
    const file = await runs.get(request.params.id);
    await runs.stop(file.id);
    return reply.code(202).send({ id: file.id });
  });

  app.post<{ Params: { id: string } }>('/api/runs/:id/resume', async (request, reply) => {
    const file = await runs.resume(request.params.id, request.body);
    return reply.code(202).send({ id: file.id });
  });

  app.get<{ Params: { id: string } }>('/api/runs/:id/output', async (request, reply) => {
    const file = await runs.get(request.params.id);
    if (!hasFile(ctx, file.id, file.output))
      throw new FluenceError('RUN_NOT_FOUND', message('errors.runNotFound.notYet', { id: file.id, what: 'output' }));
    const type = file.output.endsWith('.xlsx')
      ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      : 'text/csv; charset=utf-8';
    return reply
      .type(type)
      .header('content-disposition', attachment(downloadName(file.name, file.output)))
      .send(createReadStream(join(ctx.work.runDir(file.id), file.output)));
  });

  app.get<{ Params: { id: string } }>('/api/runs/:id/report', async (request, reply) => {
    const file = await runs.get(request.params.id);
    if (!hasFile(ctx, file.id, 'report.html'))
      throw new FluenceError('RUN_NOT_FOUND', message('errors.runNotFound.notYet', { id: file.id, what: 'report' }));
    // The report is static (its charts are SVG): no script may run in it, whatever a contact's name holds.
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
      .send(createReadStream(join(ctx.work.runDir(file.id), 'report.html')));
  });
}
