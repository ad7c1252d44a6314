import type { CrmEndpoint } from '../api/plans.js';
import { valueAt } from '../api/json-path.js';
import { FluenceError } from '../errors.js';
import { message } from '../i18n/message.js';

/** What /crm_basico answers: the profile and the summary. */
const BASIC_FIELDS = [
  'perfil.nome_completo',
  'perfil.cargo',
  'perfil.empresa',
  'perfil.senioridade',
  'perfil.localizacao',
  'resumo',
  'confianca',
] as const;

/**
 * Enrichment columns taken from `analise` by path, in the sandbox's shape (the production
 * schema is not published, which is why `fluence_analise_json` keeps the whole answer).
 */
export const DEFAULT_FIELDS: Record<CrmEndpoint, readonly string[]> = {
  crm_basico: BASIC_FIELDS,
  // /crm answers the same and the personality.
  crm: [
    ...BASIC_FIELDS,
    'personalidade.perfil_disc',
    'personalidade.tracos',
    'personalidade.estilo_comunicacao',
    'personalidade.abordagem_recomendada',
  ],
};

/** Status columns, always right after the input's own columns. */
export const STATUS_COLUMNS = [
  'fluence_status',
  'fluence_http_status',
  'fluence_credits_used',
  'fluence_error',
] as const;
export const RAW_COLUMN = 'fluence_analise_json';

export function parseFields(text: string): string[] {
  const fields = text
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const bad = fields.find((f) => !/^[\p{L}\p{N}_]+(\.[\p{L}\p{N}_]+)*$/u.test(f));
  if (fields.length === 0 || bad !== undefined) {
    throw new FluenceError('BAD_OPTION', message('errors.badOption.fields', { got: bad ?? text }));
  }
  // Two paths must not write one column (a.b and a_b both become fluence_a_b).
  const byColumn = new Map<string, string>();
  for (const field of fields) {
    const other = byColumn.get(fieldColumn(field));
    if (other !== undefined) {
      throw new FluenceError(
        'BAD_OPTION',
        message('errors.badOption.fieldsTwice', {
          twice: other === field ? 'yes' : 'no',
          other,
          field,
          column: fieldColumn(field),
        }),
      );
    }
    byColumn.set(fieldColumn(field), field);
  }
  return fields;
}

export const fieldColumn = (path: string): string => `fluence_${path.replace(/\./g, '_')}`;

/** A cell for one path of `analise` (its keys, e.g. ['perfil', 'cargo']): text as is, lists joined with "; ", objects as JSON. */
export function fieldValue(analise: unknown, path: readonly string[]): string {
  return fieldText(valueAt(analise, path));
}

/** The text of a value found in `analise` (see `fieldValue`). */
export function fieldText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join('; ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A value from the API that a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a
 * leading `'`. Only for values we add: the user's own cells are written as they came.
 */
export function escapeFormula(value: string): string {
  switch (value.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // CR
      return `'${value}`;
    default:
      return value;
  }
}
