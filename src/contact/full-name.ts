import { cleanName } from './clean-name.js';
import { reason, type Reason } from './reason.js';

/** Particles that belong to the surname that follows them (João da Silva: "da Silva"). */
export const PARTICLES = new Set(['da', 'de', 'do', 'das', 'dos', 'e', 'di', 'del', 'van', 'von']);

/**
 * Forms of address written before a name, with or without their dot ("Dr." and "Dr"): they are
 * not the first name. Only words no one is named: "Dona" (a title, but also a given name in
 * some families) and "Pe." are left alone.
 */
const TITLES = new Set([
  'dr',
  'dra',
  'drª',
  'sr',
  'sra',
  'srª',
  'srta',
  'prof',
  'profa',
  'profª',
  'eng',
  'enga',
  'engª',
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'pe',
  'padre',
  'frei',
  'irma',
  'irmã',
  'cel',
  'sgt',
  'ten',
  'cap',
  'me',
  'ma',
  'arq',
  'arqa',
  'adv',
  'dr.ª',
  'engº',
  'eng.º',
]);

/** The specialty written after "Eng." (`Eng. Civil Marcos`, `Enga. Agrônoma Ana`): part of the title. */
const SPECIALTIES = new Set([
  'civil',
  'eletricista',
  'eletrico',
  'elétrico',
  'eletrica',
  'elétrica',
  'mecanico',
  'mecânico',
  'mecanica',
  'mecânica',
  'agronomo',
  'agrônomo',
  'agronoma',
  'agrônoma',
  'quimico',
  'químico',
  'quimica',
  'química',
  'florestal',
  'ambiental',
  'eletronico',
  'eletrônico',
]);
/** Titles that are words or names without their dot (`Me`, `Ma`, `Pe`, `Cap`, `Ten`, `Adv`): a title only with it. */
const DOTTED_ONLY = new Set(['me', 'ma', 'pe', 'cap', 'ten', 'adv', 'cel', 'arq']);

/** How many words at the start of `all` are titles (`Dr.`, `Profa.`, `Eng. Civil`, `Pe.`, `Frei`). */
export function leadingTitles(all: readonly string[]): number {
  let start = 0;
  while (start < all.length) {
    const word = all[start]!;
    const key = bare(word);
    if (!TITLES.has(key) || (DOTTED_ONLY.has(key) && !word.endsWith('.'))) break;
    start += 1;
    if (key.startsWith('eng')) while (start < all.length && SPECIALTIES.has(all[start]!.toLowerCase())) start += 1;
  }
  return start;
}

/** What follows a surname after a comma without being a given name ("King, Jr."): the comma is not "Last, First". */
const SUFFIXES = new Set(['jr', 'júnior', 'junior', 'filho', 'neto', 'sobrinho', 'ii', 'iii', 'iv']);
/**
 * Suffixes that are never a surname by themselves: "King Jr." has no surname to send. "Filho",
 * "Neto" and "Júnior" are (Carlos Júnior, João Neto are how people are known).
 */
const ONLY_SUFFIXES = new Set(['jr', 'ii', 'iii', 'iv']);

/** A note in brackets ("(Compras)", "[ex-cliente]"), closed or cut off at the end of the cell. */
const BRACKETED = /\s*(?:\([^()]*(?:\)|$)|\[[^[\]]*(?:\]|$))\s*/g;
/**
 * A note after a dash, a slash or a bar with spaces around it, to the end ("Ana Moura - Compras",
 * "Ana Moura / Financeiro", "Ana Moura | Acme"): a hyphenated surname ("Moura-Silva") has none.
 */
