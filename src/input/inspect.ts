import { contactKey, type Contact } from '../contact/normalize.js';
import { reasonText } from '../contact/reason.js';
import { DEFAULT_LANG, type Lang } from '../i18n/index.js';
import { fieldColumns, findColumn, locateColumns, type MapField } from './columns.js';
import { detectDialect } from './dialect.js';
import { readBatches } from './input.js';
import { scan } from './shape.js';

/** The options that read the input (what `scan` takes). */
type ScanOptions = Parameters<typeof scan>[0];

/** What a person checks before paying: how the file was read, which column became which field, the first rows as they would be sent. */
export interface Inspection {
  encoding: string;
  delimiter: string;
  /** The sheet read (a workbook), else null. */
  sheet: string | null;
  /** A workbook's tabs, else []. */
  sheets: string[];
  headers: string[];
  mapping: Record<MapField, string | null>;
  /** Each field's column by its 1-based number, null when unused: what tells two columns with one header apart. */
  columns: Record<MapField, number | null>;
  /** Up to 3 different values of each column (by position) from the first rows: what tells a person which of two same-named columns they mean. */
  samples: string[][];
  rows: number;
  valid: number;
  /** A workbook's data rows hidden there (filtered out, or hidden by hand): not sent unless `hiddenRows: 'send'`; 0 for a CSV. */
  hiddenRows: number;
  preview: Array<{
    /** The row's number as a spreadsheet shows it (a notes cell with a line break is one row, not two lines). */
    line: number;
    /** A contact already on an earlier row (asked once, its answer written on both): that row's number. */
    repeatOf?: number;
    contact: { primeiro_nome: string; ultimo_nome: string; empresa: string };
    valid: boolean;
    /** Why it is not sent, in the page's language (`lang`). */
    reason?: string;
  }>;
}

/** Rows shown by the preview. */
export const PREVIEW_ROWS = 10;

/** Rows whose values are sampled for the column lists. */
const SAMPLE_ROWS = 20;
/** Values shown per column, and the most characters of each. */
const SAMPLES = 3;
const SAMPLE_CHARS = 40;

/** Each column's first different non-empty values among `rows`, cut short. */
function samplesOf(rows: readonly (readonly string[])[], width: number): string[][] {
  return Array.from({ length: width }, (_, column) => {
    const values = new Set<string>();
    for (const cells of rows) {
      const value = (cells[column] ?? '').trim().slice(0, SAMPLE_CHARS);
      if (value && values.size < SAMPLES) values.add(value);
    }
    return [...values];
  });
}

/**
 * The first pass itself (`scan`: the same rules, the same refusals, a `FluenceError` for a
 * missing, ambiguous or doubtful column or a malformed file), keeping only the first rows as they
 * would be sent. It reads the whole file, in bounded memory, because some refusals (a doubtful
 * column) are only known at its end. A refused row's reason is put in words in `lang`, the page's.
 */
export async function inspectFile(
  options: ScanOptions,
  previewRows = PREVIEW_ROWS,
  lang: Lang = DEFAULT_LANG,
): Promise<Inspection> {
  const preview: Inspection['preview'] = [];
  /** The previewed valid contacts, by key: the row each was first on. */
  const seen = new Map<string, number>();
  const sampled: string[][] = [];
  const shape = await scan(options, (row) => {
    if (sampled.length < SAMPLE_ROWS) sampled.push(row.cells);
    if (preview.length >= previewRows) return;
    const line = row.sheetRow ?? row.line;
    const first = row.reason === undefined ? seen.get(contactKey(row.contact)) : undefined;
    if (row.reason === undefined && first === undefined) seen.set(contactKey(row.contact), line);
    preview.push({
      line,
      ...(first === undefined ? {} : { repeatOf: first }),
      contact: apiContact(row.contact),
      valid: row.reason === undefined,
      ...(row.reason === undefined ? {} : { reason: reasonText(row.reason, lang) }),
    });
  });
  return {
    encoding: shape.dialect.encoding,
    delimiter: shape.dialect.delimiter,
    sheet: shape.dialect.xlsx?.sheet ?? null,
    sheets: shape.dialect.xlsx?.sheets.map((tab) => tab.name) ?? [],
    headers: shape.header,
    ...fieldsOf(shape.header, fieldColumns(shape.columns)),
    samples: samplesOf(sampled, shape.header.length),
    rows: shape.rows,
    valid: shape.valid,
    hiddenRows: shape.hiddenRows?.rows ?? 0,
    preview,
  };
}

