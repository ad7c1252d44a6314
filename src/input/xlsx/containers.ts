import { open } from 'node:fs/promises';
import { FluenceError } from '../../errors.js';
import { message } from '../../i18n/message.js';

/** A Compound File's signature (OLE2): Excel 97-2003 `.xls`, and the envelope of an encrypted `.xlsx`. */
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export const isCompoundFile = (sample: Buffer): boolean => sample.subarray(0, 8).equals(CFB_MAGIC);
export const isZip = (sample: Buffer): boolean => sample.subarray(0, 4).equals(ZIP_MAGIC);

/** Sectors followed at most along the directory's chain: a real file has a handful; a loop is not followed for ever. */
const MAX_DIRECTORY_SECTORS = 4096;
const END_OF_CHAIN = 0xfffffffa;

/**
 * The names of a Compound File's streams and storages, read from its directory (MS-CFB: the
 * header's FAT sector list, then the directory's sector chain). Only the directory is read.
 */
export async function compoundFileNames(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead < length) throw new Error('the file ends inside its directory');
      return buffer;
    };
    const header = await read(0, 512);
    const sectorSize = 1 << header.readUInt16LE(0x1e);
    if (sectorSize !== 512 && sectorSize !== 4096) throw new Error(`sector size ${sectorSize}`);
    const perSector = sectorSize / 4;
    // The FAT's sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
    const fatSectors: number[] = [];
    for (let i = 0; i < 109; i++) fatSectors.push(header.readUInt32LE(0x4c + 4 * i));
    for (let difat = header.readUInt32LE(0x44), n = 0; difat < END_OF_CHAIN && n < MAX_DIRECTORY_SECTORS; n++) {
      const sector = await read((difat + 1) * sectorSize, sectorSize);
      for (let i = 0; i < perSector - 1; i++) fatSectors.push(sector.readUInt32LE(4 * i));
      difat = sector.readUInt32LE(sectorSize - 4);
    }
    const next = async (sector: number): Promise<number> => {
      const fat = fatSectors[Math.floor(sector / perSector)];
      if (fat === undefined || fat >= END_OF_CHAIN) return END_OF_CHAIN;
      return (await read((fat + 1) * sectorSize + (sector % perSector) * 4, 4)).readUInt32LE(0);
    };
    const names: string[] = [];
    for (let sector = header.readUInt32LE(0x30), n = 0; sector < END_OF_CHAIN && n < MAX_DIRECTORY_SECTORS; n++) {
      const entries = await read((sector + 1) * sectorSize, sectorSize);
      for (let at = 0; at < sectorSize; at += 128) {
        const length = entries.readUInt16LE(at + 64);
        // Type 0 is an unused entry; a name is at most 31 characters and its terminating zero.
        if (entries[at + 66] === 0 || length < 2 || length > 64) continue;
        names.push(entries.toString('utf16le', at, at + length - 2));
      }
      sector = await next(sector);
    }
    return names;
  } finally {
    await handle.close();
  }
}

/**
 * What to say about a Compound File: an encrypted workbook (its package sits in an
 * `EncryptedPackage` stream beside `EncryptionInfo`), an Excel 97-2003 workbook (a `Workbook`
 * stream, `Book` in Excel 5), or another old Office document. Each says what to do.
 */
export async function compoundFileError(path: string, name: string): Promise<FluenceError> {
  const names = await compoundFileNames(path).catch(() => [] as string[]);
  if (names.includes('EncryptionInfo') || names.includes('EncryptedPackage')) {
    return new FluenceError('INPUT_ENCRYPTED', message('errors.inputEncrypted', { name }));
  }
  if (names.includes('Workbook') || names.includes('Book')) {
    return new FluenceError('INPUT_IS_XLS', message('errors.inputIsXls', { name }));
  }
  return new FluenceError('INPUT_NOT_XLSX', message('errors.inputNotXlsx.compound', { name }));
}

/** What a zip holds: an .xlsx workbook, an OpenDocument spreadsheet, a binary Excel workbook, or something else. */
export async function zipKind(path: string): Promise<'xlsx' | 'ods' | 'xlsb' | 'other'> {
  // The zip library is loaded only for a zip (it takes ~80 ms to load; most inputs are CSV).
  const { openZip, partText, zipEntry } = await import('./workbook.js');
  const zip = await openZip(path);
  const mimetype = zipEntry(zip, 'mimetype');
  if (mimetype && (await partText(path, mimetype)).trim().startsWith('application/vnd.oasis.opendocument.spreadsheet'))
    return 'ods';
  if (zipEntry(zip, 'xl/workbook.bin')) return 'xlsb';
  const rels = zipEntry(zip, '_rels/.rels');
  if (
    zipEntry(zip, 'xl/workbook.xml') ||
    (rels &&
      /\/officeDocument"/.test(await partText(path, rels)) &&
      !zipEntry(zip, 'word/document.xml') &&
      !zipEntry(zip, 'ppt/presentation.xml'))
  )
    return 'xlsx';
  return 'other';
}

/** An OpenDocument or binary Excel workbook: what it is and how to make a file this tool reads. */
export function foreignWorkbookError(kind: 'ods' | 'xlsb', name: string): FluenceError {
  if (kind === 'ods') {
    return new FluenceError('INPUT_IS_ODS', message('errors.inputIsOds', { name }));
  }
  return new FluenceError('INPUT_IS_XLSB', message('errors.inputIsXlsb', { name }));
}