const TRAILING_NOTE = /\s+[-–—/|](?:\s.*)?$/s;
const NOTE_SIGN = /[([\-–—/|]/;

/** A full name without what surely is a note: in brackets, or after a spaced dash, slash or bar. */
export function withoutNotes(raw: string): string {
  // Most names hold none of the signs a note starts with: no regex for them.
  if (!NOTE_SIGN.test(raw)) return raw.trim();
  return raw.replace(BRACKETED, ' ').trim().replace(TRAILING_NOTE, '').trim();
}

/** A full name as people write it, and what could be sent from it. */
export interface FullName {
  firstName: string;
  lastName: string;
  /** Why nothing sendable is left (a comma that is not "Last, First", only a title or a note): the row is then invalid. */
  problem?: Reason;
}

const words = (text: string): string[] =>
  text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
const bare = (word: string): string => word.toLowerCase().replace(/\.$/, '');

/**
 * "Moura, Ana Beatriz", "Dr. Carlos Alberto Souza", "Ana Moura (Compras)" -> the name as it is
 * said ("Ana Beatriz Moura", "Carlos Alberto Souza", "Ana Moura"), then split as `splitWords`
 * does. Only what surely is not the name is dropped: a note in brackets, leading titles, the
 * comma of "Last, First" (turned around, so the same person written both ways is one contact).
 */
export function readFullName(raw: string): FullName {
  let text = withoutNotes(cleanName(raw));
  const commas = text.split(',').length - 1;
  if (commas > 1) return { firstName: '', lastName: '', problem: reason('rows.severalCommas') };
  if (commas === 1) {
    const [before, after] = text.split(',').map((part) => part.trim()) as [string, string];
    const afterWords = words(after);
    const suffixOnly = afterWords.length > 0 && afterWords.every((w) => SUFFIXES.has(bare(w)));
    // "King, Jr.": a surname and its suffix, no given name (not "Last, First" either).
    if (suffixOnly && words(before).length === 1)
      return {
        firstName: '',
        lastName: '',
        problem: reason('rows.surnameAndSuffix'),
      };
    // A comma at either end ("Moura,") separates nothing; a suffix after it stays where it is.
    if (before === '' || after === '' || suffixOnly) text = `${before} ${after}`;
    // "Last, First" when one side is a single name: "Moura, Ana Beatriz", "Pereira da Silva, João".
    // Several names on both sides may as well be two people ("Ana Moura, João Silva"): not a guess to pay for.
    else if (afterWords.length === 1 || words(before).filter((w) => !PARTICLES.has(w.toLowerCase())).length === 1)
      text = `${after} ${before}`;
    else
      return {
        firstName: '',
        lastName: '',
        problem: reason('rows.commaBetweenNames'),
      };
  }
  const all = words(text);
  const start = leadingTitles(all);
  if (start > 0 && start === all.length)
    return {
      firstName: '',
      lastName: '',
      problem: reason('rows.onlyTitle', { field: 'nome_completo' }),
    };
  if (all.length === 0 && raw.trim() !== '') return { firstName: '', lastName: '', problem: reason('rows.onlyNote') };
  const name = all.slice(start);
  // "King Jr.": one name and a suffix, no surname.
  if (name.length >= 2 && name[name.length - 1]!.length <= 4 && name.slice(1).every((w) => ONLY_SUFFIXES.has(bare(w))))
    return {
      firstName: '',
      lastName: '',
      problem: reason('rows.nameAndSuffix'),
    };
  return splitWords(name);
}

/**
 * "Maria da Silva" -> first "Maria", last "da Silva": the first word is the first name, the
 * rest the surname, particles included. A single word leaves the surname empty (the row is
 * then invalid: the API needs both).
 */
export function splitWords(parts: readonly string[]): { firstName: string; lastName: string } {
  let cut = 1;
  // A name that starts with a particle ("de Souza") has no first name to take.
  if (parts.length > 0 && PARTICLES.has(parts[0]!.toLowerCase())) cut = 0;
  return { firstName: parts.slice(0, cut).join(' '), lastName: parts.slice(cut).join(' ') };
}

/**
 * A first and a last name from their own columns, cleaned as a full name is (`cleanName`, notes
 * in brackets, leading titles: `dr. ricardo`, `rocha (she/her)`, `carvalho, mba`, `almeida 🚀`).
 * A full name typed in the first name's column with the surname's empty (`Ana Beatriz Moura`,
 * as web forms leave it) is split as `readFullName` does.
 */
export function readNameParts(first: string, last: string): FullName {
  const surname = withoutNotes(cleanName(last));
  const given = words(withoutNotes(cleanName(first)));
  const start = leadingTitles(given);
  if (start > 0 && start === given.length)
    return {
      firstName: '',
      lastName: surname,
      problem: reason('rows.onlyTitle', { field: 'primeiro_nome' }),
    };
  const name = given.slice(start);
  if (surname === '' && name.length >= 2) return readFullName(name.join(' '));
  // A first name that starts with a particle in small letters (`de Compra`, `dos Santos`) is a surname's
  // start or a phrase's, as it is in a full name: no first name (`Van`, alone or capitalised, is one).
  if (name.length >= 2 && PARTICLES.has(name[0]!))
    return { firstName: '', lastName: [...name, surname].join(' ').trim() };
  return { firstName: name.join(' '), lastName: surname };
}

/** The first and last name `readFullName` finds (empty when it finds none). */
export function splitFullName(full: string): { firstName: string; lastName: string } {
  const { firstName, lastName } = readFullName(full);
  return { firstName, lastName };
}
