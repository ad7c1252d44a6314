import { isFiller, nobodyDoubt, wordKey } from '../contact/fillers.js';
import type { FirstNames } from '../contact/first-names.js';
import type { Contact } from '../contact/normalize.js';
import { normalizeText } from '../contact/normalize.js';
import { personSignal, type PersonSignal } from '../contact/not-a-person.js';
import {
  BLANK_DOUBTS,
  companyDoubt,
  looksLikePersonName,
  nameDoubt,
  type Doubt,
  type Doubts,
} from '../contact/plausible.js';
import { adviceOf, FluenceError } from '../errors.js';
import type { MessageKey } from '../i18n/catalog.js';
import { message, wordList, type Message } from '../i18n/message.js';
import {
  fieldColumns,
  isAlias,
  namesPerson,
  quoted,
  squash,
  type Columns,
  type ContactField,
  type MapField,
} from './columns.js';

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
/**
 * Share of a full-name column taken by rule (the `Nome` guess, a `Name` alias) whose values
 * must carry a `personSignal` (a word of a business or a deal, a lowercase word after the first)
 * for the column to be doubted: the hints are too weak for one row, not for most of a column.
 * Measured: no value of a real name carries one in `fixtures/exports/` (the two `Nome` guesses
 * among them included), `fixtures/contacts.csv` (0 of 200) or `fixtures/wrong-person/full-names.csv`
 * (0 of 11); 1 of 4 in `fixtures/bad/names-with-urls.csv` (25%, its URL row); every value of a
 * column of trade names or deals (`Padaria Aurora`, `Renovação contrato`). Half again, with a
 * lead list typed by hand in mind (`Ana moura`): a third of those is still a list of people.
 */
export const NOT_PERSON_SHARE = 0.5;

/**
 * Share of a name column's values (a full name or a first name, taken by rule) that must begin
 * with a known first name (the gazetteer: `isName`): people's names do, nearly all of them
 * (measured on our sets: see README); deal titles, products, departments and statuses do not.
 */
export const KNOWN_NAMES_SHARE = 0.5;
/** Values a column needs before that share says anything (a file of three rare names is no evidence); its rows are still judged one by one. */
export const KNOWN_NAMES_MIN = 10;

/** What a column's tally counts: a row's doubt, or a hint that a full name is not a person's. */
type Finding = Doubt | PersonSignal | 'no-first-name';

/** A finding said in words: `errors.doubtfulColumn.finding.<kind>` (`record-id` -> `recordId`); every kind has one (a test checks). */
export const findingKey = (finding: Finding): MessageKey =>
  `errors.doubtfulColumn.finding.${finding.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}` as MessageKey;

/** Headers a company's name may hide under (besides the aliases), for the columns a message offers. */
const COMPANY_WORDS = /company|empresa|organi[sz]ation|organizacao|account|razaosocial|fantasia/;
/** ...unless the header says it is something else about the company. */
const NOT_COMPANY_WORDS =
  /owner|proprietario|responsavel|^id|id$|codigo|code|email|phone|telefone|title|cargo|department|departamento|domain|dominio|url|site|linkedin|status|type|tipo|number|numero|cnpj/;

interface Tally {
  values: number;
  wrong: number;
  byDoubt: Map<Finding, { count: number; example: string }>;
}

interface Candidate {
  column: number;
  values: number;
  fitting: number;
  /** Values that begin with a known first name (counted when the gazetteer is read): a column is offered as people's only when half do. */
  known: number;
  example?: string;
  /** Rows where it differs from the column taken (a person header's), and the first such pair. */
  differs: number;
  pair?: [string, string];
}

/** A field's doubt in a row, from the contact's: a name that is the company counts against the name's columns. */
function fieldDoubt(field: MapField, doubts: Doubts): Doubt | undefined {
  const company = doubts.companyAsPerson ? 'company' : undefined;
  // A first word that is a common word is the known-first-name tally's (`KNOWN_NAMES_MIN`), weighed after the others.
  if (doubts.firstName === 'word' && field !== 'empresa') return doubts.lastName ?? company;
  if (field === 'empresa') return doubts.company;
  if (field === 'primeiro_nome') return doubts.firstName ?? company;
  if (field === 'ultimo_nome') return doubts.lastName ?? company;
  return doubts.firstName ?? doubts.lastName ?? company;
}

