import { normalizeText, normalizeWord } from './normalize.js';

/**
 * What people and programs put in a cell that must not stay empty, and words that say "nobody"
 * or "no company": the API would take them, and charge, for a person no one meant. Compared
 * without case, accents, or signs around them (`(não informado)`, `<null>`, `N/A.`).
 */

/** Words that stand for an empty cell, alone or repeated (`null null`, `N/A N/A`). */
const EMPTY_WORDS = new Set([
  'n/a',
  'n.a',
  'na',
  'n/d',
  'n/i',
  'null',
  'nil',
  'nan',
  'none',
  'undefined',
  'nenhum',
  'nenhuma',
  'nada',
  'vazio',
  'empty',
  'unknown',
  'desconhecido',
  'desconhecida',
  'tbd',
  'xx',
  'xxx',
  'xxxx',
]);
/** Fillers that are names too (Li Na, Nan Goldin, Nil, Nada): a filler only when the whole name is fillers. */
const NAME_TOO = new Set(['na', 'nan', 'nil', 'nada']);

/** Phrases that stand for an empty cell. */
const EMPTY_PHRASES = new Set([
  'nao informado',
  'nao informada',
  'nao informou',
  'nao tem',
  'nao possui',
  'nao se aplica',
  'nao consta',
  'nao sei',
  'nao ha',
  'sem empresa',
  'sem nome',
  'sem informacao',
  'a definir',
  'not informed',
  'not available',
  'not applicable',
  'no company',
  'no name',
]);

/**
 * First words of a name that no one is given: a filler (`null`, `N/A`, `Fulano de Tal`; `Não
 * informado` and `Sem nome` are phrases, as `Nao` and `Sem` are names too) or a department, a
 * role or a test (`Financeiro Acme`, `Cliente Novo`, `Teste Teste`, `Contas a Pagar`). Names
 * that are words too (`Rosa`, `Branco`, `Santos`) are not here.
 */
const NO_GIVEN_NAME = new Set([
  'fulano',
  'fulana',
  'beltrano',
  'sicrano',
  ...[...EMPTY_WORDS].filter((word) => !NAME_TOO.has(word)),
]);

const ROLE_WORDS = new Set([
  'equipe',
  'comercial',
  'financeiro',
  'financeira',
  'financas',
  'contas',
  'contabilidade',
  'contabil',
  'fiscal',
  'faturamento',
  'cobranca',
  'tesouraria',
  'atendimento',
  'suporte',
  'vendas',
  'compras',
  'rh',
  'diretoria',
  'presidencia',
  'gerencia',
  'secretaria',
  'recepcao',
  'administracao',
  'administrativo',
  'administrador',
  'adm',
  'admin',
  'juridico',
  'marketing',
  'logistica',
  'expedicao',
  'almoxarifado',
  'ouvidoria',
  'sac',
  'ti',
  'departamento',
  'depto',
  'setor',
  'teste',
  'testes',
  'test',
  'testing',
  'cliente',
  'clientes',
  'contato',
  'contatos',
  'fornecedor',
  'fornecedores',
  'sales',
  'support',
  'billing',
  'accounts',
  'finance',
  'purchasing',
  'procurement',
  'reception',
  'helpdesk',
  'info',
  'office',
  'team',
  'customer',
  'contact',
  'noreply',
  'webmaster',
  'asdf',
  'qwerty',
]);

/** Words for having no company: a private person, self-employed, out of work. */
const NO_COMPANY = new Set([
  'pessoa fisica',
  'autonomo',
  'autonoma',
  'autonomo(a',
  'autonomo/a',
  'particular',
  'freelancer',
  'freelance',
  'self-employed',
  'self employed',
  'desempregado',
  'desempregada',
  'aposentado',
  'aposentada',
  'do lar',
  'profissional liberal',
  'estudante',
]);

/** Domains of webmail: whoever writes one as their company gave their email's, not an employer. */
const WEBMAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'hotmail.com',
  'hotmail.com.br',
  'outlook.com',
  'outlook.com.br',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.com.br',
  'ymail.com',
  'uol.com.br',
  'bol.com.br',
  'icloud.com',
  'me.com',
  'terra.com.br',
  'ig.com.br',
  'aol.com',
  'protonmail.com',
  'proton.me',
]);

const ALNUM = /[\p{L}\p{N}]/u;

/** First words of the phrases: a value whose first word is none of these is no phrase. */
const PHRASE_FIRSTS = new Set([...EMPTY_PHRASES].map((phrase) => phrase.split(' ')[0]!));
const NO_COMPANY_FIRSTS = new Set([...NO_COMPANY].map((words) => words.split(' ')[0]!));

/** The letters the words of `lists` start with: a value starting with another letter is in none of them. */
const initials = (...lists: Array<Set<string>>): Set<number> =>
  new Set(lists.flatMap((list) => [...list].map((word) => word.charCodeAt(0))));
const FILLER_INITIALS = initials(EMPTY_WORDS, PHRASE_FIRSTS);
const COMPANY_INITIALS = initials(EMPTY_WORDS, PHRASE_FIRSTS, NO_COMPANY_FIRSTS);

