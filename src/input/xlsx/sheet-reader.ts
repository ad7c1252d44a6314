import type { Readable } from 'node:stream';
import type { CellNumber, CellProblem } from '../input.js';
import { columnIndex, columnName, readCell, type CellContext, type RawCell } from './cells.js';
import { xmlParser } from './xml.js';

/** One row of a sheet: `line` is its row number in the spreadsheet. */
export interface SheetRow {
  line: number;
  cells: string[];
  numbers?: CellNumber[];
  problems?: CellProblem[];
}

/** Rows handed on at a time (the reader's pace is the consumer's). */
const BATCH = 512;

/**
 * The rows of one worksheet's XML, parsed as its bytes are decompressed (never the whole sheet in
 * memory), a batch at a time. A row with nothing a person would see (only formatting) is no row,
 * as a blank line in a CSV; trailing empty cells are left off. `uncomputed` says why a formula
 * saved without its result stops the reading.
 */
export async function* readSheetRows(
  xml: Readable,
  context: CellContext,
  uncomputed: (ref: string, formula: string, placeholder: boolean) => Error,
): AsyncGenerator<SheetRow[]> {
  let ready: SheetRow[] = [];
  let done = false;
  let line = 0;
  let cells: string[] = [];
  let numbers: CellNumber[] | undefined;
  let problems: CellProblem[] | undefined;
  let column = -1;
  const cell: RawCell = { ref: '', type: undefined, style: 0, value: undefined, formula: undefined, inline: undefined };
  /** Which element's text is being collected, and the text so far. */
  let capture: 'v' | 'f' | 't' | undefined;
  let text = '';
  let phonetic = 0;
  let inCell = false;

  const endCell = (): void => {
    const read = readCell(cell, context);
    if (read.kind === 'uncomputed') throw uncomputed(cell.ref, read.formula, read.placeholder);
    if (read.kind === 'number') {
      cells[column] = read.text;
      (numbers ??= []).push({ column, value: read.value, format: read.format });
      return;
    }
    if (read.text === '') return;
    cells[column] = read.text;
    if (read.kind === 'error') (problems ??= []).push({ column, cell: cell.ref, problem: read.text });
  };

  const endRow = (): void => {
    if (cells.length > 0) {
      for (let i = 0; i < cells.length; i++) cells[i] ??= '';
      const row: SheetRow = { line, cells };
      if (numbers) row.numbers = numbers;
      if (problems) row.problems = problems;
      ready.push(row);
    }
    cells = [];
    numbers = undefined;
    problems = undefined;
  };

  // A cell's attributes are never prefixed (unprefixed attributes are in no namespace): read directly.
  const parser = xmlParser({
    open(name, tag) {
      const attributes = tag.attributes;
      if (done) return;
      switch (name) {
        case 'row': {
          const r = attributes.r;
          line = r === undefined ? line + 1 : Number(r);
          column = -1;
          break;
        }
        case 'c': {
          const r = attributes.r;
          const at = r === undefined ? -1 : columnIndex(r);
          column = at >= 0 ? at : column + 1;
          cell.ref = r ?? `${columnName(column)}${line}`;
          cell.type = attributes.t;
          const s = attributes.s;
          cell.style = s === undefined ? 0 : Number(s);
          cell.value = undefined;
          cell.formula = undefined;
          cell.inline = undefined;
          inCell = true;
          break;
        }
        case 'v':
        case 'f':
          if (inCell) [capture, text] = [name, ''];
          break;
        case 'is':
          if (inCell) cell.inline = '';
          break;
        case 'rPh':
          phonetic += 1;
          break;
        case 't':
          if (cell.inline !== undefined && phonetic === 0) [capture, text] = ['t', ''];
          break;
      }
    },
    close(name) {
      if (done) return;
      switch (name) {
        case 'v':
          if (capture === 'v') cell.value = text;
          capture = undefined;
          break;
        case 'f':
          if (capture === 'f') cell.formula = text;
          capture = undefined;
          break;
        case 't':
          if (capture === 't') cell.inline += text;
          capture = undefined;
          break;
        case 'rPh':
          phonetic -= 1;
          break;
        case 'c':
          if (inCell) endCell();
          inCell = false;
          break;
        case 'row':
          endRow();
          break;
        case 'sheetData':
          done = true;
          break;
      }
    },
    text(chunk) {
      if (capture !== undefined) text += chunk;
    },
  });

  const decoder = new TextDecoder('utf-8');
  for await (const chunk of xml) {
    parser.write(decoder.decode(chunk as Buffer, { stream: true }));
    while (ready.length >= BATCH) yield ready.splice(0, BATCH);
    if (done) break;
  }
  if (!done) {
    parser.write(decoder.decode());
    parser.close();
  }
  if (ready.length > 0) yield ready;
  ready = [];
}
