import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';
import { checkRegularFile } from './file-guard.js';
import { inputName, isStdinSpool } from './stdin.js';
import type { XlsxSheets } from './xlsx.js';
import { compoundFileError, foreignWorkbookError, isCompoundFile, isZip, zipKind } from './xlsx/containers.js';

/** How a CSV file is written: what Excel in pt-BR, a CRM export or a script each produce. */
export interface Dialect {
  /** An iconv-lite encoding name: 'utf8', 'windows-1252', 'utf16le', ... */
  encoding: string;
  delimiter: string;
  /** Whether the file starts with a byte order mark. */
  bom: boolean;
  /** How its lines end (`\r\n`, `\n`, `\r`), when the sample holds a line break: told to the parser, which otherwise looks for it at every character of the first line. */
  eol?: string;
  /** An .xlsx workbook, not text: the sheet read (`--sheet`, else the first visible tab) and its tabs. */
  xlsx?: XlsxSheets;
}

/** An .xlsx file: by its name, and by its bytes (a zip); standard input by its bytes alone. */
export const isXlsxPath = (path: string): boolean => /\.xlsx$/i.test(path);

export const DELIMITERS = [',', ';', '\t', '|'] as const;
const SAMPLE_BYTES = 64 * 1024;

/** The sample is UTF-8 if it decodes strictly (a character cut at the sample's end is fine). */
function isUtf8(sample: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * UTF-16 without a BOM (some exporters write it): mostly-Latin text leaves a zero byte in every
 * other position, after each character in little-endian, before it in big-endian. UTF-8 text has
 * no zero bytes, so this cannot mistake one for the other.
 */
export function sniffUtf16(sample: Buffer): 'utf16le' | 'utf16be' | undefined {
  const pairs = Math.floor(Math.min(sample.length, 4096) / 2);
  if (pairs < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) evenZeros += 1;
    if (sample[2 * i + 1] === 0) oddZeros += 1;
  }
  if (oddZeros >= pairs * 0.4 && evenZeros <= pairs * 0.05) return 'utf16le';
  if (evenZeros >= pairs * 0.4 && oddZeros <= pairs * 0.05) return 'utf16be';
  return undefined;
}

/** The delimiter that splits the first line most often (outside quotes); ',' on a tie or none. */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/**
 * Reads the start of the file to tell its encoding (BOM, strict UTF-8, else chardet's guess, with
 * ISO-8859-1 read as its superset Windows-1252, as Excel writes) and delimiter. Overrides win.
 */
export async function detectDialect(
  path: string,
  overrides: { encoding?: string | undefined; delimiter?: string | undefined; sheet?: string | undefined } = {},
): Promise<Dialect> {
  // Without blocking: opening a named pipe waits for a writer, and it is refused anyway.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let sample: Buffer;
  try {
    checkRegularFile(path, await handle.stat());
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    sample = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const name = inputName(path);
  // Workbooks this tool does not read, whatever they are called: said before anything is spent.
  if (isCompoundFile(sample)) throw await compoundFileError(path, name);
  if (isZip(sample)) {
    const kind = await zipKind(path);
    if (kind === 'ods' || kind === 'xlsb') throw foreignWorkbookError(kind, name);
    if (kind === 'xlsx' && (isXlsxPath(path) || overrides.sheet !== undefined || isStdinSpool(path))) {
      return {
        encoding: 'utf8',
        delimiter: ',',
        bom: false,
        xlsx: await (await import('./xlsx.js')).xlsxSheets(path, overrides.sheet),
      };
    }
    if (kind === 'xlsx') throw new FluenceError('INPUT_IS_ZIP', message('errors.inputIsZip', { name }));
    throw new FluenceError('INPUT_NOT_XLSX', message('errors.inputNotXlsx.zip', { name }));
  }
  if (isXlsxPath(path)) throw new FluenceError('INPUT_NOT_XLSX', message('errors.inputNotXlsx.notZip', { name }));
  if (overrides.sheet !== undefined) {
    throw new FluenceError(
      'BAD_OPTION',
      message('errors.badOption.sheet', { name, stdin: isStdinSpool(path) ? 'yes' : 'no' }),
    );
  }
  let encoding: string;
  let bom = false;
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) [encoding, bom] = ['utf8', true];
  else if (sample[0] === 0xff && sample[1] === 0xfe) [encoding, bom] = ['utf16le', true];
  else if (sample[0] === 0xfe && sample[1] === 0xff) [encoding, bom] = ['utf16be', true];
  else if (sniffUtf16(sample)) encoding = sniffUtf16(sample)!;
  else if (isUtf8(sample)) encoding = 'utf8';
  else {
    const guess = (chardet.detect(sample) ?? 'windows-1252').toLowerCase();
    encoding = guess === 'iso-8859-1' || guess === 'ascii' ? 'windows-1252' : guess;
  }
  if (overrides.encoding) encoding = checkEncoding(overrides.encoding);
  if (!iconv.encodingExists(encoding)) encoding = 'windows-1252';
  const text = iconv.decode(sample, encoding).replace(/^\uFEFF/, '');
  const eol = sniffLineEnding(text);
  return {
    encoding: normalizeName(encoding),
    delimiter: overrides.delimiter ?? sniffDelimiter(text),
    bom,
    ...(eol === undefined ? {} : { eol }),
  };
}

/** The first line break outside quotes: `\r\n`, `\n` or `\r` (undefined when the sample has none, or ends on a lone CR). */
export function sniffLineEnding(text: string): string | undefined {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '\n') return '\n';
    else if (!quoted && char === '\r') return i + 1 < text.length ? (text[i + 1] === '\n' ? '\r\n' : '\r') : undefined;
  }
  return undefined;
}

function normalizeName(encoding: string): string {
  const lower = encoding.toLowerCase().replace(/[^a-z0-9]/g, '');
  return lower === 'utf8' ? 'utf8' : encoding.toLowerCase();
}

/** `--encoding`: any name iconv-lite knows (utf8, latin1, windows-1252, utf16le, ...). */
export function checkEncoding(name: string): string {
  if (!iconv.encodingExists(name)) {
    throw new FluenceError('BAD_OPTION', message('errors.badOption.encoding', { name }));
  }
  return name;
}

/** `--delimiter`: one character; `tab` and `\\t` name the tab. */
export function checkDelimiter(value: string): string {
  const delimiter = value === 'tab' || value === '\\t' ? '\t' : value;
  if ([...delimiter].length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new FluenceError('BAD_OPTION', message('errors.badOption.delimiter', { value: JSON.stringify(value) }));
  }
  return delimiter;
}
