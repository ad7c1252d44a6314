import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../src/output/csv-line.js';

/** Seeded, so a failure names a case that reproduces. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = ['a', 'Z', '0', ' ', ',', ';', '\t', '|', '"', "'", '\r', '\n', '\r\n', 'ç', 'ã', '€', '😀', '=', '\\', '\u00a0', ''];

function randomCells(next: () => number): string[] {
  return Array.from({ length: 1 + Math.floor(next() * 6) }, () =>
    Array.from({ length: Math.floor(next() * 8) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join(''),
  );
}

describe('output CSV lines', () => {
  for (const delimiter of [',', ';', '\t', '|', '😀', '.']) {
    for (const eol of ['\n', '\r\n'] as const) {
      it(`match csv-stringify byte for byte and read back the same (delimiter ${JSON.stringify(delimiter)}, eol ${JSON.stringify(eol)})`, () => {
        const next = random(delimiter.charCodeAt(0) * 7 + eol.length);
        const line = csvLine(delimiter, eol);
        for (let n = 0; n < 3000; n++) {
          const cells = randomCells(next);
          const ours = line(cells);
          // quote_record_delimiter: given a record_delimiter, csv-stringify 6.9 otherwise leaves a lone
          // CR or LF unquoted, which breaks the row in Excel (our first writer had that bug).
          expect(ours, JSON.stringify(cells)).toBe(stringify([cells], { delimiter, record_delimiter: eol === '\r\n' ? 'windows' : 'unix', quote_record_delimiter: true }));
          expect(parse(ours, { delimiter, relax_column_count: true })).toEqual([cells]);
        }
      });
    }
  }

  it('quotes a field only when it must', () => {
    const line = csvLine(',', '\n');
    expect(line(['plain', 'São Paulo', ' spaced ', ''])).toBe('plain,São Paulo, spaced ,\n');
    expect(line(['a,b', 'say "hi"', 'two\nlines', 'cr\r'])).toBe('"a,b","say ""hi""","two\nlines","cr\r"\n');
    expect(csvLine(';', '\r\n')(['1,5', 'a;b'])).toBe('1,5;"a;b"\r\n');
  });
});
