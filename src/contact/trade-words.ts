import { wordKey } from './fillers.js';

/**
 * Words of trade that name a business after a first name (`Carlos Eduardo Imóveis`, `Ana Moura
 * Consultoria`, `Glória Eventos`, `Bruno Tech Solutions`, `Hope Foundation`): kinds of firm,
 * what they sell, and the words of a deal or a campaign, in Portuguese, Spanish and English,
 * keyed as `wordKey` keys them. Many surnames are words (`Mercado`, `Campos`, `Porto`, `Pinto`,
 * `Sales`, `Vale`, `Rosa`), so none of these is a surname: test/trade-words.test.ts checks them
 * against every Latin-script surname faker's locales list, the US census's most frequent 1,000
 * and the proof sets' (issue 26); a word that is one (`casa`, `solar`, `igreja`, `fazenda`,
 * `sale`) is left out, and so is one the census counts as a first name (`salon`).
 */
export const TRADE_WORDS: ReadonlySet<string> = new Set(
  `imoveis imobiliaria consultoria consultores assessoria assessores advocacia advogados advogadas
  contabilidade contabil transportes transportadora materiais construcoes construtora
  representacoes representacao informatica turismo distribuidora distribuicao eventos modas
  confeccoes comercio industria servicos engenharia arquitetura odontologia odontologica clinica
  farmacia drogaria padaria restaurante lanchonete pizzaria hotel pousada supermercado mercearia
  autopecas veiculos motos pneus importadora exportadora importacao exportacao cosmeticos joias
  calcados moveis decoracoes decoracao floricultura festas buffet doces salgados bebidas alimentos
  tintas energia eletrica eletricos eletronicos telecom tecnologia solucoes sistemas software
  marketing publicidade propaganda comunicacao grafica editora academia escola colegio faculdade
  hospital laboratorio estetica salao barbearia spa yoga pilates petshop agropecuaria seguros
  corretora investimentos participacoes empreendimentos incorporadora condominio associacao
  fundacao instituto paroquia ong cooperativa sindicato loja boutique atelie estudio producoes
  limpeza manutencao reformas vidracaria serralheria marcenaria mecanica oficina lavanderia
  papelaria livraria otica relojoaria joalheria perfumaria sorveteria acougue peixaria hortifruti
  atacado atacadista varejo associados socios irmaos pecas embalagens tecidos metalurgica
  plasticos madeiras ferragens utilidades presentes variedades acessorios uniformes brindes
  inmobiliaria asesoria abogados contabilidad materiales construcciones constructora
  representaciones confecciones comercializadora servicios ingenieria arquitectura inversiones
  ferreteria panaderia abarrotes papeleria refacciones repuestos tienda almacen soluciones
  corporacion fundacion asociacion escuela
  tech solutions imports holding holdings company store shop studio foundation consulting services
  logistics transport trucking realty properties insurance associates enterprises industries
  motors foods pharma labs clinic dental design media travel tours events catering bakery
  restaurant fitness gym beauty fashion apparel exports trading supply supplies equipment
  materials construction builders contractors plumbing roofing landscaping cleaning campaign promo
  investor partner partners member account customer`
    .split(/\s+/)
    .filter(Boolean),
);

/** A surname that starts with `e`, `&`, `y` or `and` (`Silva, Costa e Souza` read as `Costa` + `e Souza Silva`; `Ana e Pedro Silva`): partners' or several people's names. */
const JOINED = /^\s*(?:e|&|y|and)\s/i;

/** Whether the name is several joined (a law firm's partners, a couple): a surname never starts with the joining word. */
export const joinedNames = (lastName: string): boolean => JOINED.test(lastName);

/** Signs around a word (`(Imóveis)`, `Eventos,`), and a word of plain letters. */
const EDGE_SIGNS = /^[^\p{L}]+|[^\p{L}]+$/gu;
const PLAIN = /^[A-Za-z]+$/;

/**
 * The first word of trade after a name's first word, as written (`Imóveis` in `Carlos Eduardo
 * Imóveis`): the name is a business's. The first word is not looked at: a common word there is
 * `isWord`'s, and a first name is what makes these names look like a person's.
 */
export function tradeWordAfterFirst(name: string): string | undefined {
  const words = name.trim().split(/\s+/);
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i]!.replace(EDGE_SIGNS, '');
    // Most words are plain letters: lowercased, they are their key (`wordKey` normalizes, several times slower).
    if (TRADE_WORDS.has(PLAIN.test(word) ? word.toLowerCase() : wordKey(word))) return word;
  }
  return undefined;
}
