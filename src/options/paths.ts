import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { access, mkdir, open, realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FluenceError } from '../errors.js';
import { message, type Message } from '../i18n/message.js';
import { lockPathOf } from '../output/output-lock.js';

/** One file a run reads or writes, named by the option that gave it (for messages). */
export interface RunPath {
  option: string;
  path: string;
  /** `lookup`: read when it exists (estimate's checkpoint). */
  use: 'read' | 'lookup' | 'write' | 'database';
}

/** SQLite keeps these beside a database: they belong to it as much as the file itself. */
const DATABASE_SIDECARS = ['-wal', '-shm', '-journal'];

interface Located extends RunPath {
  /** Absolute, with symbolic links in its folder resolved. */
  real: string;
  /** `dev:ino` when the file exists: two names of one file (a hard link, a bind mount) match. */
  inode: string | undefined;
  stats: Stats | undefined;
}

const statOrUndefined = (path: string): Promise<Stats | undefined> => stat(path).catch(() => undefined);
const isLinkLoop = (path: string): Promise<boolean> =>
  stat(path).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ELOOP',
  );

async function locate(item: RunPath): Promise<Located> {
  const absolute = resolve(item.path);
  const stats = await statOrUndefined(absolute);
  const folder = await realpath(dirname(absolute)).catch(() => dirname(absolute));
  const real = stats
    ? await realpath(absolute).catch(() => join(folder, basename(absolute)))
    : join(folder, basename(absolute));
  return { ...item, real, inode: stats ? `${stats.dev}:${stats.ino}` : undefined, stats };
}

/** The names a path occupies: a database also owns its journal files. */
function names(item: Located): string[] {
  return item.use === 'database' || item.use === 'lookup'
    ? [item.real, ...DATABASE_SIDECARS.map((s) => item.real + s)]
    : [item.real];
}

/** A path as a message names it: by its option (`--report out.html`; in Portuguese the input by its name alone). */
const where = (item: RunPath): Message =>
  message('errors.part.where', { option: item.option === '-o (its lock)' ? 'lock' : item.option, path: item.path });

function overlap(a: Located, b: Located): boolean {
  if (a.inode !== undefined && a.inode === b.inode) return true;
  const taken = new Set(names(a));
  return names(b).some((name) => taken.has(name));
}

/**
 * `mkdir -p` one level at a time: Node's recursive mkdir never returns for a folder under /proc
 * (measured on Node 20), and a check must not hang.
 */
async function makeFolder(folder: string): Promise<void> {
  const missing: string[] = [];
  for (let current = folder; !(await statOrUndefined(current)); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing) {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/** Creates the folder if needed, then proves a file can be made in it (root on /proc passes `access` and still fails). */
async function checkWritableFolder(item: Located): Promise<void> {
  const folder = dirname(item.real);
  const fail = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new FluenceError('PATH_NOT_WRITABLE', message('errors.pathNotWritable', { path: where(item), folder, code }));
  };
  await makeFolder(folder).catch(fail);
  // The pid alone is not enough: runs of one process (the web page's server) check at once.
  const probe = join(folder, `.fluence-enrich-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await open(probe, 'wx').catch(fail);
  await handle.close();
  await rm(probe, { force: true });
  if (item.stats) await access(item.real, constants.W_OK).catch(fail);
}

/**
 * Every path a run will read or write, checked before anything is spent: the input exists and is
 * a file; each output is not a folder and its folder exists (made if missing) and takes files;
 * and no two of them are the same file, by name or by identity (links, another path to it).
 * Standard input and output (`-`) are not files and are left out by the caller.
 */
export async function checkPaths(items: readonly RunPath[]): Promise<void> {
  const located = await Promise.all(items.map(locate));
  for (const item of located) {
    if (item.use === 'read') {
      if (!item.stats) {
        // A link that loops has no file behind it either, but "no such file" would send the user looking for one.
        if (await isLinkLoop(item.path))
          throw new FluenceError(
            'INPUT_UNREADABLE',
            message('errors.inputUnreadable.file', { name: where(item), what: 'loop', code: 'ELOOP' }),
          );
        throw new FluenceError('INPUT_NOT_FOUND', message('errors.inputNotFound', { path: where(item) }));
      }
      if (item.stats.isDirectory())
        throw new FluenceError('INPUT_IS_DIRECTORY', message('errors.inputIsDirectory', { path: where(item) }));
      continue;
    }
    if (item.stats?.isDirectory()) {
      throw new FluenceError(
        'PATH_IS_DIRECTORY',
        message('errors.pathIsDirectory', {
          path: where(item),
          example: join(item.path, item.use === 'database' ? 'checkpoint.sqlite' : 'run.out'),
        }),
      );
    }
  }
  for (let i = 0; i < located.length; i++) {
    for (let j = i + 1; j < located.length; j++) {
      const [a, b] = [located[i]!, located[j]!];
      if (overlap(a, b)) {
        throw new FluenceError('PATHS_OVERLAP', message('errors.pathsOverlap', { path: where(b), other: where(a) }));
      }
    }
  }
  for (const item of located) if (item.use === 'write' || item.use === 'database') await checkWritableFolder(item);
}

/**
 * The files a run touches, from its config: the one list every path option goes through, so a
 * new option (a report, say) cannot skip the checks. `estimate` reads the checkpoint, writes nothing.
 */
export function runPaths(
  config: {
    input: string;
    output: string;
    checkpoint: string;
    sharedCache: boolean;
    summaryPath: string | undefined;
    reportPath?: string | undefined;
  },
  purpose: 'enrich' | 'estimate',
): RunPath[] {
  const items: RunPath[] = [];
  if (config.input !== '-') items.push({ option: 'input', path: config.input, use: 'read' });
  if (purpose === 'enrich' && config.output !== '-') {
    items.push({ option: '-o', path: config.output, use: 'write' });
    // The lock beside the output (see output-lock.ts) is a file of the run's too: no option may name it.
    items.push({ option: '-o (its lock)', path: lockPathOf(config.output), use: 'write' });
  }
  items.push({
    option: config.sharedCache ? '--cache' : '--checkpoint',
    path: config.checkpoint,
    use: purpose === 'enrich' ? 'database' : 'lookup',
  });
  if (purpose === 'estimate') return items;
  if (config.summaryPath !== undefined) items.push({ option: '--summary', path: config.summaryPath, use: 'write' });
  if (config.reportPath !== undefined) items.push({ option: '--report', path: config.reportPath, use: 'write' });
  return items;
}
