import { contactKey, normalizeText, type Contact } from '../contact/normalize.js';
import type { CrmEndpoint } from '../api/plans.js';
import { pick, unitHash } from './hash.js';

/**
 * The sandbox's stand-in for Fluence's people directory. The same (normalized) person always
 * gets the same answer, as a real directory would give. Magic company names force an outcome,
 * like a payment provider's test card numbers:
 *
 * | company starts with | answer |
 * |---|---|
 * | `Teste 200`      | 200 found (charged) |
 * | `Teste 404`      | 404 not found (charged) |
 * | `Teste 409`      | 409 several matches (charged) |
 * | `Teste 422`      | 422 INSUFFICIENT_DATA (refunded) |
 * | `Teste 500`      | 500 every time (refunded) |
 * | `Teste Instavel` | 500 on the first request for that person, 200 after |
 * | `Teste Formula`  | 200 whose text fields begin with `=`, `+`, `-`, `@`, tab, CR |
 * | `Teste Lento`    | 200, after 1.5 s more than the configured latency |
 *
 * Anyone else: 80 % found, 10 % 404, 6 % 409, 4 % 422, fixed per person.
 */
export type DirectoryAnswer = { status: 200; analise: Record<string, unknown> } | { status: 404 | 409 | 422 | 500 };

/** Extra latency a person's answer takes (the `Teste Lento` magic value). */
export function extraLatencyMs(contact: Contact): number {
  return normalizeText(contact.company).startsWith('teste lento') ? 1500 : 0;
}

export function lookup(contact: Contact, endpoint: CrmEndpoint, attempt: number): DirectoryAnswer {
  const company = normalizeText(contact.company);
  const key = contactKey(contact);
  if (company.startsWith('teste 200') || company.startsWith('teste lento'))
    return { status: 200, analise: buildAnalise(contact, key, endpoint) };
  if (company.startsWith('teste 404')) return { status: 404 };
  if (company.startsWith('teste 409')) return { status: 409 };
  if (company.startsWith('teste 422')) return { status: 422 };
  if (company.startsWith('teste 500')) return { status: 500 };
  if (company.startsWith('teste instavel') && attempt === 1) return { status: 500 };
  if (company.startsWith('teste formula')) return { status: 200, analise: formulaAnalise(endpoint) };
  const u = unitHash('outcome', key);
  if (u < 0.8) return { status: 200, analise: buildAnalise(contact, key, endpoint) };
  if (u < 0.9) return { status: 404 };
  if (u < 0.96) return { status: 409 };
  return { status: 422 };
}

const ROLES: ReadonlyArray<[string, string]> = [
  ['Diretor de Tecnologia', 'Diretoria'],
  ['Gerente de Vendas', 'Gerência'],
  ['Analista de Marketing', 'Pleno'],
  ['Coordenadora de Compras', 'Coordenação'],
  ['Engenheiro de Software Sênior', 'Sênior'],
  ['Head de Operações', 'Diretoria'],
  ['Analista Financeiro Júnior', 'Júnior'],
  ['Gerente de Produto', 'Gerência'],
  ['CEO', 'C-Level'],
  ['Especialista em Dados', 'Sênior'],
];
const CITIES = [
  'São Paulo, SP, Brasil',
  'Rio de Janeiro, RJ, Brasil',
  'Belo Horizonte, MG, Brasil',
  'Curitiba, PR, Brasil',
  'Porto Alegre, RS, Brasil',
  'Recife, PE, Brasil',
  'Florianópolis, SC, Brasil',
  'Campinas, SP, Brasil',
];
const DISC = [
  {
    perfil: 'D',
    nome: 'Dominância',
    tracos: ['direto', 'competitivo', 'decidido'],
    estilo: 'objetivo e focado em resultados',
  },
  {
    perfil: 'I',
    nome: 'Influência',
    tracos: ['comunicativo', 'otimista', 'persuasivo'],
    estilo: 'entusiasmado e relacional',
  },
  { perfil: 'S', nome: 'Estabilidade', tracos: ['paciente', 'colaborativo', 'leal'], estilo: 'calmo e consultivo' },
  {
    perfil: 'C',
    nome: 'Conformidade',
    tracos: ['analítico', 'preciso', 'cauteloso'],
    estilo: 'detalhista e baseado em dados',
  },
] as const;

function titleCase(value: string): string {
  return value
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
}

function buildAnalise(contact: Contact, key: string, endpoint: CrmEndpoint): Record<string, unknown> {
  const [cargo, senioridade] = ROLES[pick(ROLES.length, 'role', key)]!;
  const nome = `${titleCase(contact.firstName)} ${titleCase(contact.lastName)}`;
  const empresa = contact.company.trim();
  const localizacao = CITIES[pick(CITIES.length, 'city', key)]!;
  const anos = 2 + pick(18, 'years', key);
  const analise: Record<string, unknown> = {
    perfil: { nome_completo: nome, cargo, empresa, senioridade, localizacao },
    resumo: `${nome} atua como ${cargo} na ${empresa}, com cerca de ${anos} anos de experiência profissional.`,
    confianca: Math.round((0.6 + unitHash('confidence', key) * 0.39) * 100) / 100,
    fontes_consultadas: 2 + pick(6, 'sources', key),
  };
  if (endpoint === 'crm') {
    const disc = DISC[pick(DISC.length, 'disc', key)]!;
    analise.personalidade = {
      perfil_disc: disc.perfil,
      descricao: `Perfil ${disc.nome}`,
      tracos: [...disc.tracos],
      estilo_comunicacao: disc.estilo,
      abordagem_recomendada: `Prefira uma conversa ${disc.estilo}.`,
    };
  }
  return analise;
}

/** Every text an attacker controls, beginning with each character a spreadsheet runs as a formula. */
function formulaAnalise(endpoint: CrmEndpoint): Record<string, unknown> {
  const analise: Record<string, unknown> = {
    perfil: {
      nome_completo: '=HYPERLINK("http://example.invalid","clique")',
      cargo: '+55 11 9999-0000',
      empresa: '-2+3',
      senioridade: '@SUM(A1:A9)',
      localizacao: '\t=1+1',
    },
    resumo: '\r=cmd|"/c calc"!A1',
    confianca: 0.9,
    fontes_consultadas: 1,
  };
  if (endpoint === 'crm') {
    analise.personalidade = {
      perfil_disc: '=1',
      descricao: '+1',
      tracos: ['-1'],
      estilo_comunicacao: '@x',
      abordagem_recomendada: '=x',
    };
  }
  return analise;
}