/** Whether `text` may start with a word of lists starting with `letters`: an ASCII letter must be one of them (anything else may be). */
function mayStartWith(text: string, letters: Set<number>): boolean {
  const code = text.charCodeAt(0) | 32;
  return code < 97 || code > 122 || letters.has(code);
}

const SIGNS_AROUND = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** A plain lowercase letter or a digit (what normalizing leaves of most characters). */
const plain = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 48 && code <= 57);

/** Without the signs around it: most words have none, and skip the regex. */
const bare = (text: string): string =>
  text !== '' && plain(text.charCodeAt(0)) && plain(text.charCodeAt(text.length - 1))
    ? text
    : text.replace(SIGNS_AROUND, '');

/** A value as compared here: normalized, without the signs around it. */
const key = (text: string): string => bare(normalizeText(text));

/** One word as compared here (the lists' words, the first word of a name). */
export const wordKey = (word: string): string => bare(normalizeWord(word));

/** The first word of trimmed text, as compared here. */
function firstKey(text: string): string {
  let end = 0;
  // Up to the first space, tab or line break (or a no-break space).
  while (end < text.length && text.charCodeAt(end) > 32 && text.charCodeAt(end) !== 160) end += 1;
  return wordKey(end === text.length ? text : text.slice(0, end));
}

/** Whether every word of `text` is a filler (`null`, `N/A N/A`, `- -`). */
function allEmptyWords(text: string): boolean {
  return text.split(/\s+/).every((word) => {
    const bareWord = wordKey(word);
    return bareWord === '' || EMPTY_WORDS.has(bareWord);
  });
}

/** Whether trimmed `text`, whose first word is `first`, is fillers only or a filler phrase. */
function filler(text: string, first: string): boolean {
  if (text.length > 24) return false;
  if (EMPTY_WORDS.has(first) || first === '') return allEmptyWords(text);
  return PHRASE_FIRSTS.has(first) && EMPTY_PHRASES.has(key(text));
}

/**
 * A whole cell that stands for an empty one: signs alone (`-`, `.`, `?`), `n/a`, `null`, `não
 * informado`... `namePart`: the cell is one part of a name (a first or a last name), where a
 * filler that is a name too (`Nan`) is a name.
 */
export function isFiller(value: string, namePart = false): boolean {
  const text = value.trim();
  if (text === '') return false;
  if (!ALNUM.test(text)) return true;
  if (text.length > 24 || !mayStartWith(text, FILLER_INITIALS)) return false;
  const first = firstKey(text);
  return !(namePart && NAME_TOO.has(first)) && filler(text, first);
}

/**
 * What a company's cell (with letters) says instead of a company: a filler (`n/a`, `não
 * informado`), a word for no company (`pessoa física`, `autônomo`), a webmail's domain
 * (`gmail.com`), a checkbox (`TRUE`).
 */
export function companyFiller(value: string): 'placeholder' | 'no-company' | 'webmail' | 'boolean' | undefined {
  const text = value.trim();
  if (text === '' || text.length > 24) return undefined;
  if (!ALNUM.test(text)) return 'placeholder';
  if (isBoolean(text)) return 'boolean';
  // Every domain has a dot and no space: most companies skip the lookup.
  if (text.includes('.') && !/\s/.test(text) && WEBMAIL.has(key(text).replace(/^www\./, ''))) return 'webmail';
  // The lists' first letters: most companies start with another and skip the rest.
  if (!mayStartWith(text, COMPANY_INITIALS)) return undefined;
  const first = firstKey(text);
  if (filler(text, first)) return 'placeholder';
  return NO_COMPANY_FIRSTS.has(first) && NO_COMPANY.has(key(text)) ? 'no-company' : undefined;
}

/**
 * Why a person's name (its words in order, titles and notes already dropped; or its first and
 * last names) is nobody: `placeholder` (all fillers, or a first word that is one), `role` (a
 * first word that is a department, a role or a test). Only the first word and fillers decide:
 * `Ana Vendas` is sent.
 */
export function nobodyDoubt(name: string, lastName = ''): 'placeholder' | 'role' | undefined {
  let head = name.trim();
  if (head === '') head = lastName.trim();
  if (head === '') return undefined;
  const first = firstKey(head);
  if (NO_GIVEN_NAME.has(first)) return 'placeholder';
  if (ROLE_WORDS.has(first)) return 'role';
  // Nearly every name: its first word starts no filler, and the whole name is never put together.
  if (first !== '' && !EMPTY_WORDS.has(first) && !PHRASE_FIRSTS.has(first)) return undefined;
  return filler(`${name} ${lastName}`.trim(), first) ? 'placeholder' : undefined;
}

/** A checkbox's value as a spreadsheet or a program writes it: `TRUE`, `false`, `VERDADEIRO`. One case throughout: `True` may be a name. */
export function isBoolean(value: string): boolean {
  const text = value.trim();
  if (text.length < 4 || text.length > 10) return false;
  const lower = text.toLowerCase();
  return (
    (text === lower || text === text.toUpperCase()) &&
    (lower === 'true' || lower === 'false' || lower === 'verdadeiro' || lower === 'falso')
  );
}