/** A contact under the API's field names. */
const apiContact = (contact: Contact) => ({
  primeiro_nome: contact.firstName,
  ultimo_nome: contact.lastName,
  empresa: contact.company,
});

/** Each field's column by its header and by its number, null for a field the mapping does not use. */
function fieldsOf(
  header: readonly string[],
  used: ReadonlyArray<readonly [MapField, number]>,
): Pick<Inspection, 'mapping' | 'columns'> {
  const mapping: Inspection['mapping'] = { primeiro_nome: null, ultimo_nome: null, empresa: null, nome_completo: null };
  const columns: Inspection['columns'] = { primeiro_nome: null, ultimo_nome: null, empresa: null, nome_completo: null };
  for (const [field, column] of used) {
    mapping[field] = header[column] ?? null;
    columns[field] = column + 1;
  }
  return { mapping, columns };
}

/**
 * How a refused file reads: enough for a person to pick its columns by hand. `mapping` is the
 * columns the headers (and the person's `map`) chose before the values refused them, so a page
 * shows "Company: Account" beside the refusal instead of every field unused; all null when the
 * headers alone already miss a field.
 */
export type FileLayout = Pick<
  Inspection,
  'encoding' | 'delimiter' | 'sheet' | 'sheets' | 'headers' | 'mapping' | 'columns' | 'samples'
>;

/**
 * The dialect and the first record (what the header would be) of a file the first pass refused
 * (a missing or doubtful column): without them a page could not offer the columns to map.
 * Undefined when even that cannot be read (a malformed file: its message says what to fix).
 */
export async function readLayout(options: ScanOptions): Promise<FileLayout | undefined> {
  try {
    const dialect = await detectDialect(options.input, {
      encoding: options.encoding,
      delimiter: options.delimiter,
      sheet: options.sheet,
    });
    let headers: string[] | undefined;
    const rows: string[][] = [];
    for await (const batch of readBatches(options.input, dialect)) {
      for (const record of batch) {
        if (headers) rows.push(record.cells);
        else headers = record.cells;
      }
      if (rows.length >= SAMPLE_ROWS) break;
    }
    if (!headers) return undefined;
    return {
      encoding: dialect.encoding,
      delimiter: dialect.delimiter,
      sheet: dialect.xlsx?.sheet ?? null,
      sheets: dialect.xlsx?.sheets.map((tab) => tab.name) ?? [],
      headers,
      ...headerFields(headers, options.map),
      samples: samplesOf(rows.slice(0, SAMPLE_ROWS), headers.length),
    };
  } catch {
    // The refusal already says why the file cannot be read.
  }
  return undefined;
}

/**
 * The columns the headers name (`--map`, then aliases), before any value is read. When the
 * headers miss a field, the fields they do name (Nome and Sobrenome without an Empresa), so the
 * person only has to choose the missing one.
 */
function headerFields(headers: string[], map: ScanOptions['map']): Pick<Inspection, 'mapping' | 'columns'> {
  try {
    return fieldsOf(headers, fieldColumns(locateColumns(headers, map)));
  } catch {
    return fieldsOf(headers, namedFields(headers, map));
  }
}

/** What each field's own header (or `--map`) names, one field per column: split names before a full name. */
function namedFields(headers: string[], map: ScanOptions['map']): Array<[MapField, number]> {
  const at = (field: MapField): number => {
    try {
      return findColumn(headers, map, field);
    } catch {
      return -1;
    }
  };
  const split = map.nome_completo === undefined;
  const first = split ? at('primeiro_nome') : -1;
  const last = split ? at('ultimo_nome') : -1;
  const full = first >= 0 && last >= 0 ? -1 : at('nome_completo');
  const found: Array<[MapField, number]> = [
    ['primeiro_nome', first],
    ['ultimo_nome', last],
    ['empresa', at('empresa')],
    ['nome_completo', full],
  ];
  const taken = new Set<number>();
  return found.filter(([, column]) => column >= 0 && !taken.has(column) && Boolean(taken.add(column)));
}

/** A refused row's reason in a language, for the page's server (which may not read `contact/`). */
export { reasonText } from '../contact/reason.js';
