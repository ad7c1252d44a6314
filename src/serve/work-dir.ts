import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * The work folder `serve` keeps everything in: `uploads/` (each file under a generated name, its
 * original name as data beside it), `runs/<id>/` (output, summary, report, `run.json`) and one
 * `cache.sqlite` every run from the page shares, so next week's export pays only for new contacts.
 */
export class WorkDir {
  readonly root: string;
  readonly uploads: string;
  readonly runs: string;
  readonly cache: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.uploads = join(this.root, 'uploads');
    this.runs = join(this.root, 'runs');
    this.cache = join(this.root, 'cache.sqlite');
  }

  async ensure(): Promise<void> {
    await mkdir(this.uploads, { recursive: true });
    await mkdir(this.runs, { recursive: true });
  }

  /** An upload's bytes: the id is checked by `isId`, so a path is never made from a request's text. */
  uploadFile(id: string, kind: 'csv' | 'xlsx'): string {
    return join(this.uploads, `${id}.${kind}`);
  }

  uploadMeta(id: string): string {
    return join(this.uploads, `${id}.json`);
  }

  runDir(id: string): string {
    return join(this.runs, id);
  }
}

/** A new id: time first (ids sort by age), then random (two at once never meet). */
export const newId = (): string => `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

/** Only ids `newId` could have made: anything else (`..`, a slash) is refused before it is near a path. */
export const isId = (text: string): boolean => /^[0-9a-z]{6,12}-[0-9a-f]{8}$/.test(text);

/** Written aside and renamed into place: a reader never sees half a file. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  const temp = `${path}.${randomBytes(3).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temp, path);
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
