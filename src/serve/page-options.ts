import { FluenceError } from '../errors.js';
import { LANGS, langOf, type Lang } from '../i18n/lang.js';
import { message } from '../i18n/message.js';
import type { EnrichOptions } from '../options/normalize.js';
import { MAP_FIELDS, PAGE_FORMATS, type PageFormat } from './page-choices.js';

/** What the page sends for an upload: how to read it, and (for a run or an estimate) how to run it. */
export interface PageOptions {
  map: string[];
  sheet?: string;
  encoding?: string;
  delimiter?: string;
  endpoint?: 'crm_basico' | 'crm';
  maxCredits?: number;
  format?: PageFormat;
  /** The page's language: the run's messages and report are in it. */
  lang?: Lang;
}

const isMapField = (field: string): boolean => (MAP_FIELDS as readonly string[]).includes(field);

/** A page's request the server cannot take: `what` names the case (`errors.uploadInvalid.body`), `name` and `got` its values. */
const invalid = (what: string, name = '', got: unknown = ''): never => {
  throw new FluenceError(
    'UPLOAD_INVALID',
    message('errors.uploadInvalid.body', { what, name, got: JSON.stringify(got) ?? '', fields: MAP_FIELDS.join(', ') }),
  );
};

const text = (body: Record<string, unknown>, name: string): string | undefined => {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : invalid('text', name, value);
};

/**
 * The page's JSON as the CLI's options: `map` `{field: header}` becomes `--map field=header`
 * (a field given null or '' is left to the CLI's own detection), and each value is checked by
 * the option table's parser when the run's options are normalised, as a flag would be.
 */
export function readPageOptions(raw: unknown): PageOptions {
  const body = (raw ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || Array.isArray(body)) invalid('object');
  const map: string[] = [];
  if (body.map !== undefined && body.map !== null) {
    if (typeof body.map !== 'object' || Array.isArray(body.map)) invalid('map');
    for (const [field, header] of Object.entries(body.map as Record<string, unknown>)) {
      if (!isMapField(field)) invalid('field', field, field);
      if (header === null || header === undefined || header === '') continue;
      if (typeof header !== 'string') invalid('header', field);
      map.push(`${field}=${header}`);
    }
  }
  const endpoint = text(body, 'endpoint');
  if (endpoint !== undefined && endpoint !== 'crm_basico' && endpoint !== 'crm')
    invalid('endpoint', 'endpoint', endpoint);
  const format = text(body, 'format');
  if (format !== undefined && !PAGE_FORMATS.includes(format as PageFormat))
    invalid('format', PAGE_FORMATS.join(', '), format);
  const maxCredits = body.maxCredits;
  // A cost limit is whole credits, 0 or more (0: nothing is spent, as `--max-credits 0`); a
  // negative or a fraction is refused, never read as "no limit".
  if (
    maxCredits !== undefined &&
    maxCredits !== null &&
    maxCredits !== '' &&
    (typeof maxCredits !== 'number' || !Number.isInteger(maxCredits) || maxCredits < 0)
  )
    throw new FluenceError(
      'UPLOAD_INVALID',
      message('errors.uploadInvalid.maxCredits', { got: JSON.stringify(maxCredits) ?? '' }),
    );
  const lang = text(body, 'lang');
  if (lang !== undefined && langOf(lang) === undefined) invalid('lang', LANGS.join(' or '), lang);
  const options: PageOptions = { map };
  const sheet = text(body, 'sheet');
  const encoding = text(body, 'encoding');
  const delimiter = text(body, 'delimiter');
  if (sheet !== undefined) options.sheet = sheet;
  if (encoding !== undefined) options.encoding = encoding;
  if (delimiter !== undefined) options.delimiter = delimiter;
  if (endpoint !== undefined) options.endpoint = endpoint as PageOptions['endpoint'] & string;
  if (typeof maxCredits === 'number') options.maxCredits = maxCredits;
  if (format !== undefined) options.format = format as PageFormat;
  if (lang !== undefined) options.lang = langOf(lang)!;
  return options;
}

/** The output's kind: the page's choice, else as the CLI chooses (a workbook in, a workbook out). */
export const outputKind = (page: PageOptions, upload: 'csv' | 'xlsx'): 'csv' | 'xlsx' =>
  (page.format ?? (upload === 'xlsx' ? 'xlsx' : 'csv')) === 'xlsx' ? 'xlsx' : 'csv';

/** The page's options as the library's (`normalizeEnrichOptions`), the CLI's names and values. */
export function enrichOptionsOf(page: PageOptions): Omit<EnrichOptions, 'input'> {
  const { map, sheet, encoding, delimiter, endpoint, maxCredits, format, lang } = page;
  return {
    map,
    ...(sheet === undefined ? {} : { sheet }),
    ...(encoding === undefined ? {} : { encoding }),
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(maxCredits === undefined ? {} : { maxCredits }),
    ...(format === undefined ? {} : { format: format === 'excel-csv' ? 'csv' : format }),
    ...(format === 'excel-csv' ? { excel: true } : {}),
    ...(lang === undefined ? {} : { lang }),
  };
}
