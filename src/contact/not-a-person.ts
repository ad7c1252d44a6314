import { wordKey } from './fillers.js';
import { PARTICLES, withoutNotes } from './full-name.js';

/**
 * Hints, from one value, that a column of full names holds something else: a shop's trade name
 * (`Padaria Aurora`, `Auto Peças Silva`) or a deal's (`Renovação contrato`, `Projeto piloto`).
 * Too weak to refuse one row (a person may be called `Rosa Mercado`), they decide for a column
 * taken by rule when most of its values carry one (see `ColumnCheck`).
 */
export type PersonSignal = 'business' | 'lowercase';

/** Words of a shop, a trade or a deal, never of a person's name (compared without case or accents). */
const BUSINESS_WORDS = new Set([
  'padaria',
  'panificadora',
  'confeitaria',
  'mercado',
  'mercadinho',
  'supermercado',
  'minimercado',
  'mercearia',
  'loja',
  'lojas',
  'comercio',
  'distribuidora',
  'construtora',
  'farmacia',
  'drogaria',
  'restaurante',
  'lanchonete',
  'pizzaria',
  'churrascaria',
  'acougue',
  'oficina',
  'consultoria',
  'servicos',
  'industria',
  'transportes',
  'transportadora',
  'imobiliaria',
  'advocacia',
  'advogados',
  'clinica',
  'escola',
  'colegio',
  'academia',
  'papelaria',
  'livraria',
  'otica',
  'auto',
  'autopecas',
  'pecas',
  'metalurgica',
  'metalurgico',
  'casa',
  'materiais',
  'alimentos',
  'engenharia',
  'tecnologia',
  'sistemas',
  'solucoes',
  'agencia',
  'grupo',
  'holding',
  'empresa',
  'associacao',
  'cooperativa',
  'hotel',
  'pousada',
  'studio',
  'estudio',
  'projeto',
  'proposta',
  'contrato',
  'renovacao',
  'licenca',
  'licencas',
  'expansao',
  'pedido',
  'orcamento',
  'oportunidade',
  'negocio',
  'negociacao',
  'venda',
  'upgrade',
  'piloto',
  'implantacao',
  'assinatura',
  'plano',
  'renewal',
  'deal',
  'project',
  'proposal',
  'contract',
  'expansion',
  'license',
  'licenses',
  'order',
  'quote',
  'opportunity',
  'pilot',
  'subscription',
]);

/** Whether a word's first character is a lowercase letter (ASCII or Latin-1, as Portuguese writes them; others by Unicode). */
function startsLowercase(word: string): boolean {
  const code = word.charCodeAt(0);
  if (code < 0x80) return code >= 97 && code <= 122;
  if (code >= 0xdf && code <= 0xff) return code !== 0xf7;
  return /^\p{Ll}/u.test(word);
}

/** Particles written lowercase inside a name ("d'Ávila" too). */
const isParticle = (word: string): boolean =>
  PARTICLES.has(word) || PARTICLES.has(word.toLowerCase()) || /^d['’]/i.test(word);

/**
 * Why a full name does not read as a person's: a word of a business or a deal, or a lowercase
 * word after the first that is no particle (`Renovação contrato`): people write names
 * capitalised. A value in one case throughout (`ana moura`, `ANA MOURA`) says nothing by its case.
 */
export function personSignal(value: string): PersonSignal | undefined {
  const words = withoutNotes(value).split(/\s+/);
  let lowercase = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    // The list's words are 4 to 14 letters long: most of a name's words skip the lookup.
    if (word.length >= 4 && word.length <= 16 && BUSINESS_WORDS.has(wordKey(word))) return 'business';
    if (i > 0 && !lowercase && startsLowercase(word) && !isParticle(word)) lowercase = true;
  }
  if (!lowercase) return undefined;
  const text = words.join(' ');
  return text === text.toLowerCase() || text === text.toUpperCase() ? undefined : 'lowercase';
}
