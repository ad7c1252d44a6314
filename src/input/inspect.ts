import { contactKey, type Contact } from '../contact/normalize.js';
import { reasonText } from '../contact/reason.js';
import { DEFAULT_LANG, type Lang } from '../i18n/index.js';
import { fieldColumns, locateColumns, type MapField } from './columns.js';
import { detectDialect } from './dialect.js';
import { readBatches } from './input.js';
import { scan, type Shape } from './shape.js';

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
  const shape = await scan(options, (row) => {
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
    mapping: mappingOf(shape),
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

/** Each field's column by its header, null for a field the mapping does not use. */
function mappingOf(shape: Pick<Shape, 'header' | 'columns'>): Record<MapField, string | null> {
  const mapping: Record<MapField, string | null> = {
    primeiro_nome: null,
    ultimo_nome: null,
    empresa: null,
    nome_completo: null,
  };
  for (const [field, column] of fieldColumns(shape.columns)) mapping[field] = shape.header[column] ?? null;
  return mapping;
}

/**
 * How a refused file reads: enough for a person to pick its columns by hand. `mapping` is the
 * columns the headers (and the person's `map`) chose before the values refused them, so a page
 * shows "Company: Account" beside the refusal instead of every field unused; all null when the
 * headers alone already miss a field.
 */
export type FileLayout = Pick<Inspection, 'encoding' | 'delimiter' | 'sheet' | 'sheets' | 'headers' | 'mapping'>;

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
    for await (const batch of readBatches(options.input, dialect)) {
      const first = batch[0];
      if (!first) continue;
      return {
        encoding: dialect.encoding,
        delimiter: dialect.delimiter,
        sheet: dialect.xlsx?.sheet ?? null,
        sheets: dialect.xlsx?.sheets.map((tab) => tab.name) ?? [],
        headers: first.cells,
        mapping: headerMapping(first.cells, options.map),
      };
    }
  } catch {
    // The refusal already says why the file cannot be read.
  }
  return undefined;
}

/** The columns the headers name (`--map`, then aliases), before any value is read; all null when a field has none. */
function headerMapping(headers: string[], map: ScanOptions['map']): Inspection['mapping'] {
  try {
    return mappingOf({ header: headers, columns: locateColumns(headers, map) });
  } catch {
    return { primeiro_nome: null, ultimo_nome: null, empresa: null, nome_completo: null };
  }
}

/** A refused row's reason in a language, for the page's server (which may not read `contact/`). */
export { reasonText } from '../contact/reason.js';
