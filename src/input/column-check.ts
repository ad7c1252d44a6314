import { normalizeText } from '../contact/normalize.js';
import { companyDoubt, DOUBT_TEXT, looksLikePersonName, nameDoubt, type Doubt, type Doubts } from '../contact/plausible.js';
import { FluenceError } from '../errors.js';
import { fieldColumns, isAlias, namesPerson, squash, type Columns, type MapField } from './columns.js';

/**
 * Share of a column's values that must look wrong for the column to be doubted. A column that
 * means something else is wrong in (nearly) every row: 100% in each reported file
 * (`fixtures/wrong-person/`: account ids, the company again as the name). Slips in a real
 * column are a few rows: the most in our fixtures is 1 of 4 (25%, `fixtures/bad/names-with-urls.csv`,
 * one URL in each column), 1 of 200 in `fixtures/contacts.csv`, none in `fixtures/exports/`.
 * Half sits between with room on both sides; below it the wrong rows are still refused one by
 * one (`contactDoubt`), so a column under the line costs nothing wrong either.
 */
export const DOUBT_SHARE = 0.5;
/**
 * Share of a column's values that must read as names for a column whose header names the
 * person ("Contatos") to compete with the column taken as the name: most of them, as for a
 * name column; a "Contato" of phones or emails (common in Brazilian sheets) never gets there.
 */
export const NAMES_SHARE = 0.5;

/** Headers a company's name may hide under (besides the aliases), for the columns a message offers. */
const COMPANY_WORDS = /company|empresa|organi[sz]ation|organizacao|account|razaosocial|fantasia/;
/** ...unless the header says it is something else about the company. */
const NOT_COMPANY_WORDS = /owner|proprietario|responsavel|^id|id$|codigo|code|email|phone|telefone|title|cargo|department|departamento|domain|dominio|url|site|linkedin|status|type|tipo|number|numero|cnpj/;

interface Tally {
  values: number;
  wrong: number;
  byDoubt: Map<Doubt, { count: number; example: string }>;
}

interface Candidate {
  column: number;
  values: number;
  fitting: number;
  example?: string;
  /** Rows where it differs from the column taken (a person header's), and the first such pair. */
  differs: number;
  pair?: [string, string];
}

/** A field's doubt in a row, from the contact's: a name that is the company counts against the name's columns. */
function fieldDoubt(field: MapField, doubts: Doubts): Doubt | undefined {
  const company = doubts.companyAsPerson ? 'company' : undefined;
  if (field === 'empresa') return doubts.company;
  if (field === 'primeiro_nome') return doubts.firstName ?? company;
  if (field === 'ultimo_nome') return doubts.lastName ?? company;
  return doubts.firstName ?? doubts.lastName ?? company;
}

const DIGIT = /\d/;

const newTally = (): Tally => ({ values: 0, wrong: 0, byDoubt: new Map() });
const quote = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
const share = (part: number, whole: number): boolean => whole > 0 && part >= whole * DOUBT_SHARE;

function count(tally: Tally, value: string, doubt: Doubt | undefined): void {
  tally.values += 1;
  if (!doubt) return;
  tally.wrong += 1;
  const seen = tally.byDoubt.get(doubt);
  if (seen) seen.count += 1;
  else tally.byDoubt.set(doubt, { count: 1, example: value.trim() });
}

/**
 * The first pass's look at the columns a rule chose (an alias, the "Nome holds full names"
 * guess, the positions taken without a header), against every row's values, before anything
 * is spent. Columns named with `--map` are the user's choice: not doubted here (their rows
 * still are, one by one). Constant memory: counts and one example per kind.
 */
export class ColumnCheck {
  readonly #header: readonly string[];
  readonly #columns: Columns;
  readonly #tallies = new Map<MapField, Tally>();
  /** The tallied fields with their columns, listed once (`see` runs on every row). */
  readonly #watched: Array<[MapField, number, Tally]> = [];
  /** Other columns whose header names the person, against the full name taken (the guess, or an alias). */
  readonly #rivals: Candidate[] = [];
  /** Columns a message may offer instead of a doubted one. */
  readonly #people: Candidate[] = [];
  readonly #companies: Candidate[] = [];

