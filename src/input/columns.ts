import { adviceOf, FluenceError } from '../errors.js';
import { message, type Message } from '../i18n/message.js';
import { normalizeText } from '../contact/normalize.js';

export { readFullName, readNameParts, splitFullName } from '../contact/full-name.js';

export type ContactField = 'primeiro_nome' | 'ultimo_nome' | 'empresa';
/** Mappable fields: the three the API takes, and a full name to split into the first two. */
export type MapField = ContactField | 'nome_completo';

/** Where the contact is in a row: separate name columns, or one full name to split. */
export type Columns =
  | { kind: 'split'; primeiro_nome: number; ultimo_nome: number; empresa: number }
  /** `guessed`: a name column with no surname column beside it, taken as full names if its values say so (see `scan`). */
  | { kind: 'full'; nome_completo: number; empresa: number; guessed?: true };

/**
 * Common export headers for each field, compared without case, accents, spaces, `_` or `-`
 * (and without an entity prefix, see `ENTITY_PREFIX`). From the CRM exports in
 * `fixtures/exports/`: HubSpot "Associated Company", Salesforce "Account Name" and "Company /
 * Account", Pipedrive "Organization - Name" / "Organização - Nome", Google "Organization 1 - Name".
 */
const ALIASES: Record<MapField, string[]> = {
  nome_completo: [
    'nome_completo',
    'nome completo',
    'full name',
    'fullname',
    'name',
    'contact name',
    'nome do contato',
    // Deals' and opportunities' person (issue 26): Pipedrive, HubSpot, Salesforce.
    'deal contact person',
    'contact person',
    'associated contact',
    'primary contact',
    'contato principal',
  ],
  // Most specific first: Pipedrive's "Pessoa - Nome" (a full name) loses to "Pessoa - Primeiro nome".
  primeiro_nome: [
    'primeiro_nome',
    'primeironome',
    'first_name',
    'firstname',
    'first name',
    'given name',
    'prenome',
    'nome',
  ],
  ultimo_nome: [
    'ultimo_nome',
    'ultimonome',
    'last_name',
    'lastname',
    'last name',
    'surname',
    'family name',
    'sobrenome',
  ],
  empresa: [
    'empresa',
    'company',
    'company name',
    'companyname',
    'organization',
    'organisation',
    'organizacao',
    'account name',
    'nome da empresa',
    'organization name',
    'organizacao nome',
    'organization 1 name',
    'associated company',
    'company / account',
    'account',
    'deal organization',
    'negocio organizacao',
  ],
};

/**
 * An entity's name before a field, as CRMs write them in exports: Pipedrive "Person - First
 * name" / "Pessoa - Nome", HubSpot and Zoho "Contact ..." / "Lead ...". It never hides a name.
 */
const ENTITY_PREFIX = /^\s*(person|pessoa|contact|contato|lead|prospect)\s*(?:[-–:]\s*|\s(?=\S))/i;

/** Headers that are the person as a whole: the entity alone ("Contatos", "Person"), or an entity's name ("Person - Name", "Nome do contato"). */
const PERSON_HEADERS = new Set([
  'contato',
  'contatos',
  'contact',
  'contacts',
  'pessoa',
  'pessoas',
  'person',
  'people',
  'nomedocontato',
  'nomedapessoa',
  'contactname',
  'personname',
]);
/** What follows an entity prefix when the header is that entity's name. */
const NAME_WORDS = new Set(['name', 'nome', 'fullname', 'nomecompleto']);

/**
 * Whether a header names the person ("Contato", "Contatos", "Contact", "Pessoa", "Person - Name",
 * "Contact Name"...): such a column beside a full name taken by rule may be the person instead.
 * An entity's other fields ("Contact owner", "Lead Owner", "Contato - Telefone") are not.
 */
export function namesPerson(header: string): boolean {
  if (PERSON_HEADERS.has(squash(header))) return true;
  return ENTITY_PREFIX.test(header) && NAME_WORDS.has(squash(header.replace(ENTITY_PREFIX, '')));
}

/** Field names accepted on the left of `--map field=Header`. */
const MAP_NAMES: Record<string, MapField> = {
  nome_completo: 'nome_completo',
  full_name: 'nome_completo',
  fullname: 'nome_completo',
  primeiro_nome: 'primeiro_nome',
  first_name: 'primeiro_nome',
  firstname: 'primeiro_nome',
  ultimo_nome: 'ultimo_nome',
  last_name: 'ultimo_nome',
  lastname: 'ultimo_nome',
  empresa: 'empresa',
  company: 'empresa',
};

export const squash = (header: string): string => normalizeText(header).replace(/[\s_-]+/g, '');

