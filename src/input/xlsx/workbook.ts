import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import unzipper, { type CentralDirectory, type File } from 'unzipper';
import { FluenceError } from '../../errors.js';
import { message } from '../../i18n/message.js';
import { inputName } from '../stdin.js';
import { LIMITS } from './limits.js';
import { malformed, notUtf8 } from './refusals.js';
import { attribute, parseXml, strictDecoder } from './xml.js';

/** A tab of the workbook, in the order Excel shows the tabs. */
export interface SheetTab {
  name: string;
  state: 'visible' | 'hidden' | 'veryHidden';
  /** A worksheet holds cells; a chart sheet (or a macro or dialog sheet) does not. */
  kind: 'worksheet' | 'other';
  /** The zip entry of its XML. */
  part: string | undefined;
}

/** What the workbook's own parts say: its tabs, and where the shared parts are. */
export interface Workbook {
  /** The file, whose entries are read from it directly. */
  path: string;
  zip: CentralDirectory;
  tabs: SheetTab[];
  /** Dates counted from 1904 (old Mac Excel) rather than 1900. */
  date1904: boolean;
  /**
   * The workbook asks to be recomputed when opened (`fullCalcOnLoad`): what openpyxl, pandas and
   * XlsxWriter write, whose formula results are missing or a placeholder 0, never computed.
   */
  recalcOnOpen: boolean;
  sharedStrings: File | undefined;
  styles: File | undefined;
}

const OFFICE_DOCUMENT = /\/officeDocument$/;

/** A file named .xlsx that the zip reader cannot read, and what to do about it. */
export const notAWorkbook = (path: string, error: unknown): FluenceError =>
  new FluenceError(
    'INPUT_UNREADABLE',
    message('errors.inputUnreadable.workbook', { name: inputName(path), reason: (error as Error).message }),
    { cause: error },
  );

/**
 * The zip's directory (read from its end: no entry is decompressed). Two entries of one name
 * (compared without case, as `zipEntry` finds them) are refused: which one a reader takes is its
 * own choice, and another program could show the other.
 */
export async function openZip(path: string): Promise<CentralDirectory> {
  let zip: CentralDirectory;
  try {
    zip = await unzipper.Open.file(path);
  } catch (error) {
    throw notAWorkbook(path, error);
  }
  const seen = new Set<string>();
  for (const file of zip.files) {
    const name = file.path.toLowerCase();
    if (seen.has(name))
      throw malformed(
        path,
        `its zip holds two entries named ${JSON.stringify(file.path)}, so which one is the workbook's is not known`,
      );
    seen.add(name);
  }
  return zip;
}

/** An entry by its path; names are compared without case, as some writers change it. */
export function zipEntry(zip: CentralDirectory, path: string): File | undefined {
  const exact = zip.files.find((file) => file.path === path);
  if (exact) return exact;
  const lower = path.toLowerCase();
  return zip.files.find((file) => file.path.toLowerCase() === lower);
}

/**
 * A small part's text (workbook, relationships, styles), read whole: up to `LIMITS.smallPart`
 * bytes as inflated, whatever the zip's directory claims, and strictly UTF-8.
 */
export async function partText(path: string, file: File): Promise<string> {
  const tooLarge = (): Error =>
    malformed(
      path,
      `its part ${file.path} inflates to more than ${LIMITS.smallPart / 1024 / 1024} MB, which no spreadsheet program writes`,
    );
  const decode = strictDecoder(() => notUtf8(path, `its part ${file.path}`));
  let text = '';
  for await (const chunk of await entryStream(path, file, { bytes: LIMITS.smallPart, error: tooLarge }))
    text += decode(chunk as Buffer);
  return (text + decode()).replace(/^\uFEFF/, '');
}

/** Most bytes an entry may inflate to, and the error past them. */
export interface InflateLimit {
  bytes: number;
  error: (inflated: number) => Error;
}

/** Counts the bytes an entry actually inflates to, and stops it past `limit` (the directory's sizes may lie). */
class Counted extends Transform {
  inflated = 0;
  readonly #limit: InflateLimit;

