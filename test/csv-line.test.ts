import { parse } from 'csv-parse/sync';
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

const ALPHABET = [
  'a',
  'Z',
  '0',
  ' ',
  ',',
  ';',
  '\t',
  '|',
  '"',
  "'",
  '\r',
  '\n',
  '\r\n',
  'ç',
  'ã',
  '€',
  '😀',
  '=',
  '\\',
  '\u00a0',
  '',
];

function randomCells(next: () => number): string[] {
  return Array.from({ length: 1 + Math.floor(next() * 6) }, () =>
    Array.from({ length: Math.floor(next() * 8) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join(''),
  );
}

describe('output CSV lines (csv-stringify, configured by csvLine)', () => {
  for (const delimiter of [',', ';', '\t', '|', '😀', '.']) {
    for (const eol of ['\n', '\r\n'] as const) {
      it(`read back by csv-parse as written, one record a line (delimiter ${JSON.stringify(delimiter)}, eol ${JSON.stringify(eol)})`, () => {
        const next = random(delimiter.charCodeAt(0) * 7 + eol.length);
        const line = csvLine(delimiter, eol);
        for (let n = 0; n < 3000; n++) {
          const cells = randomCells(next);
          const ours = line(cells);
          expect(ours.endsWith(eol), JSON.stringify(cells)).toBe(true);
          expect(parse(ours, { delimiter, relax_column_count: true }), JSON.stringify(cells)).toEqual([cells]);
          // A CR or LF outside quotes would end the row early in Excel (a lone CR included).
          const unquoted = ours.slice(0, -eol.length).replace(/"(?:[^"]|"")*"/g, '');
          expect(unquoted, JSON.stringify(cells)).not.toMatch(/[\r\n]/);
        }
      });
    }
  }

  it('quotes a field only when it must: the bytes the hand-written encoder wrote before', () => {
    const line = csvLine(',', '\n');
    expect(line(['plain', 'São Paulo', ' spaced ', ''])).toBe('plain,São Paulo, spaced ,\n');
    expect(line(['a,b', 'say "hi"', 'two\nlines', 'cr\r'])).toBe('"a,b","say ""hi""","two\nlines","cr\r"\n');
    expect(csvLine(';', '\r\n')(['1,5', 'a;b'])).toBe('1,5;"a;b"\r\n');
    expect(csvLine(';', '\r\n')(['lone\ncr\r', 'crlf\r\n', '', '=1+1'])).toBe('"lone\ncr\r";"crlf\r\n";;=1+1\r\n');
    expect(csvLine('\t', '\n')(['a\tb', "it's"])).toBe('"a\tb"\tit\'s\n');
  });
});
