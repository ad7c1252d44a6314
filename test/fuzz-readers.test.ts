import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FluenceError } from '../src/errors.js';
import { scan } from '../src/input/shape.js';

/**
 * Property-based fuzzing of the readers through the function the first pass calls (`scan`: the
 * dialect, the CSV reader or the workbook reader, the header and row rules). Whatever the bytes, it
 * ends in a result or a coded `FluenceError`: never another error (a stack for the user), never a
 * hang, and the heap stays within a bound. Seeded, so a failure reproduces; bounded in time.
 */

const SEED = 20261207;
/** One case may take this long before it counts as a hang. */
const CASE_MS = 5_000;
/** Heap a case may leave grown, past which memory counts as unbounded. */
const HEAP_BOUND = 256 * 1024 * 1024;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fe-fuzz-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let cases = 0;
/** Scans `bytes` written as `name`; returns what it ended with, failing on anything but a result or a FluenceError. */
async function scanBytes(bytes: Uint8Array, name: string): Promise<string> {
  const path = join(dir, `${cases++}-${name}`);
  await writeFile(path, bytes);
  const heapBefore = process.memoryUsage().heapUsed;
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: no answer in ${CASE_MS} ms`)), CASE_MS);
  });
  try {
    const shape = await Promise.race([
      scan({ input: path, encoding: undefined, delimiter: undefined, map: {}, noHeader: false }),
      hang,
    ]);
    return `rows ${shape.rows}`;
  } catch (error) {
    if (!(error instanceof FluenceError)) throw error;
    // A coded error says its code, and no raw stack or parser text reaches the user.
    expect(error.message).not.toMatch(/\n\s+at |undefined entity|Invalid string length|FILE_ENDED/);
    return error.code;
  } finally {
    clearTimeout(timer);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(HEAP_BOUND);
    await rm(path, { force: true });
  }
}

/** Pieces a CSV is made of, and the ones that break it. */
const csvPiece = fc.oneof(
  fc.constantFrom(
    'primeiro_nome,ultimo_nome,empresa\n',
    'nome;empresa\r\n',
    'Ana,Souza,Acme\n',
    'Rui;Lima;Beta Ltda\r',
    '"Ana ""A"" Souza",Moura,"Acme, Inc"\n',
    '"',
    '""',
    ',',
    ';',
    '\t',
    '|',
    '\r',
    '\n',
    '\r\n',
    '\u0000',
    '\uFEFF',
    '=HYPERLINK("x")',
    'Ger\u00e2ncia',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

const csvBytes = fc.oneof(
  fc.array(csvPiece, { maxLength: 60 }).map((parts) => new Uint8Array(Buffer.from(parts.join(''), 'utf8'))),
  // Raw bytes: invalid UTF-8, UTF-16 look-alikes, zip and OLE magic numbers.
  fc
    .tuple(
      fc.constantFrom('', 'PK\u0003\u0004', '\u00d0\u00cf\u0011\u00e0', '\u00ff\u00fe'),
      fc.uint8Array({ maxLength: 400 }),
    )
    .map(([magic, rest]) => new Uint8Array(Buffer.concat([Buffer.from(magic, 'latin1'), Buffer.from(rest)]))),
  // A valid header with rows, then one damaged byte run.
  fc
    .tuple(fc.array(csvPiece, { maxLength: 20 }), fc.uint8Array({ minLength: 1, maxLength: 8 }))
    .map(
      ([parts, noise]) =>
        new Uint8Array(
          Buffer.concat([Buffer.from(`primeiro_nome,ultimo_nome,empresa\n${parts.join('')}`), Buffer.from(noise)]),
        ),
    ),
);

const XLSX = fileURLToPath(new URL('../fixtures/xlsx/formats.xlsx', import.meta.url));

/** Ways a workbook's XML goes wrong: text dropped in, cut short, entities, tags out of place. */
const xmlDamage = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom(
        '&undefined;',
        '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
        '<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>x</t></is></c></row>',
        '<row r="2"><c r="A2"><v>1</v></c></row>',
        '<c r="A2" t="s"><v>99999</v></c>',
        '<c r="XFE1" t="n"><v>1e400</v></c>',
        '</worksheet>',
        '<![CDATA[',
        '\u0000',
        '\uFFFD',
      ),
      fc.string({ maxLength: 30 }),
    ),
  }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);

const PARTS = [
  'xl/worksheets/sheet1.xml',
  'xl/sharedStrings.xml',
  'xl/workbook.xml',
  'xl/styles.xml',
  '[Content_Types].xml',
];

async function damagedWorkbook(
  part: string,
  damage: { kind: 'insert' | 'cut'; at: number; text?: string },
): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(readFileSync(XLSX));
  const file = zip.file(part);
  if (file) {
    const xml = await file.async('string');
    const at = damage.at % (xml.length + 1);
    zip.file(part, damage.kind === 'cut' ? xml.slice(0, at) : xml.slice(0, at) + (damage.text ?? '') + xml.slice(at));
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** Zip bytes flipped at random: a directory that lies, an entry cut short. */
const zipFlips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 });

describe('fuzzing the readers through the first pass: a result or a coded error, never a stack, a hang or unbounded memory', () => {
  it('CSV: arbitrary text and bytes', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(csvBytes, async (bytes) => {
        const ended = await scanBytes(bytes, 'in.csv');
        seen.set(ended, (seen.get(ended) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: 300, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false },
    );
    if (process.env.FUZZ_SHOW) console.log(seen);
    // The generator reaches both ends: files read, files refused.
    expect([...seen.keys()].some((k) => k.startsWith('rows'))).toBe(true);
    expect([...seen.keys()].some((k) => !k.startsWith('rows'))).toBe(true);
  });

  it('.xlsx: damaged XML parts and flipped zip bytes', async () => {
    const original = readFileSync(XLSX);
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ part: fc.constantFrom(...PARTS), damage: xmlDamage }).map((c) => ({ ...c, flips: undefined })),
          zipFlips.map((flips) => ({ part: undefined, damage: undefined, flips })),
        ),
        async ({ part, damage, flips }) => {
          let bytes: Uint8Array;
          if (flips) {
            const copy = Buffer.from(original);
            for (const [at, value] of flips) copy[at % copy.length] = value;
            bytes = new Uint8Array(copy);
          } else bytes = await damagedWorkbook(part!, damage!);
          seen.add(await scanBytes(bytes, 'in.xlsx'));
        },
      ),
      { seed: SEED, numRuns: 150, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false },
    );
    if (process.env.FUZZ_SHOW) console.log([...seen]);
    expect(seen.size).toBeGreaterThan(1);
  });
});