/** The header as compared with aliases: squashed, and squashed without an entity prefix. */
const namesOf = (header: string): string[] => [squash(header), squash(header.replace(ENTITY_PREFIX, ''))];

/** Whether `header` (with or without an entity prefix) is one of `field`'s known names. */
export function isAlias(field: MapField, header: string): boolean {
  const names = namesOf(header);
  return ALIASES[field].some((alias) => names.includes(squash(alias)));
}

/** The column of `field`'s first alias (in the list's order, most specific first) that a header has; -1 if none. */
function byAlias(field: MapField, headers: readonly string[]): number {
  const names = headers.map(namesOf);
  for (const alias of ALIASES[field].map(squash)) {
    const index = names.findIndex((n) => n.includes(alias));
    if (index >= 0) return index;
  }
  return -1;
}

/** `--map` items into field -> header; a bad item fails here, at the edge. */
export function parseMap(items: readonly string[]): Partial<Record<MapField, string>> {
  const map: Partial<Record<MapField, string>> = {};
  for (const item of items) {
    const at = item.indexOf('=');
    const field = MAP_NAMES[item.slice(0, at).trim().toLowerCase()];
    const header = item.slice(at + 1);
    if (at < 0 || !field || header === '') {
      throw new FluenceError('BAD_OPTION', message('errors.badOption.map', { item }));
    }
    map[field] = header;
  }
  return map;
}

/**
 * `field`'s column: `--map`'s (an exact header, else a squashed one, else a 1-based column number),
 * else its first alias; -1 when nothing names it. A `--map` header the file lacks is MISSING_COLUMN.
 */
export function findColumn(
  headers: readonly string[],
  map: Partial<Record<MapField, string>>,
  field: MapField,
  squashed: readonly string[] = headers.map(squash),
): number {
  const mapped = map[field];
  if (mapped === undefined) return byAlias(field, headers);
  if (/^\d+$/.test(mapped) && !headers.includes(mapped)) {
    const position = Number(mapped) - 1;
    if (position >= 0 && position < headers.length) return position;
  }
  let index = headers.indexOf(mapped);
  if (index < 0) index = squashed.indexOf(squash(mapped));
  if (index < 0)
    throw new FluenceError(
      'MISSING_COLUMN',
      message('errors.missingColumn.mapped', { field, mapped, headers: quoted(headers) }),
      { advice: adviceOf('errors.missingColumn.mapped', { field }) },
    );
  return index;
}

/**
 * Which input column holds each contact field: `--map` first (exact header, or a 1-based column
 * number), then the known aliases. Separate first/last name columns win; otherwise a full-name
 * column is split. Stops before any request when a field has no column, naming the headers seen.
 */
export function locateColumns(
  headers: readonly string[],
  map: Partial<Record<MapField, string>>,
  /** Whether a column may be offered as full names when no surname column is found (the values say so, when read). */
  offerFullName: (column: number) => boolean = () => true,
): Columns {
  const squashed = headers.map(squash);
  const checked = (columns: Columns): Columns => {
    checkDistinctColumns(headers, columns);
    return columns;
  };
  const find = (field: MapField): number => findColumn(headers, map, field, squashed);
  const first = find('primeiro_nome');
  const last = find('ultimo_nome');
  const company = find('empresa');
  const full = map.primeiro_nome !== undefined || map.ultimo_nome !== undefined ? -1 : find('nome_completo');
  if (company >= 0 && first >= 0 && last >= 0 && map.nome_completo === undefined)
    return checked({ kind: 'split', primeiro_nome: first, ultimo_nome: last, empresa: company });
  if (company >= 0 && full >= 0) return checked({ kind: 'full', nome_completo: full, empresa: company });
  // "Nome" and no surname column (RD Station's lead export): full names, if the values say so.
  if (company >= 0 && first >= 0 && last < 0 && map.primeiro_nome === undefined && map.nome_completo === undefined) {
    return checked({ kind: 'full', nome_completo: first, empresa: company, guessed: true });
  }
  const missing = [first < 0 && 'primeiro_nome', last < 0 && 'ultimo_nome', company < 0 && 'empresa'].filter(
    (f): f is string => Boolean(f),
  );
  const joined = headers.join(',');
  const hint = joined.includes('\u0000')
    ? 'utf16'
    : joined.includes(';')
      ? 'semicolon'
      : first >= 0 && last < 0 && offerFullName(first)
        ? 'fullName'
        : 'none';
  const column = first >= 0 ? JSON.stringify(headers[first]) : '';
  throw new FluenceError(
    'MISSING_COLUMN',
    message('errors.missingColumn', { fields: missing.join(', '), headers: quoted(headers) }),
    { advice: adviceOf('errors.missingColumn', { field: missing[0], hint, column }) },
  );
}

