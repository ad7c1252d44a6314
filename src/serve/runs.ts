import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProgressSnapshot } from '../engine/progress.js';
import type { RunSummary } from '../engine/run-summary.js';
import { runEnrich } from '../engine/run.js';
import { ERROR_CODES, FluenceError, isFluenceError, type ErrorCode } from '../errors.js';
import { message } from '../i18n/message.js';
import { normalizeEnrichOptions } from '../options/normalize.js';
import { runSpending } from '../sharing/sqlite/run-spending.js';
import type { ServeContext } from './context.js';
import { pageText } from './error-answer.js';
import { enrichOptionsOf, outputKind, readPageOptions, type PageOptions } from './page-options.js';
import { ended, runProgress } from './run-progress.js';
import { findUpload } from './uploads.js';
import { isId, newId, readJson, writeJson } from './work-dir.js';

export type RunStatus = 'running' | 'stopping' | 'stopped' | 'finished' | 'failed';

/** `run.json`: what a run is, kept in its folder so a later `serve` lists it. Never the key. */
export interface RunFile {
  id: string;
  upload: string;
  /** The upload's original name (data, shown and used for the download's name). */
  name: string;
  options: PageOptions;
  /** The output's file name in the run's folder. */
  output: string;
  status: RunStatus;
  startedAt: string;
  finishedAt?: string;
  exitCode?: number;
  error?: { code: ErrorCode; message: string };
  /** The run's last progress; its `credits` count every attempt (a resume adds to what the stopped run spent). */
  progress?: ProgressSnapshot;
  /** Credits the run's earlier attempts spent (before its last resume). */
  creditsEarlier?: number;
  /**
   * The run's credits when its cost limit (`options.maxCredits`) was set: 0 at its start, what it
   * had spent when a resume set another. The limit is a ceiling from then on, across every stop and
   * resume, so each attempt may spend only what is left of it (absent: 0, a run an older version left).
   */
  capSetAt?: number;
  /**
   * An attempt was cut off (the server killed, the machine off): it spent up to a few seconds more
   * than its last saved progress says, so the run's `credits` are a floor from then on.
   */
  creditsAtLeast?: boolean;
  /** The `serve` process running it (while `running`): another server on the same folder must not call it stopped. */
  pid?: number;
  /**
   * What its attempts' requests are saved under in the shared cache (`<id>/`, each attempt
   * `<id>/<uuid>`): the run's credits are read from there once an attempt was cut off.
   */
  storeRun?: string;
  /** Per cut-off attempt, the requests it left started and unanswered (each may have been charged). */
  unfinished?: Record<string, number>;
}

/**
 * What is left of the run's cost limit (undefined: none): the limit less what the run spent since
 * it was set (its `credits` once it runs, else what its earlier attempts spent).
 */
export function capLeft(file: RunFile, spent = file.progress?.credits ?? file.creditsEarlier ?? 0): number | undefined {
  const limit = file.options.maxCredits;
  if (limit === undefined) return undefined;
  return Math.max(0, limit - Math.max(0, spent - (file.capSetAt ?? 0)));
}

/** Requests the run's cut-off attempts left unanswered: its credits are a floor by at most these. */
export const unfinishedRequests = (file: RunFile): number =>
  Object.values(file.unfinished ?? {}).reduce((sum, n) => sum + n, 0);

/** What `done` says: how the run ended. */
export interface RunDone {
  status: RunStatus;
  exitCode: number | null;
  error?: { code: ErrorCode; message: string };
  /** The run's `--summary` (null when the run wrote none). */
  summary: RunSummary | null;
}

/** A run this server started and still watches: its stop switch and its events (`progress`, `done`). */
interface LiveRun {
  file: RunFile;
  stop: AbortController;
  events: EventEmitter;
  ended: boolean;
}

/** How often, at most, the last progress is written into run.json (a server that dies still lists it). */
const SAVE_PROGRESS_MS = 5000;

/**
 * The runs of the work folder: those this server runs (in memory, with their events) and those
 * an earlier one left (read from `runs/<id>/run.json`; one left `running` was cut off: `stopped`,
 * resumable). Each run is `runEnrich`, the CLI's own, with the folder's shared `--cache`.
 */
export class Runs {
  readonly #ctx: ServeContext;
  readonly #live = new Map<string, LiveRun>();

