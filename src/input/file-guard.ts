import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { FluenceError } from '../errors.js';
import { message, render, type Message } from '../i18n/message.js';
import { inputName } from './stdin.js';

/**
 * What a file was when a run first looked at it: the bytes both passes read (no more), and what
 * tells a changed file (another inode, size, modification or change time: the change time moves
 * with every write and cannot be set back by the writer).
 */
export interface FileSnapshot {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** What a path is, when it is not a file this tool reads (said by `errors.inputNotAFile`). */
function notAFile(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isFIFO()) return 'fifo';
  if (stats.isCharacterDevice()) return 'device';
  if (stats.isBlockDevice()) return 'disk';
  if (stats.isSocket()) return 'socket';
  if (stats.isDirectory()) return 'folder';
  return 'other';
}

/**
 * Refuses what is not a regular file: a pipe is read once (the second pass would block opening
 * it) and a device never ends. Standard input (`-`) is read once into a file of its own first,
 * so a pipe given as `-` works.
 */
export function checkRegularFile(path: string, stats: Stats): void {
  const what = notAFile(stats);
  if (what === undefined) return;
  throw new FluenceError('INPUT_NOT_A_FILE', message('errors.inputNotAFile', { name: inputName(path), what }));
}

/** A path's stats, its errors in a person's terms (a link that loops, no such file, no permission). */
export async function statInput(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    throw fileError(error, path);
  }
}

/** An error of the file system about the input, said as what it means for the user. */
export function fileError(error: unknown, path: string): FluenceError {
  const code = (error as NodeJS.ErrnoException).code;
  const name = inputName(path);
  const said = (what: string): FluenceError =>
    new FluenceError('INPUT_UNREADABLE', message('errors.inputUnreadable.file', { name, what, code: code ?? '' }), {
      cause: error,
    });
  if (code === 'ENOENT') return said('missing');
  if (code === 'ELOOP') return said('loop');
  if (code === 'EISDIR') return said('folder');
  if (code === 'EACCES' || code === 'EPERM') return said('denied');
  if (code === 'ENAMETOOLONG') return said('long');
  if (code === 'ENOTDIR') return said('notFolder');
  if (code === 'EIO') return said('disk');
  return said('other');
}

/** The input's snapshot, refusing what is not a regular file. */
export async function takeSnapshot(path: string): Promise<FileSnapshot> {
  const stats = await statInput(path);
  checkRegularFile(path, stats);
  const { dev, ino, size, mtimeMs, ctimeMs } = stats;
  return { path, dev, ino, size, mtimeMs, ctimeMs };
}

/** What differs between the snapshot and `now`, in words; undefined when nothing does. */
function difference(was: FileSnapshot, now: Stats): Message | undefined {
  const how = (change: string): Message => message('errors.inputChanged.how', { change, was: was.size, now: now.size });
  if (now.dev !== was.dev || now.ino !== was.ino) return how('replaced');
  if (now.size > was.size) return how('grew');
  if (now.size < was.size) return how('shrank');
  if (now.mtimeMs !== was.mtimeMs || now.ctimeMs !== was.ctimeMs) return how('written');
  return undefined;
}

/** How the file differs from its snapshot, in words (undefined: it does not). */
async function changeWords(snapshot: FileSnapshot): Promise<Message | undefined> {
  const now = await stat(snapshot.path).catch((error: unknown) => {
    throw fileError(error, snapshot.path);
  });
  return difference(snapshot, now);
}

/** How the file differs from its snapshot, in English, for the log (undefined: it does not). */
export async function changeOf(snapshot: FileSnapshot): Promise<string | undefined> {
  const what = await changeWords(snapshot);
  return what && render('en', what);
}

/**
 * Stops when the input is no longer what the run's first look saw. `when`: 'first pass' while the
 * first pass reads it (nothing was sent), 'rows' once requests may have left.
 */
export async function checkUnchanged(snapshot: FileSnapshot, when: 'first pass' | 'rows'): Promise<void> {
  const what = await changeWords(snapshot);
  if (what === undefined) return;
  const name = inputName(snapshot.path);
  throw new FluenceError(
    'INPUT_CHANGED',
    message('errors.inputChanged', { name, when: when === 'first pass' ? 'checking' : 'rows', what }),
  );
}

/** A run's snapshot of its input, by the config object the run reads it with (see engine/input-file.ts). */
const snapshots = new WeakMap<object, FileSnapshot>();

export const rememberSnapshot = (config: object, snapshot: FileSnapshot): void => {
  snapshots.set(config, snapshot);
};

/** The snapshot the run reading with `config` took, if any (a library caller's `scan` has none). */
export const snapshotOf = (config: object): FileSnapshot | undefined => snapshots.get(config);
