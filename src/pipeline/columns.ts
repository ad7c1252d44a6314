import { FluenceError } from '../errors.js';
import { normalizeText } from '../contact/normalize.js';

export type ContactField = 'primeiro_nome' | 'ultimo_nome' | 'empresa';
export const CONTACT_FIELDS: readonly ContactField[] = ['primeiro_nome', 'ultimo_nome', 'empresa'];

/** Common export headers for each field, compared without case, accents, spaces, `_` or `-`. */
const ALIASES: Record<ContactField, string[]> = {
  primeiro_nome: ['primeiro_nome', 'primeironome', 'first_name', 'firstname', 'first name', 'given name', 'nome', 'prenome'],
  ultimo_nome: ['ultimo_nome', 'ultimonome', 'last_name', 'lastname', 'last name', 'surname', 'family name', 'sobrenome'],
  empresa: ['empresa', 'company', 'company name', 'companyname', 'organization', 'organisation', 'organizacao', 'account name', 'nome da empresa'],
};

/** Field names accepted on the left of `--map field=Header`. */
const MAP_NAMES: Record<string, ContactField> = {
  primeiro_nome: 'primeiro_nome', first_name: 'primeiro_nome', firstname: 'primeiro_nome',
  ultimo_nome: 'ultimo_nome', last_name: 'ultimo_nome', lastname: 'ultimo_nome',
  empresa: 'empresa', company: 'empresa',
};

const squash = (header: string): string => normalizeText(header).replace(/[\s_-]+/g, '');

/** `--map` items into field -> header; a bad item fails here, at the edge. */
export function parseMap(items: readonly string[]): Partial<Record<ContactField, string>> {
  const map: Partial<Record<ContactField, string>> = {};
  for (const item of items) {
    const at = item.indexOf('=');
    const field = MAP_NAMES[item.slice(0, at).trim().toLowerCase()];
    const header = item.slice(at + 1);
    if (at < 0 || !field || header === '') {
      throw new FluenceError('BAD_OPTION', `option --map: expected FIELD=Header with FIELD one of primeiro_nome, ultimo_nome, empresa, got "${item}"`);
    }
    map[field] = header;
  }
  return map;
}

/**
 * Which input column holds each contact field: `--map` first (exact header), then the known
 * aliases. Stops before any request when a field has no column, naming the headers it saw.
 */
export function locateColumns(headers: readonly string[], map: Partial<Record<ContactField, string>>): Record<ContactField, number> {
  const squashed = headers.map(squash);
  const found = {} as Record<ContactField, number>;
  const missing: string[] = [];
  for (const field of CONTACT_FIELDS) {
    const mapped = map[field];
    let index: number;
    if (mapped !== undefined) {
      index = headers.indexOf(mapped);
      if (index < 0) index = squashed.indexOf(squash(mapped));
      if (index < 0) throw new FluenceError('MISSING_COLUMN', `--map ${field}=${mapped}: no such column; the file has: ${headers.map((h) => JSON.stringify(h)).join(', ')}`);
    } else {
      index = squashed.findIndex((h) => ALIASES[field].some((alias) => squash(alias) === h));
    }
    if (index < 0) missing.push(field);
    else found[field] = index;
  }
  if (missing.length > 0) {
    const joined = headers.join(',');
    const hint = joined.includes(';') ? " The file looks delimited by ';' (Excel in Portuguese): save it with commas."
      : joined.includes('\t') ? ' The file looks delimited by tabs: save it with commas.' : '';
    throw new FluenceError(
      'MISSING_COLUMN',
      `no column for ${missing.join(', ')}; the file has: ${headers.map((h) => JSON.stringify(h)).join(', ')}. Name it with --map ${missing[0]}=Header.${hint}`,
    );
  }
  return found;
}