  constructor(ctx: ServeContext) {
    this.#ctx = ctx;
  }

  /** Starts a run of an upload with the page's options; refuses (nothing started) options the CLI would refuse. */
  async start(body: unknown): Promise<RunFile> {
    const raw = (body ?? {}) as Record<string, unknown>;
    if (typeof raw.upload !== 'string')
      throw new FluenceError(
        'UPLOAD_INVALID',
        message('errors.uploadInvalid.body', { what: 'upload', name: '', got: '', fields: '' }),
      );
    const upload = await findUpload(this.#ctx, raw.upload);
    const options = readPageOptions(raw);
    const id = newId();
    const file: RunFile = {
      id,
      upload: upload.id,
      name: upload.name,
      options,
      output: `output.${outputKind(options, upload.kind)}`,
      status: 'running',
      startedAt: new Date().toISOString(),
      storeRun: `${id}/`,
      capSetAt: 0,
    };
    // Checked before the folder exists: a refused option leaves nothing behind.
    this.#config(file, upload.path);
    await mkdir(this.#ctx.work.runDir(id));
    try {
      await (await this.#launch(file, upload.path)).begun;
    } catch (error) {
      // Refused before its first row (a column missing or in doubt, a key without CRM access):
      // nothing was asked, and no run is left to list, as the CLI leaves no output.
      this.#live.delete(id);
      await rm(this.#ctx.work.runDir(id), { recursive: true, force: true });
      throw error;
    }
    return file;
  }

  /**
   * Runs a stopped (or failed) run again: same options, output and cache, so nothing is paid twice.
   * `body.maxCredits` (a number, or null for none) replaces the cap, as `--max-credits` on the
   * CLI's rerun does: a run stopped by its cap would otherwise spend only that cap again per Resume.
   */
  async resume(id: string, body?: unknown): Promise<RunFile> {
    if (this.#live.get(id)?.ended === false)
      throw new FluenceError('RUN_RUNNING', message('errors.runRunning', { id }));
    const file = await this.#read(id);
    if (file.status === 'running' || file.status === 'stopping') throw runningElsewhere(file);
    // Every row has its answer: a resume would ask nothing (and answered 202 for nothing).
    if (file.status === 'finished') throw new FluenceError('RUN_FINISHED', message('errors.runFinished', { id }));
    const raw = (body ?? {}) as Record<string, unknown>;
    // Checked before anything is read or started: a refused limit leaves the run as it was.
    const cap = 'maxCredits' in raw ? { maxCredits: readPageOptions({ maxCredits: raw.maxCredits }).maxCredits } : {};
    const upload = await findUpload(this.#ctx, file.upload);
    const options = { ...file.options };
    // Read first: it also keeps, in `file`, the requests a cut-off attempt left unanswered.
    const creditsEarlier = file.storeRun
      ? this.#fromStore(file, true)
      : (file.progress?.credits ?? file.creditsEarlier ?? 0);
    let capSetAt = file.capSetAt ?? 0;
    if ('maxCredits' in cap) {
      // A limit set now is for the rest: counted from what the run has spent so far.
      if (cap.maxCredits === undefined) delete options.maxCredits;
      else options.maxCredits = cap.maxCredits;
      capSetAt = creditsEarlier;
    }
    const resumed: RunFile = {
      ...file,
      progress: ended(file.progress),
      options,
      status: 'running',
      creditsEarlier,
      capSetAt,
    };
    delete resumed.finishedAt;
    delete resumed.exitCode;
    delete resumed.error;
    this.#config(resumed, upload.path);
    // A resume refused on its file (changed since?) ends failed, listed with its error.
    void (await this.#launch(resumed, upload.path)).begun.catch(() => undefined);
    return resumed;
  }

  /**
   * The CLI's graceful stop: no new request, those in flight finish, the rest `pending`. A run
   * another `serve` on the same folder is running is refused, as its resume is: only its own
   * server can stop it (this one would answer 202 and the run would go on).
   */
  async stop(id: string): Promise<void> {
    if (this.#stopLive(id)) return;
    const file = await this.#read(id);
    if (file.status === 'running' || file.status === 'stopping') throw runningElsewhere(file);
  }

  /** Stops a run this server runs; false when it runs none of that id. */
  #stopLive(id: string): boolean {
    const run = this.#live.get(id);
    if (!run || run.ended) return false;
    run.file.status = 'stopping';
    run.stop.abort();
    return true;
  }

  /** The run's file as it stands (live, else as an earlier server left it). */
  async get(id: string): Promise<RunFile> {
    const live = this.#live.get(id);
    return live ? live.file : this.#read(id);
  }

  /** A live run's events, or undefined once it ended (or was never this server's). */
  events(id: string): EventEmitter | undefined {
    const live = this.#live.get(id);
    return live && !live.ended ? live.events : undefined;
  }

  /** Every run of the work folder, newest first. */
  async list(): Promise<RunFile[]> {
    const ids = (await readdir(this.#ctx.work.runs).catch(() => [] as string[])).filter(isId);
    const files = await Promise.all(ids.map((id) => this.get(id).catch(() => undefined)));
    return files.filter((f): f is RunFile => f !== undefined).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Stops every live run and waits for each to write its output (the server is closing). */
  async stopAll(): Promise<void> {
    const waits = [...this.#live.values()]
      .filter((run) => !run.ended)
      .map((run) => new Promise((resolve) => run.events.once('done', resolve)));
    for (const id of this.#live.keys()) this.#stopLive(id);
    await Promise.all(waits);
  }

  async #read(id: string): Promise<RunFile> {
    const file = isId(id) ? await readJson<RunFile>(join(this.#ctx.work.runDir(id), 'run.json')) : undefined;
    if (!file)
      throw new FluenceError(
        'RUN_NOT_FOUND',
        message('errors.runNotFound', { id: JSON.stringify(id), folder: this.#ctx.work.runs }),
      );
    // Cut off by the end of an earlier server: what it wrote is in the cache; resuming pays nothing twice.
    // Unless another server (started on the same folder, e.g. when the default port was taken) runs it now.
    if ((file.status === 'running' || file.status === 'stopping') && !this.#live.has(id)) {
      if (runsElsewhere(file)) {
        // Its run.json is seconds behind: the store has what its requests saved until now.
        if (file.storeRun) this.#fromStore(file, false);
        return file;
      }
      file.status = 'stopped';
      file.progress = ended(file.progress);
      if (!file.storeRun) file.creditsAtLeast = true;
      else this.#fromStore(file, true);
    }
    return file;
  }

  /**
   * The run's credits and answered rows as the shared cache saved them (its final answers), put
   * in `file` (its rows never fewer than its progress said); for an attempt that was cut off
   * (`cutOff`), its requests left started, kept in `file` too: the credits are a floor by those.
   * A request re-asked later leaves that count, so each attempt keeps the most it was seen with.
   */
  #fromStore(file: RunFile, cutOff: boolean): number {
    const spent = runSpending(this.#ctx.work.cache, file.storeRun!);
    if (cutOff) {
      const unfinished = { ...file.unfinished };
      for (const [attempt, n] of Object.entries(spent.unfinished))
        unfinished[attempt] = Math.max(n, unfinished[attempt] ?? 0);
      file.unfinished = unfinished;
      if (unfinishedRequests(file) > 0) file.creditsAtLeast = true;
    }
    const p = file.progress;
    if (!p) file.creditsEarlier = spent.credits;
    else
      file.progress = {
        ...p,
        // A run still going elsewhere: whichever is further on (both only ever grow).
        credits: cutOff ? spent.credits : Math.max(p.credits, spent.credits),
        rows: Math.max(p.rows, Math.min(p.total || Infinity, p.pending + spent.answered)),
      };
    return spent.credits;
  }

  /** The CLI's own normalisation of the run's options: output, summary and report in the run's folder, the shared cache. */
  #config(file: RunFile, input: string) {
    const dir = this.#ctx.work.runDir(file.id);
    const left = capLeft(file, file.creditsEarlier ?? 0);
    return normalizeEnrichOptions(
      {
        ...enrichOptionsOf(file.options),
        // This attempt's `--max-credits`: what is left of the run's limit, never the whole limit again.
        ...(left === undefined ? {} : { maxCredits: left }),
        input,
        output: join(dir, file.output),
        cache: this.#ctx.work.cache,
        summary: join(dir, 'summary.json'),
        report: join(dir, 'report.html'),
        baseUrl: this.#ctx.baseUrl,
        apiKey: this.#ctx.apiKey,
        progress: 'off',
      },
      {},
    );
  }

  /**
   * Runs `file`'s attempt; `begun` settles once its rows start (resolved), or when it ends before
   * (rejected with the refusal when it failed on the file, the options or the key: nothing asked).
   */
  async #launch(file: RunFile, input: string): Promise<{ begun: Promise<void> }> {
    const config = this.#config(file, input);
    let begin: (refusal?: FluenceError) => void = () => undefined;
    const begun = new Promise<void>((resolve, reject) => {
      begin = (refusal) => (refusal ? reject(refusal) : resolve());
    });
    const run: LiveRun = { file, stop: new AbortController(), events: new EventEmitter(), ended: false };
    this.#live.set(file.id, run);
    const runJson = join(this.#ctx.work.runDir(file.id), 'run.json');
    file.pid = process.pid;
    await writeJson(runJson, file);
    let saved = 0;
    // One write of run.json at a time, in order: a progress save still renaming its file after
    // the final one would leave a finished run listed as stopped.
    let writes = Promise.resolve();
    const save = (): Promise<void> => {
      writes = writes.then(() => writeJson(runJson, file)).catch(() => undefined);
      return writes;
    };
    const earlier = file.creditsEarlier ?? 0;
    const before = file.creditsEarlier === undefined ? undefined : file.progress;
    const onProgress = (snapshot: ProgressSnapshot): void => {
      file.progress = runProgress(snapshot, earlier, before);
      run.events.emit('progress', file.progress);
      if (Date.now() - saved < SAVE_PROGRESS_MS) return;
      saved = Date.now();
      void save();
    };
    // The run's own words are in its language (the page's, when started there); a refusal before
    // its rows is handed back whole, so the request that started it says it in the page's.
    const words = (error: FluenceError) => ({ code: error.code, message: pageText(error, config.lang) });
    const finish = async (done: Omit<RunDone, 'summary'>, refusal?: FluenceError): Promise<void> => {
      file.status = done.status;
      file.finishedAt = new Date().toISOString();
      file.progress = ended(file.progress);
      if (done.exitCode !== null) file.exitCode = done.exitCode;
      if (done.error) file.error = done.error;
      await save();
      const summary = await readJson<RunSummary>(join(this.#ctx.work.runDir(file.id), 'summary.json'));
      run.ended = true;
      run.events.emit('done', { ...done, summary: summary ?? null } satisfies RunDone);
      const code = done.error?.code;
      begin(refusal ?? (code && isErrorCode(code) ? new FluenceError(code, done.error!.message) : undefined));
    };
    runEnrich(config, {
      logger: this.#ctx.logger.child({ run: file.id }),
      signal: run.stop.signal,
      onProgress,
      onStarted: () => begin(),
      command: `fluence-enrich serve --dir ${this.#ctx.work.root} (run ${file.id})`,
      inputName: file.name,
      ...(file.storeRun ? { runId: `${file.storeRun}${randomUUID()}` } : {}),
    }).then(
      (result) => {
        const pending = result.summary.byStatus.pending;
        const status: RunStatus = result.error ? 'failed' : pending > 0 ? 'stopped' : 'finished';
        return finish(
          { status, exitCode: result.exitCode, ...(result.error ? { error: words(result.error) } : {}) },
          result.error,
        );
      },
      (error: unknown) =>
        finish(
          {
            status: 'failed',
            exitCode: isFluenceError(error) ? error.exitCode : 1,
            error: isFluenceError(error)
              ? words(error)
              : { code: 'INTERNAL', message: String((error as Error)?.message ?? error) },
          },
          isFluenceError(error) ? error : undefined,
        ),
    );
    return { begun };
  }
}

const isErrorCode = (code: string): code is ErrorCode => (ERROR_CODES as readonly string[]).includes(code);

/** The refusal of a change to a run another `serve` on the same work folder is running. */
const runningElsewhere = (file: RunFile): FluenceError =>
  new FluenceError('RUN_RUNNING', message('errors.runRunning.elsewhere', { id: file.id, pid: String(file.pid) }));

/** Whether another live process (another `serve` on the same work folder) is running the run. */
function runsElsewhere(file: RunFile): boolean {
  if (!file.pid || file.pid === process.pid) return false;
  try {
    process.kill(file.pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's; ESRCH: gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the run's folder holds a file (its output, its report). */
export const hasFile = (ctx: ServeContext, id: string, name: string): boolean =>
  existsSync(join(ctx.work.runDir(id), name));