  constructor(header: readonly string[], columns: Columns, ruled: ReadonlySet<MapField>) {
    this.#header = header;
    this.#columns = columns;
    const used = new Set(fieldColumns(columns).map(([, i]) => i));
    for (const [field] of fieldColumns(columns)) if (ruled.has(field)) this.#tallies.set(field, newTally());
    for (const [field, column] of fieldColumns(columns)) {
      const tally = this.#tallies.get(field);
      if (tally) this.#watched.push([field, column, tally]);
    }
    if (this.#tallies.size === 0) return;
    const fresh = (column: number): Candidate => ({ column, values: 0, fitting: 0, differs: 0 });
    header.forEach((name, i) => {
      if (used.has(i)) return;
      const person = namesPerson(name);
      if (person || isAlias('nome_completo', name) || isAlias('primeiro_nome', name)) this.#people.push(fresh(i));
      if (person && columns.kind === 'full' && ruled.has('nome_completo')) this.#rivals.push(fresh(i));
      const squashed = squash(name);
      if (isAlias('empresa', name) || (COMPANY_WORDS.test(squashed) && !NOT_COMPANY_WORDS.test(squashed))) this.#companies.push(fresh(i));
    });
  }

  /** One data row: its padded cells, and the doubts `viewRow` found in its contact (none when the API rule refused it first). */
  see(row: { cells: readonly string[]; doubts?: Doubts }): void {
    if (this.#watched.length === 0) return;
    const { cells, doubts } = row;
    for (const [field, column, tally] of this.#watched) {
      const value = cells[column] ?? '';
      if (value.trim() === '') continue;
      const doubt = doubts ? fieldDoubt(field, doubts) : field === 'empresa' ? companyDoubt(value, true) : nameDoubt(value);
      // Signs alone ("-", ".", "?") are a blank filled in, as many forms demand: counted as empty, not as another meaning.
      if (doubt === 'no-letters' && !DIGIT.test(value)) continue;
      count(tally, value, doubt);
    }
    if (this.#rivals.length > 0) this.#seeRivals(cells);
    if (this.#people.length + this.#companies.length === 0) return;
    for (const [list, fits] of [[this.#people, looksLikePersonName], [this.#companies, (v: string) => companyDoubt(v, true) === undefined]] as const) {
      for (const candidate of list) {
        const value = (cells[candidate.column] ?? '').trim();
        if (value === '') continue;
        candidate.values += 1;
        if (!fits(value)) continue;
        candidate.fitting += 1;
        candidate.example ??= value;
      }
    }
  }

  #seeRivals(cells: readonly string[]): void {
    const column = (this.#columns as { nome_completo: number }).nome_completo;
    const taken = (cells[column] ?? '').trim();
    const normalized = normalizeText(taken);
    for (const rival of this.#rivals) {
      const value = (cells[rival.column] ?? '').trim();
      if (value === '' || !looksLikePersonName(value) || normalizeText(value) === normalized) continue;
      rival.differs += 1;
      rival.pair ??= [taken, value];
    }
  }

  /** After the last row: stops the run, before any request, when a column chosen by rule is in doubt. */
  verdict(): void {
    for (const [field, tally] of this.#tallies) {
      if (share(tally.wrong, tally.values)) throw this.#doubtful(field, tally);
    }
    const rival = this.#rivals.find((r) => {
      const candidate = this.#people.find((p) => p.column === r.column)!;
      return r.differs > 0 && candidate.fitting >= candidate.values * NAMES_SHARE;
    });
    if (rival && this.#columns.kind === 'full') {
      const taken = this.#header[this.#columns.nome_completo]!;
      const other = this.#header[rival.column]!;
      const [mine, theirs] = rival.pair!;
      throw new FluenceError(
        'AMBIGUOUS_COLUMN',
        `${JSON.stringify(taken)} was taken as full names (nome_completo), but ${JSON.stringify(other)} also names the person and holds names: in ${rival.differs} row${rival.differs === 1 ? "" : "s"} they differ (${quote(mine)} and ${quote(theirs)}). Say which column is the person: --map nome_completo=${JSON.stringify(other)} or --map nome_completo=${JSON.stringify(taken)}; nothing was spent`,
      );
    }
  }

  #doubtful(field: MapField, tally: Tally): FluenceError {
    const column = fieldColumns(this.#columns).find(([f]) => f === field)![1];
    const taken = this.#header[column]!;
    const kinds = [...tally.byDoubt].sort((a, b) => b[1].count - a[1].count);
    const what = kinds.map(([doubt, { count: n, example }]) => `${n} ${n === 1 ? `is ${DOUBT_TEXT[doubt].one}` : `are ${DOUBT_TEXT[doubt].many}`} (e.g. ${quote(example)})`).join(', ');
    const company = field === 'empresa';
    const offered = company
      ? this.#companies.filter((c) => c.values > 0 && c.fitting >= c.values * (1 - DOUBT_SHARE))
      : this.#people.filter((c) => c.values > 0 && c.fitting >= c.values * NAMES_SHARE);
    const listed = offered.map((c) => `${JSON.stringify(this.#header[c.column])} (e.g. ${quote(c.example!)})`).join(', ');
    // A first or last name column is replaced by a pair, or by one column of full names.
    const split = field === 'primeiro_nome' || field === 'ultimo_nome';
    const howTo = split ? '--map primeiro_nome=Header --map ultimo_nome=Header, or --map nome_completo=Header for one column of full names' : `--map ${field}=Header`;
    const others = offered.length === 0
      ? `No other column looks like ${company ? "a company's name" : "a person's name"}; the file has: ${this.#header.map((h) => JSON.stringify(h)).join(', ')}. Name it with ${howTo}${field === 'nome_completo' ? ' (or --map primeiro_nome=Header --map ultimo_nome=Header)' : ''}`
      : split
        ? `Columns that hold names: ${listed}. Name the person's columns with ${howTo}`
        : `Columns that could be ${field}: ${listed}. Choose with ${offered.map((c) => `--map ${field}=${JSON.stringify(this.#header[c.column])}`).join(' or ')}`;
    return new FluenceError(
      'DOUBTFUL_COLUMN',
      `${JSON.stringify(taken)} was taken as ${field}, but ${tally.wrong} of its ${tally.values} values are not ${company ? "a company's name" : "a person's name"}: ${what}. ${others}; or keep it with --map ${field}=${JSON.stringify(taken)} (its rows that are not ${company ? 'a company' : 'a person'} are then left out as invalid_input); nothing was spent`,
    );
  }
}
