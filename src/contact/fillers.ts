import { normalizeText } from './normalize.js';

/**
 * What people and programs put in a cell that must not stay empty, and words that say "nobody"
 * or "no company": the API would take them, and charge, for a person no one meant. Compared
 * without case, accents, or signs around them (`(não informado)`, `<null>`, `N/A.`).
 */

/** Words that stand for an empty cell, alone or repeated (`null null`, `N/A N/A`). */
const EMPTY_WORDS = new Set([
  'n/a', 'n.a', 'na', 'n/d', 'n/i', 'null', 'nil', 'nan', 'none', 'undefined', 'nenhum', 'nenhuma', 'nada', 'vazio', 'empty',
  'unknown', 'desconhecido', 'desconhecida', 'tbd', 'xx', 'xxx', 'xxxx',
]);
/** Fillers that are names too (Li Na, Nan Goldin, Nil): a filler only when the whole name is fillers. */
const NAME_TOO = new Set(['na', 'nan', 'nil']);

/** Phrases that stand for an empty cell. */
const EMPTY_PHRASES = new Set([
  'nao informado', 'nao informada', 'nao informou', 'nao tem', 'nao possui', 'nao se aplica', 'nao consta', 'nao sei', 'nao ha',
  'sem empresa', 'sem nome', 'sem informacao', 'a definir', 'not informed', 'not available', 'not applicable', 'no company', 'no name',
]);

/**
 * First words of a name that no one is given: a filler (`Não informado`, `Sem nome`, `null`,
 * `Fulano de Tal`) or a department, a role or a test (`Financeiro Acme`, `Cliente Novo`, `Teste
 * Teste`, `Contas a Pagar`). Names that are words too (`Rosa`, `Branco`, `Santos`) are not here.
 */
const NO_GIVEN_NAME = new Set(['nao', 'sem', 'null', 'undefined', 'none', 'nenhum', 'nenhuma', 'vazio', 'unknown', 'desconhecido', 'desconhecida', 'n/a', 'fulano', 'fulana', 'beltrano', 'sicrano']);

const ROLE_WORDS = new Set([
  'equipe', 'comercial', 'financeiro', 'financeira', 'financas', 'contas', 'contabilidade', 'contabil', 'fiscal', 'faturamento', 'cobranca',
  'tesouraria', 'atendimento', 'suporte', 'vendas', 'compras', 'rh', 'diretoria', 'presidencia', 'gerencia', 'secretaria', 'recepcao',
  'administracao', 'administrativo', 'administrador', 'adm', 'admin', 'juridico', 'marketing', 'logistica', 'expedicao', 'almoxarifado',
  'ouvidoria', 'sac', 'ti', 'departamento', 'depto', 'setor', 'teste', 'testes', 'test', 'testing', 'cliente', 'clientes', 'contato',
  'contatos', 'fornecedor', 'fornecedores', 'sales', 'support', 'billing', 'accounts', 'finance', 'purchasing', 'procurement', 'reception',
  'helpdesk', 'info', 'office', 'team', 'customer', 'contact', 'noreply', 'webmaster', 'asdf', 'qwerty',
]);

/** Words for having no company: a private person, self-employed, out of work. */
const NO_COMPANY = new Set([
  'pessoa fisica', 'autonomo', 'autonoma', 'autonomo(a', 'autonomo/a', 'particular', 'freelancer', 'freelance', 'self-employed', 'self employed',
  'desempregado', 'desempregada', 'aposentado', 'aposentada', 'do lar', 'profissional liberal', 'estudante',
]);

/** Domains of webmail: whoever writes one as their company gave their email's, not an employer. */
const WEBMAIL = new Set([
  'gmail.com', 'googlemail.com', 'hotmail.com', 'hotmail.com.br', 'outlook.com', 'outlook.com.br', 'live.com', 'msn.com', 'yahoo.com',
  'yahoo.com.br', 'ymail.com', 'uol.com.br', 'bol.com.br', 'icloud.com', 'me.com', 'terra.com.br', 'ig.com.br', 'aol.com',
  'protonmail.com', 'proton.me',
]);

const ALNUM = /[\p{L}\p{N}]/u;

/** First words of the phrases: a value whose first word is none of these is no phrase. */
const PHRASE_FIRSTS = new Set([...EMPTY_PHRASES].map((phrase) => phrase.split(' ')[0]!));

/** A value as compared here: normalized, without the signs around it. */
const key = (text: string): string => normalizeText(text).replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/** The first word of trimmed text, as compared here. */
function firstKey(text: string): string {
  const space = text.search(/\s/);
  return key(space < 0 ? text : text.slice(0, space));
}

/** Whether every word of `text` is a filler (`null`, `N/A N/A`, `- -`). */
function allEmptyWords(text: string): boolean {
  return text.split(/\s+/).every((word) => {
    const bare = key(word);
    return bare === '' || EMPTY_WORDS.has(bare);
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
  const first = firstKey(text);
  return !(namePart && NAME_TOO.has(first)) && filler(text, first);
}

/** What a company's cell says instead of a company: `pessoa física`, `autônomo`, `gmail.com`. */
export function noCompany(value: string): 'no-company' | 'webmail' | undefined {
  const text = value.trim();
  if (text.length > 24) return undefined;
  const bare = key(text);
  if (NO_COMPANY.has(bare)) return 'no-company';
  // Every domain has a dot: most companies skip the lookup.
  if (bare.includes('.') && WEBMAIL.has(bare.replace(/^www\./, ''))) return 'webmail';
  return undefined;
}

/**
 * Why a person's name (its words in order, titles and notes already dropped) is nobody:
 * `placeholder` (all fillers, or a first word that is one), `role` (a first word that is a
 * department, a role or a test). Only the first word and fillers decide: `Ana Vendas` is sent.
 */
export function nobodyDoubt(name: string): 'placeholder' | 'role' | undefined {
  const text = name.trim();
  if (text === '') return undefined;
  const first = firstKey(text);
  if (NO_GIVEN_NAME.has(first)) return 'placeholder';
  if (ROLE_WORDS.has(first)) return 'role';
  return filler(text, first) ? 'placeholder' : undefined;
}

/** A checkbox's value as a spreadsheet or a program writes it: `TRUE`, `false`, `VERDADEIRO`. One case throughout: `True` may be a name. */
export function isBoolean(value: string): boolean {
  const text = value.trim();
  if (text.length < 4 || text.length > 10) return false;
  const lower = text.toLowerCase();
  return (text === lower || text === text.toUpperCase()) && (lower === 'true' || lower === 'false' || lower === 'verdadeiro' || lower === 'falso');
}
