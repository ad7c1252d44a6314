import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { FluenceError } from '../errors.js';
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

/** What a path is, in a person's words, when it is not a file this tool reads. */
function notAFile(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isFIFO()) return 'a named pipe (FIFO), not a file';
  if (stats.isCharacterDevice()) return 'a device (like /dev/zero or a terminal), not a file';
  if (stats.isBlockDevice()) return 'a disk device, not a file';
  if (stats.isSocket()) return 'a socket, not a file';
  if (stats.isDirectory()) return 'a folder, not a file';
  return 'not a regular file';
}

/**
 * Refuses what is not a regular file: a pipe is read once (the second pass would block opening
 * it) and a device never ends. Standard input (`-`) is read once into a file of its own first,
 * so a pipe given as `-` works.
 */
export function checkRegularFile(path: string, stats: Stats): void {
  const what = notAFile(stats);
  if (what === undefined) return;
  throw new FluenceError(
    'INPUT_NOT_A_FILE',
    `${inputName(path)} is ${what}; give a CSV or .xlsx file, or pipe the data to standard input with - (cat export.csv | fluence-enrich enrich - ...), which is read once into a file of its own`,
  );
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
    new FluenceError('INPUT_UNREADABLE', `${name}: ${what}`, { cause: error });
  if (code === 'ENOENT') return said('no such file');
  if (code === 'ELOOP')
    return said('a symbolic link that leads back to itself (a loop); give the file it should point to');
  if (code === 'EISDIR') return said('is a folder; give a CSV file');
  if (code === 'EACCES' || code === 'EPERM') return said('permission denied');
  if (code === 'ENAMETOOLONG') return said('the path is too long');
  if (code === 'ENOTDIR') return said('a part of the path is a file, not a folder');
  if (code === 'EIO') return said('the disk reported an error reading it (EIO)');
  return said(`cannot be read (${code ?? 'an unknown error'})`);
}

/** The input's snapshot, refusing what is not a regular file. */
export async function takeSnapshot(path: string): Promise<FileSnapshot> {
  const stats = await statInput(path);
  checkRegularFile(path, stats);
  const { dev, ino, size, mtimeMs, ctimeMs } = stats;
  return { path, dev, ino, size, mtimeMs, ctimeMs };
}

/** What differs between the snapshot and `now`, in words; undefined when nothing does. */
function difference(was: FileSnapshot, now: Stats): string | undefined {
  if (now.dev !== was.dev || now.ino !== was.ino) return 'it was replaced by another file';
  if (now.size > was.size) return `it grew from ${was.size} to ${now.size} bytes`;
  if (now.size < was.size) return `it shrank from ${was.size} to ${now.size} bytes`;
  if (now.mtimeMs !== was.mtimeMs || now.ctimeMs !== was.ctimeMs) return 'it was written to';
  return undefined;
}

/** How the file differs from its snapshot, in words (undefined: it does not). */
export async function changeOf(snapshot: FileSnapshot): Promise<string | undefined> {
  const now = await stat(snapshot.path).catch((error: unknown) => {
    throw fileError(error, snapshot.path);
  });
  return difference(snapshot, now);
}

/**
 * Stops when the input is no longer what the run's first look saw. `when`: 'first pass' while the
 * first pass reads it (nothing was sent), 'rows' once requests may have left.
 */
export async function checkUnchanged(snapshot: FileSnapshot, when: 'first pass' | 'rows'): Promise<void> {
  const what = await changeOf(snapshot);
  if (what === undefined) return;
  const name = inputName(snapshot.path);
  const after =
    when === 'first pass'
      ? 'while the run was checking it; nothing was sent'
      : 'after the run checked it; no row added or changed since is sent, the output is not written, and the answers already received are kept (the next run does not pay for them again)';
  throw new FluenceError(
    'INPUT_CHANGED',
    `${name} changed ${after} (${what}): it is probably still being written. Wait for the export to finish, then run again`,
  );
}

/** A run's snapshot of its input, by the config object the run reads it with (see engine/input-file.ts). */
const snapshots = new WeakMap<object, FileSnapshot>();

export const rememberSnapshot = (config: object, snapshot: FileSnapshot): void => {
  snapshots.set(config, snapshot);
};

/** The snapshot the run reading with `config` took, if any (a library caller's `scan` has none). */
export const snapshotOf = (config: object): FileSnapshot | undefined => snapshots.get(config);