/** Most of a header list a refusal echoes: a header of 10,000 columns said whole would bury what to do. */
const MAX_LISTED_CHARS = 1500;

/** Headers as a refusal lists them (`"Nome", "Telefone"`), cut in the middle past `MAX_LISTED_CHARS`. */
export function quoted(headers: readonly string[]): string | Message {
  const all = headers.map((h) => JSON.stringify(h)).join(', ');
  if (all.length <= MAX_LISTED_CHARS) return all;
  const [start, end] = [all.slice(0, 1000), all.slice(-400)];
  return message('errors.part.cut', { start, left: all.length - start.length - end.length, end });
}

/** The fields a mapping uses, with their columns. */
export function fieldColumns(columns: Columns): Array<[MapField, number]> {
  return columns.kind === 'split'
    ? [
        ['primeiro_nome', columns.primeiro_nome],
        ['ultimo_nome', columns.ultimo_nome],
        ['empresa', columns.empresa],
      ]
    : [
        ['nome_completo', columns.nome_completo],
        ['empresa', columns.empresa],
      ];
}

/** No column may feed two fields: `--map primeiro_nome=empresa` would ask Fluence about "IFood Costa". */
export function checkDistinctColumns(headers: readonly string[], columns: Columns): void {
  const used = new Map<number, MapField>();
  for (const [field, index] of fieldColumns(columns)) {
    const other = used.get(index);
    if (other !== undefined) {
      throw new FluenceError(
        'MAP_CONFLICT',
        message('errors.mapConflict', { column: index + 1, header: JSON.stringify(headers[index]), other, field }),
        { advice: adviceOf('errors.mapConflict', { field }) },
      );
    }
    used.set(index, field);
  }
}

/** A field's column and the other columns with the same header: which one was meant is known only if they agree. */
export interface TwinColumns {
  field: MapField;
  chosen: number;
  others: number[];
}

/** Header names that repeat for a column the mapping uses (by name: a position given with --map is never ambiguous). */
export function twinColumns(
  headers: readonly string[],
  columns: Columns,
  map: Partial<Record<MapField, string>>,
): TwinColumns[] {
  const twins: TwinColumns[] = [];
  for (const [field, chosen] of fieldColumns(columns)) {
    const mapped = map[field];
    if (mapped !== undefined && /^\d+$/.test(mapped) && !headers.includes(mapped)) continue;
    const name = squash(headers[chosen]!);
    const others = headers.flatMap((h, i) => (i !== chosen && squash(h) === name ? [i] : []));
    if (others.length > 0) twins.push({ field, chosen, others });
  }
  return twins;
}

/** Stops at the first row where a field's same-named columns disagree: sending either would be a guess. */
export function checkTwins(
  twins: readonly TwinColumns[],
  headers: readonly string[],
  cells: readonly string[],
  line: number,
): void {
  for (const { field, chosen, others } of twins) {
    const other = others.find((i) => (cells[i] ?? '') !== (cells[chosen] ?? ''));
    if (other === undefined) continue;
    const twins = {
      field,
      header: JSON.stringify(headers[chosen]),
      chosen: String(chosen + 1),
      other: String(other + 1),
    };
    throw new FluenceError(
      'AMBIGUOUS_COLUMN',
      message('errors.ambiguousColumn.twins', {
        ...twins,
        line,
        mine: JSON.stringify(cells[chosen] ?? ''),
        theirs: JSON.stringify(cells[other] ?? ''),
      }),
      { line, advice: adviceOf('errors.ambiguousColumn.twins', twins) },
    );
  }
}

/** Columns that could also have been a field (another known header for it), for the log line that names the choice. */
export function otherCandidates(
  headers: readonly string[],
  columns: Columns,
): Array<{ field: MapField; chosen: string; others: string[] }> {
  const squashed = headers.map(squash);
  // A company's other columns ("Company Domain", "Company Name for Emails") are named too.
  const mentions = (field: MapField, i: number): boolean =>
    field === 'empresa' &&
    /company|empresa|organi[sz]ation|organizacao/.test(squashed[i]!) &&
    !/title|department|cargo|departamento/.test(squashed[i]!);
  return fieldColumns(columns).flatMap(([field, chosen]) => {
    const others = headers.filter(
      (h, i) => i !== chosen && squashed[i] !== squashed[chosen] && (isAlias(field, h) || mentions(field, i)),
    );
    return others.length > 0 ? [{ field, chosen: headers[chosen]!, others }] : [];
  });
}