const newTally = (): Tally => ({ values: 0, wrong: 0, byDoubt: new Map() });
const quote = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
const share = (part: number, whole: number): boolean => whole > 0 && part >= whole * DOUBT_SHARE;

function count(tally: Tally, value: string, doubt: Finding | undefined): void {
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
  /** Without a header: columns are offered, and named in `--map`, by position. */
  readonly #positional: boolean;
  readonly #tallies = new Map<MapField, Tally>();
  /** The tallied fields with their columns, listed once (`see` runs on every row). */
  readonly #watched: Array<[MapField, number, Tally]> = [];
  /** A full-name column taken by rule, and its values' hints that they are no person's (`personSignal`). */
  readonly #signals: { column: number; tally: Tally } | undefined;
  /** Other columns whose header names the person, against the full name taken (the guess, or an alias). */
  readonly #rivals: Candidate[] = [];
  /** Columns a message may offer instead of a doubted one. */
  readonly #people: Candidate[] = [];
  readonly #companies: Candidate[] = [];
  /** The person's column taken by rule (a full name, or a first name) and how many of its values begin with a known first name. */
  readonly #firsts: { field: MapField; tally: Tally; names: FirstNames } | undefined;
  /** The gazetteer, when the first pass reads it: what makes a column worth offering as people's. */
  readonly #names: FirstNames | undefined;

  constructor(
    header: readonly string[],
    columns: Columns,
    ruled: ReadonlySet<MapField>,
    { positional = false, names }: { positional?: boolean; names?: FirstNames } = {},
  ) {
    this.#header = header;
    this.#columns = columns;
    this.#positional = positional;
    this.#names = names;
    const used = new Set(fieldColumns(columns).map(([, i]) => i));
    for (const [field] of fieldColumns(columns)) if (ruled.has(field)) this.#tallies.set(field, newTally());
    for (const [field, column] of fieldColumns(columns)) {
      const tally = this.#tallies.get(field);
      if (tally) this.#watched.push([field, column, tally]);
    }
    if (columns.kind === 'full' && ruled.has('nome_completo'))
      this.#signals = { column: columns.nome_completo, tally: newTally() };
    const personField = columns.kind === 'full' ? 'nome_completo' : 'primeiro_nome';
    if (names && ruled.has(personField)) this.#firsts = { field: personField, tally: newTally(), names };
    if (this.#tallies.size === 0) return;
    const fresh = (column: number): Candidate => ({ column, values: 0, fitting: 0, known: 0, differs: 0 });
    header.forEach((name, i) => {
      // Without a header every column may be meant, the ones taken included: the values say which.
      if (positional) {
        this.#people.push(fresh(i));
        this.#companies.push(fresh(i));
        return;
      }
      if (used.has(i)) return;
      const person = namesPerson(name);
      if (person || isAlias('nome_completo', name) || isAlias('primeiro_nome', name)) this.#people.push(fresh(i));
      if (person && columns.kind === 'full' && ruled.has('nome_completo')) this.#rivals.push(fresh(i));
      const squashed = squash(name);
      if (isAlias('empresa', name) || (COMPANY_WORDS.test(squashed) && !NOT_COMPANY_WORDS.test(squashed)))
        this.#companies.push(fresh(i));
    });
  }

  /** One data row: its padded cells, and the doubts `viewRow` found in its contact (none when the API rule refused it first). */
  see(row: { cells: readonly string[]; doubts?: Doubts; contact?: Contact }): void {
    if (this.#watched.length === 0) return;
    const { cells, doubts } = row;
    if (this.#firsts && row.contact) this.#seeFirstName(row.contact, this.#firsts);
    for (const [field, column, tally] of this.#watched) {
      const value = cells[column] ?? '';
      if (value.trim() === '') continue;
      const doubt = doubts
        ? fieldDoubt(field, doubts)
        : field === 'empresa'
          ? companyDoubt(value, true)
          : (field !== 'ultimo_nome' && nobodyDoubt(value)) || nameDoubt(value);
      // A blank filled in ("-", "n/a", "pessoa física"), as many forms demand: counted as empty, not as another meaning.
      if (doubt !== undefined && BLANK_DOUBTS.has(doubt)) continue;
      count(tally, value, doubt);
    }
    if (this.#signals) {
      const value = (cells[this.#signals.column] ?? '').trim();
      if (value !== '' && !isFiller(value)) count(this.#signals.tally, value, personSignal(value));
    }
    if (this.#rivals.length > 0) this.#seeRivals(cells);
    if (this.#people.length + this.#companies.length === 0) return;
    for (const [list, fits] of [
      [this.#people, looksLikePersonName],
      [this.#companies, (v: string) => companyDoubt(v, true) === undefined],
    ] as const) {
      for (const candidate of list) {
        const value = (cells[candidate.column] ?? '').trim();
        if (value === '') continue;
        candidate.values += 1;
        if (!fits(value)) continue;
        candidate.fitting += 1;
        if (list === this.#people && this.#names?.isName(wordKey(value.split(/\s/, 1)[0]!))) candidate.known += 1;
        candidate.example ??= value;
      }
    }
  }

  /** Whether a row's name begins with a known first name (an empty name, a filler: not counted). */
  #seeFirstName(contact: Contact, firsts: { tally: Tally; names: FirstNames }): void {
    const name = contact.firstName.trim();
    if (name === '' || isFiller(name)) return;
    const first = name.split(/\s/, 1)[0]!;
    // A first word with digits (`Pessoa12`, `0015g00000XyZ12AAB`) is the id and digit rules' to judge, not the gazetteer's.
    if (/\d/.test(first)) return;
    count(
      firsts.tally,
      `${contact.firstName} ${contact.lastName}`,
      firsts.names.isName(wordKey(first)) ? undefined : 'no-first-name',
    );
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

  /**
   * After the last row: stops the run, before any request, when a column chosen by rule is in
   * doubt. Values that cannot be a person or a company first, then another column that names the
   * person, then a full name whose values read as businesses or deals (the weakest hint).
   */
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
      const columns = { taken: JSON.stringify(taken), other: JSON.stringify(other) };
      throw new FluenceError(
        'AMBIGUOUS_COLUMN',
        message('errors.ambiguousColumn.rival', {
          ...columns,
          rows: rival.differs,
          mine: quote(mine),
          theirs: quote(theirs),
        }),
        { advice: adviceOf('errors.ambiguousColumn.rival', columns) },
      );
    }
    const signals = this.#signals?.tally;
    if (signals && signals.values > 0 && signals.wrong >= signals.values * NOT_PERSON_SHARE)
      throw this.#doubtful('nome_completo', signals, true);
    const firsts = this.#firsts;
    if (
      firsts &&
      firsts.tally.values >= KNOWN_NAMES_MIN &&
      firsts.tally.values - firsts.tally.wrong < firsts.tally.values * KNOWN_NAMES_SHARE
    )
      throw this.#doubtful(firsts.field, firsts.tally, true);
  }

  /**
   * Whether a candidate column holds people's names: half its values read as names and, when the
   * gazetteer is read, half begin with a known first name (as `KNOWN_NAMES_SHARE` asks of the
   * column taken), so that a column of companies or phrases is never offered as names.
   */
  #peoples(c: Candidate): boolean {
    if (c.values === 0 || c.fitting < c.values * NAMES_SHARE) return false;
    return this.#names === undefined || c.known >= c.values * KNOWN_NAMES_SHARE;
  }

  /** A column as a message names it: its header, or its position when the file has none. */
  #name(column: number): Message {
    return this.#positional
      ? message('errors.doubtfulColumn.position', { column: column + 1 })
      : message('errors.doubtfulColumn.header', { header: JSON.stringify(this.#header[column]) });
  }

  /** How a column is given to `--map`. */
  #ref(column: number): string {
    return this.#positional ? String(column + 1) : JSON.stringify(this.#header[column]);
  }

  /** `hinted`: the tally holds hints only, which `--map` does not turn into refused rows. */
  #doubtful(field: MapField, tally: Tally, hinted = false): FluenceError {
    const column = fieldColumns(this.#columns).find(([f]) => f === field)![1];
    const kinds = [...tally.byDoubt].sort((a, b) => b[1].count - a[1].count);
    const findings = kinds.map(([doubt, { count: n, example }]) =>
      message(findingKey(doubt), { n, example: quote(example) }),
    );
    const company = field === 'empresa';
    const offered = (
      company
        ? this.#companies.filter((c) => c.values > 0 && c.fitting >= c.values * (1 - DOUBT_SHARE))
        : this.#people.filter((c) => this.#peoples(c))
    ).filter((c) => c.column !== column);
    const listed = offered.map((c) =>
      message('errors.doubtfulColumn.offered', { column: this.#name(c.column), example: quote(c.example!) }),
    );
    // A first or last name column is replaced by a pair, or by one column of full names.
    const split = field === 'primeiro_nome' || field === 'ultimo_nome';
    const kind = company ? 'company' : 'person';
    const positional = this.#positional ? 'yes' : 'no';
    const facts = message('errors.doubtfulColumn', {
      column: this.#name(column),
      field,
      wrong: tally.wrong,
      values: tally.values,
      kind,
      findings: wordList(findings),
      offered: offered.length === 0 ? 'none' : split || (this.#positional && !company) ? 'names' : 'field',
      listed: wordList(listed),
      positional,
      headers: quoted(this.#header),
    });
    const advise = this.#positional ? 'positions' : offered.length === 0 ? 'name' : split ? 'split' : 'choose';
    const how = split ? 'split' : field === 'nome_completo' ? 'full' : 'field';
    return new FluenceError('DOUBTFUL_COLUMN', facts, {
      advice: adviceOf('errors.doubtfulColumn', {
        advise,
        how,
        field,
        kind,
        hinted: hinted ? 'yes' : 'no',
        positions: this.#positional ? this.#positionsFor(field, column) : '',
        choices: wordList(
          offered.map((c) => `--map ${field}=${this.#ref(c.column)}`),
          'or',
        ),
        keep: this.#positional ? this.#positionsFor() : `--map ${field}=${JSON.stringify(this.#header[column])}`,
      }),
    });
  }

  /**
   * `--map` by position for every field, as a file without a header needs (any `--map` replaces
   * the default 1, 2, 3): the columns taken now, or, for `doubted`, the columns whose values fit.
   */
  #positionsFor(doubted?: MapField, column?: number): string {
    if (this.#columns.kind !== 'split')
      return fieldColumns(this.#columns)
        .map(([f, i]) => `--map ${f}=${i + 1}`)
        .join(' ');
    const taken = {
      primeiro_nome: this.#columns.primeiro_nome,
      ultimo_nome: this.#columns.ultimo_nome,
      empresa: this.#columns.empresa,
    };
    const fitting = (list: Candidate[], share: number): number[] =>
      list.filter((c) => c.column !== column && c.values > 0 && c.fitting >= c.values * share).map((c) => c.column);
    const firsts = this.#people.filter((c) => c.column !== column && this.#peoples(c)).map((c) => c.column);
    const chosen: Record<ContactField, number | undefined> = { ...taken };
    if (doubted === 'empresa') {
      chosen.empresa = fitting(this.#companies, 1 - DOUBT_SHARE).find(
        (i) => i !== taken.primeiro_nome && i !== taken.ultimo_nome,
      );
    } else if (doubted !== undefined) {
      // A pair of name columns, then a company's to their right (or anywhere else).
      // The first name's column must hold people (`#peoples`); the surname's, names after it.
      const first = firsts[0];
      const last = first === undefined ? undefined : fitting(this.#people, NAMES_SHARE).find((i) => i !== first);
      chosen.primeiro_nome = first;
      chosen.ultimo_nome = last;
      const companies = fitting(this.#companies, 1 - DOUBT_SHARE).filter((i) => i !== first && i !== last);
      chosen.empresa = last === undefined ? undefined : (companies.find((i) => i > last) ?? companies[0]);
    }
    return (['primeiro_nome', 'ultimo_nome', 'empresa'] as const)
      .map((f) => `--map ${f}=${chosen[f] === undefined ? 'N' : chosen[f]! + 1}`)
      .join(' ');
  }
}
