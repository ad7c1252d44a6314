import { CRM_ENDPOINTS, ENDPOINT_COST, type CrmEndpoint } from '../api/plans.js';
import type { MapField } from '../input/columns.js';
import type { PageKey } from './page-api.js';

/**
 * What the page offers to choose, declared once: the server checks a request against these
 * lists and the page builds its lists from them (`GET /api/catalog/:lang`'s `choices`), so a
 * field, a format or an endpoint is never written twice. Labels are the catalog's `page.` keys.
 */
export const MAP_FIELDS = [
  'primeiro_nome',
  'ultimo_nome',
  'empresa',
  'nome_completo',
] as const satisfies readonly MapField[];

/** The output formats the page offers, by the names it shows: Excel's CSV is `--excel`. */
export const PAGE_FORMATS = ['csv', 'excel-csv', 'xlsx'] as const;
export type PageFormat = (typeof PAGE_FORMATS)[number];

export interface Choice<V extends string> {
  value: V;
  label: PageKey;
}

/** Everything the page's lists show, in the order shown. */
export interface PageChoices {
  fields: Array<Choice<MapField>>;
  /** The encodings offered for a CSV (the one it was read with is added when it is another). */
  encodings: string[];
  delimiters: Array<Choice<string>>;
  endpoints: Array<Choice<CrmEndpoint> & { cost: number }>;
  formats: Array<Choice<PageFormat>>;
}

const FIELD_LABELS: Record<MapField, PageKey> = {
  primeiro_nome: 'fieldFirst',
  ultimo_nome: 'fieldLast',
  empresa: 'fieldCompany',
  nome_completo: 'fieldFull',
};
const ENDPOINT_LABELS: Record<CrmEndpoint, PageKey> = { crm_basico: 'endpointBasic', crm: 'endpointFull' };
const FORMAT_LABELS: Record<PageFormat, PageKey> = {
  csv: 'formatCsv',
  'excel-csv': 'formatExcelCsv',
  xlsx: 'formatXlsx',
};

export const PAGE_CHOICES: PageChoices = {
  fields: MAP_FIELDS.map((value) => ({ value, label: FIELD_LABELS[value] })),
  encodings: ['utf8', 'windows-1252', 'latin1', 'utf16le'],
  delimiters: [
    { value: ',', label: 'delimComma' },
    { value: ';', label: 'delimSemicolon' },
    { value: '|', label: 'delimPipe' },
    { value: '\t', label: 'delimTab' },
  ],
  endpoints: CRM_ENDPOINTS.map((value) => ({ value, label: ENDPOINT_LABELS[value], cost: ENDPOINT_COST[value] })),
  formats: PAGE_FORMATS.map((value) => ({ value, label: FORMAT_LABELS[value] })),
};
