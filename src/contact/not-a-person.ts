import { PARTICLES, withoutNotes } from './full-name.js';
import { normalizeText } from './normalize.js';

/**
 * Hints, from one value, that a column of full names holds something else: a shop's trade name
 * (`Padaria Aurora`, `Auto Peças Silva`) or a deal's (`Renovação contrato`, `Projeto piloto`).
 * Too weak to refuse one row (a person may be called `Rosa Mercado`), they decide for a column
 * taken by rule when most of its values carry one (see `ColumnCheck`).
 */
export type PersonSignal = 'business' | 'lowercase';

/** Words of a shop, a trade or a deal, never of a person's name (compared without case or accents). */
const BUSINESS_WORDS = new Set([
  'padaria', 'panificadora', 'confeitaria', 'mercado', 'mercadinho', 'supermercado', 'minimercado', 'mercearia', 'loja', 'lojas', 'comercio',
  'distribuidora', 'construtora', 'farmacia', 'drogaria', 'restaurante', 'lanchonete', 'pizzaria', 'churrascaria', 'acougue', 'oficina',
  'consultoria', 'servicos', 'industria', 'transportes', 'transportadora', 'imobiliaria', 'advocacia', 'advogados', 'clinica', 'escola',
  'colegio', 'academia', 'papelaria', 'livraria', 'otica', 'auto', 'autopecas', 'pecas', 'metalurgica', 'metalurgico', 'casa', 'materiais', 'alimentos', 'engenharia', 'tecnologia',
  'sistemas', 'solucoes', 'agencia', 'grupo', 'holding', 'empresa', 'associacao', 'cooperativa', 'hotel', 'pousada', 'studio', 'estudio',
  'projeto', 'proposta', 'contrato', 'renovacao', 'licenca', 'licencas', 'expansao', 'pedido', 'orcamento', 'oportunidade', 'negocio',
  'negociacao', 'venda', 'upgrade', 'piloto', 'implantacao', 'assinatura', 'plano', 'renewal', 'deal', 'project', 'proposal', 'contract',
  'expansion', 'license', 'licenses', 'order', 'quote', 'opportunity', 'pilot', 'subscription',
]);

/** A word that starts lowercase: the first character that is a letter is one. */
const LOWER_START = /^[^\p{L}]*\p{Ll}/u;

/** Particles written lowercase inside a name ("d'Ávila" too). */
const isParticle = (word: string): boolean => PARTICLES.has(word.toLowerCase()) || /^d['’]/i.test(word);

/**
 * Why a full name does not read as a person's: a word of a business or a deal, or a lowercase
 * word after the first that is no particle (`Renovação contrato`): people write names
 * capitalised. A value in one case throughout (`ana moura`, `ANA MOURA`) says nothing by its case.
 */
export function personSignal(value: string): PersonSignal | undefined {
  const words = withoutNotes(value).split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return undefined;
  for (const word of words) {
    if (BUSINESS_WORDS.has(normalizeText(word).replace(/[^\p{L}]/gu, ''))) return 'business';
  }
  const text = words.join(' ');
  if (text === text.toLowerCase() || text === text.toUpperCase()) return undefined;
  return words.slice(1).some((word) => LOWER_START.test(word) && !isParticle(word)) ? 'lowercase' : undefined;
}