  constructor(limit: InflateLimit) {
    super();
    this.#limit = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.inflated += chunk.length;
    if (this.inflated > this.#limit.bytes) return callback(this.#limit.error(this.inflated));
    callback(null, chunk);
  }
}

/**
 * An entry's bytes as a stream, inflated straight from the file: unzipper's own entry stream
 * takes 8-12 times as long (measured: a 45 MB sheet in 600-800 ms against 50-110 ms).
 */
export async function entryStream(path: string, file: File, limit?: InflateLimit): Promise<Readable> {
  const stream = await rawEntryStream(path, file);
  if (!limit) return stream;
  const counted = new Counted(limit);
  stream.on('error', (error) => counted.destroy(error));
  counted.on('close', () => stream.destroy());
  return stream.pipe(counted);
}

async function rawEntryStream(path: string, file: File): Promise<Readable> {
  if (file.flags & 1) throw new Error(`${file.path} is encrypted inside the zip`);
  const handle = await open(path, 'r');
  const local = Buffer.alloc(30);
  try {
    await handle.read(local, 0, 30, file.offsetToLocalFileHeader);
  } finally {
    await handle.close();
  }
  if (local.readUInt32LE(0) !== 0x04034b50)
    throw new Error(`${file.path}: no local header where the zip's directory says`);
  // The local header's name and extra field may differ in length from the directory's.
  const start = file.offsetToLocalFileHeader + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (file.compressedSize === 0) return Readable.from([]);
  const raw = createReadStream(path, { start, end: start + file.compressedSize - 1, highWaterMark: 64 * 1024 });
  if (file.compressionMethod === 0) return raw;
  if (file.compressionMethod !== 8)
    throw new Error(
      `${file.path} is compressed with method ${file.compressionMethod}; only deflate (8) and none (0) are read`,
    );
  const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
  raw.on('error', (error) => inflate.destroy(error));
  // A reader that stops early (a probe of a sheet's first rows) closes the file too.
  inflate.on('close', () => raw.destroy());
  return raw.pipe(inflate);
}

/** A relationship's target as a zip path: relative to the part that names it, or absolute from the root. */
export function resolveTarget(source: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return posix.normalize(posix.join(posix.dirname(source), target));
}

/** The relationships of `source` (its `_rels/NAME.rels`): id -> { type, zip path }. */
async function relationships(
  path: string,
  zip: CentralDirectory,
  source: string,
): Promise<Map<string, { type: string; part: string }>> {
  const rels = new Map<string, { type: string; part: string }>();
  const file = zipEntry(zip, posix.join(posix.dirname(source), '_rels', `${posix.basename(source)}.rels`));
  if (!file) return rels;
  parseXml(await partText(path, file), {
    open(name, tag) {
      if (name !== 'Relationship') return;
      const id = attribute(tag, 'Id');
      const target = attribute(tag, 'Target');
      // An external target (a link to another file) is no part of this one.
      if (id === undefined || target === undefined || attribute(tag, 'TargetMode') === 'External') return;
      rels.set(id, { type: attribute(tag, 'Type') ?? '', part: resolveTarget(source, target) });
    },
  });
  return rels;
}

/**
 * The workbook's tabs as Excel shows them: `<sheets>` in `workbook.xml` is the tab order, and each
 * tab's XML is found through the workbook's relationships by id (never by the file's name: a
 * reordered workbook keeps `sheet1.xml` for what is now its second tab).
 */
export async function readWorkbook(path: string, zip: CentralDirectory): Promise<Workbook> {
  const root = await relationships(path, zip, '');
  const main = [...root.values()].find((rel) => OFFICE_DOCUMENT.test(rel.type))?.part ?? 'xl/workbook.xml';
  const file = zipEntry(zip, main);
  if (!file) throw notAWorkbook(path, new Error(`it has no ${main}`));
  const rels = await relationships(path, zip, main);
  const declared: Array<{ name: string; state: SheetTab['state']; id: string | undefined }> = [];
  let date1904 = false;
  let recalcOnOpen = false;
  try {
    const text = await partText(path, file);
    parseXml(text, {
      open(name, tag) {
        if (name === 'sheet') {
          const state = attribute(tag, 'state');
          declared.push({
            name: attribute(tag, 'name') ?? '',
            state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
            id: attribute(tag, 'id'),
          });
        } else if (name === 'workbookPr') {
          date1904 = isTrue(attribute(tag, 'date1904'));
        } else if (name === 'calcPr') {
          recalcOnOpen = isTrue(attribute(tag, 'fullCalcOnLoad'));
        }
      },
    });
  } catch (error) {
    throw error instanceof FluenceError ? error : notAWorkbook(path, error);
  }
  const tabs = declared.map(({ name, state, id }): SheetTab => {
    const rel = id === undefined ? undefined : rels.get(id);
    const part = rel && zipEntry(zip, rel.part)?.path;
    return { name, state, kind: rel?.type.endsWith('/worksheet') && part ? 'worksheet' : 'other', part };
  });
  const byType = (suffix: string): File | undefined => {
    const rel = [...rels.values()].find((r) => r.type.endsWith(suffix));
    return rel ? zipEntry(zip, rel.part) : undefined;
  };
  return {
    path,
    zip,
    tabs,
    date1904,
    recalcOnOpen,
    sharedStrings: byType('/sharedStrings'),
    styles: byType('/styles'),
  };
}

const isTrue = (value: string | undefined): boolean => value === '1' || value === 'true';
