#!/usr/bin/env node
/**
 * Writes the name rules' proof sets (issue 26), fixtures/names/people.csv and
 * fixtures/names/not-people.csv, from sources apart from the gazetteer's where it can: people's
 * first names and surnames from @faker-js/faker's pt_BR locale (the gazetteer reads no pt locale
 * of faker), forms varied as people type them (compound names, particles, Filho/Neto/Júnior,
 * ALL CAPS, lowercase, titles), rare and foreign first names listed here, companies real and
 * small, one-person firms named after their owner. Non-people: the kinds the issue lists, each
 * invented anew from parts (a deal is a word of a deal and a thing; a product, a brand and a
 * model...). Deterministic (faker's seed): `node scripts/make-name-sets.mjs`, then commit.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Faker, pt_BR, base } from '@faker-js/faker';

const faker = new Faker({ locale: [pt_BR, base] });
faker.seed(26);
const pick = (list) => list[faker.number.int({ min: 0, max: list.length - 1 })];
const chance = (p) => faker.number.float({ min: 0, max: 1 }) < p;

/** First names rarer than a name list's, and foreign ones, as the issue names them and more. */
const RARE = [
  'Uélinton',
  'Deivid',
  'Kauã',
  'Hiroshi',
  'Nguyen',
  'Cauê',
  'Maicon',
  'Uóshington',
  'Jeferson',
  'Rudinei',
  'Francineide',
  'Lucélia',
  'Vanuza',
  'Dejanira',
  'Ozéias',
  'Edivaldo',
  'Gleidson',
  'Kelvin',
  'Thayná',
  'Yasmim',
  'Ruan',
  'Wesley',
  'Kaique',
  'Ravi',
  'Enzo',
  'Ayla',
  'Aylla',
  'Iasmin',
  'Raíssa',
  'Jhonatan',
  'Takeshi',
  'Yuki',
  'Akira',
  'Haruto',
  'Sakura',
  'Kenji',
  'Wei',
  'Li',
  'Xiaoming',
  'Mei',
  'Jun',
  'Chen',
  'Mohammed',
  'Ahmed',
  'Fatima',
  'Omar',
  'Youssef',
  'Aisha',
  'Karim',
  'Layla',
  'Giuseppe',
  'Francesca',
  'Giovanni',
  'Chiara',
  'Jürgen',
  'Klaus',
  'Heike',
  'Søren',
  'Zofia',
  'Dmitri',
  'Olga',
  'Siobhan',
  'Aoife',
  'Oluwaseun',
  'Chidi',
  'Thiago',
  'Tainá',
  'Iracema',
  'Potira',
  'Moacir',
  'Ubirajara',
  'Jussara',
  'Araci',
  'Raoni',
  'Kalani',
  'Priya',
  'Arjun',
  'Anh',
  'Minh',
  'Tuan',
];
const PARTICLES = ['da', 'de', 'do', 'dos', 'das'];
const SUFFIXES = ['Filho', 'Neto', 'Júnior', 'Sobrinho'];
const FORMS = ['ME', 'MEI', 'EIRELI', 'Ltda', 'Ltda.', 'EPP'];
const REAL_COMPANIES = [
  'Natura',
  'Magazine Luiza',
  'Itaú Unibanco',
  'Ambev',
  'Embraer',
  'Vale',
  'Petrobras',
  'Nubank',
  'iFood',
  'Localiza',
  'Gerdau',
  'Totvs',
  'Stone',
  'PagSeguro',
  'Renner',
  'Riachuelo',
  'Suzano',
  'WEG',
  'Cielo',
  'Raia Drogasil',
  'Hering',
  'Movida',
  'Azul',
  'Gol',
  'C&A',
  'Oi',
  'Vivo',
  'Claro',
  'B3',
  '3M do Brasil',
  'Bradesco',
  'Santander Brasil',
];

function person() {
  const sex = chance(0.5) ? 'female' : 'male';
  let first = chance(0.12) ? pick(RARE) : faker.person.firstName(sex);
  if (chance(0.15)) first = `${first} ${faker.person.firstName(sex)}`;
  const surnames = [faker.person.lastName()];
  if (chance(0.45)) surnames.push(faker.person.lastName());
  let last = surnames.map((s) => (chance(0.25) ? `${pick(PARTICLES)} ${s}` : s)).join(' ');
  if (sex === 'male' && chance(0.08)) last = `${last} ${pick(SUFFIXES)}`;
  return { first, last };
}

function company(name) {
  const roll = faker.number.float({ min: 0, max: 1 });
  if (roll < 0.15) return `${name} ${pick(FORMS)}`; // one-person firm named after its owner
  if (roll < 0.4) return pick(REAL_COMPANIES);
  return faker.company.name();
}

/** How people type: mostly as is, some ALL CAPS, some lowercase. */
function typed(text) {
  const roll = faker.number.float({ min: 0, max: 1 });
  if (roll < 0.12) return text.toUpperCase();
  if (roll < 0.22) return text.toLowerCase();
  return text;
}

const quote = (v) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (header, rows) => `${[header, ...rows].map((r) => r.map(quote).join(',')).join('\n')}\n`;

const people = [];
const seen = new Set();
while (people.length < 2100) {
  const { first, last } = person();
  const full = typed(`${first} ${last}`);
  const key = full.toLowerCase();
  if (seen.has(key)) continue;
  seen.add(key);
  const [given, ...rest] = full.split(' ');
  // Compound first names stay in the first-name column as people type them.
  const compound = first.includes(' ') ? full.split(' ').slice(0, 2).join(' ') : given;
  const surname = first.includes(' ') ? full.split(' ').slice(2).join(' ') : rest.join(' ');
  people.push([full, compound, surname, company(full)]);
}

const pieces = {
  deal: [
    'Proposta',
    'Renovação',
    'Upgrade',
    'Expansão',
    'Implantação',
    'Contrato',
    'Pedido',
    'Orçamento',
    'Renewal',
    'Oportunidade',
    'Projeto',
    'Negociação',
    'Venda',
    'Licenciamento',
    'Cotação',
    'Migração',
    'Treinamento',
    'Consultoria',
    'Manutenção',
    'Assinatura',
  ],
  thing: [
    'Comercial',
    'Anual',
    'Plano Pro',
    'Enterprise',
    'Licenças Office',
    'Suporte Premium',
    'Cloud',
    'ERP',
    'CRM Básico',
    'Frota',
    'Equipamentos',
    'Filial Sul',
    'Q3',
    'Piloto',
    'Módulo Fiscal',
    'Servidores',
    'Marketing Digital',
    'Website Novo',
  ],
  product: [
    'iPhone 15 Pro',
    'Galaxy S24',
    'MacBook Air',
    'Licença Office 365',
    'Notebook Dell Inspiron',
    'Impressora HP LaserJet',
    'Cadeira Gamer',
    'Kit Boas-Vindas',
    'Monitor LG 27',
    'Plano Fibra 500',
    'Caneca Personalizada',
    'Café Especial 1kg',
    'Tênis Corrida',
    'Mouse Sem Fio',
    'Teclado Mecânico',
    'Smart TV 55',
    'Ar Condicionado Split',
    'Geladeira Frost Free',
    'Camiseta Polo',
    'Software Contábil',
  ],
  department: [
    'Recursos Humanos',
    'Time Comercial',
    'Central de Atendimento',
    'Departamento Pessoal',
    'Setor de Compras',
    'Controladoria Geral',
    'Tecnologia da Informação',
    'Gestão de Pessoas',
    'Relacionamento com Cliente',
    'Infraestrutura Predial',
    'Qualidade Total',
    'Pós Venda',
    'Customer Success',
    'Human Resources',
    'Accounts Payable',
    'Inside Sales',
    'Field Service',
    'Operações Logísticas',
    'Planejamento Estratégico',
    'Engenharia de Produto',
  ],
  mailbox: [
    'Help Desk',
    'Fale Conosco',
    'No Reply',
    'Caixa Postal',
    'Atendimento Online',
    'Suporte Técnico',
    'Contato Geral',
    'Sales Inbox',
    'Customer Service',
    'Ouvidoria Geral',
    'Nota Fiscal',
    'Boletos Pendentes',
    'Envio Automático',
    'Newsletter Semanal',
    'Do Not Reply',
    'Mail Delivery',
  ],
  job: [
    'Gerente de Compras',
    'Diretor Comercial',
    'Analista Financeiro',
    'Coordenador de Vendas',
    'Assistente Administrativo',
    'Supervisor de Produção',
    'Engenheiro Civil',
    'Consultor Sênior',
    'Vendedor Externo',
    'Técnico de Campo',
    'Auxiliar de Escritório',
    'Sales Manager',
    'Account Executive',
    'Office Manager',
    'Head of Marketing',
    'Chief Executive',
    'Estagiário de TI',
    'Recepcionista Bilíngue',
    'Motorista Entregador',
    'Gerente Regional',
  ],
  address: [
    'Rua das Flores 123',
    'Av. Paulista 1000',
    'São Paulo SP',
    'Rua Augusta 500',
    'Avenida Brasil 2000',
    'Praça da Sé',
    'Alameda Santos 45',
    'Travessa do Comércio',
    'Rodovia Anhanguera Km 20',
    'Estrada Velha 7',
    'Belo Horizonte MG',
    'Rio de Janeiro RJ',
    'Centro Empresarial',
    'Bloco B Sala 12',
    'Galpão Industrial',
  ],
  source: [
    'Google Ads',
    'Base Fria',
    'Indicação Cliente',
    'Feira Franchising',
    'Evento Online',
    'Lista Comprada',
    'Campanha Natal',
    'Tráfego Orgânico',
    'Facebook Leads',
    'Instagram Direct',
    'Site Institucional',
    'Webinar Março',
    'Outbound Frio',
    'Cold Call',
    'Inbound Marketing',
    'Parceiro Canal',
  ],
  status: [
    'Não Ligar',
    'Em Negociação',
    'Fechado Ganho',
    'Fechado Perdido',
    'Aguardando Retorno',
    'Sem Interesse',
    'Lead Qualificado',
    'Novo Lead',
    'Em Andamento',
    'Cliente Ativo',
    'Cancelado Pelo Cliente',
    'Proposta Enviada',
    'Reunião Agendada',
    'Follow Up',
    'Closed Won',
    'Não Atende',
    'Número Errado',
    'Retornar Depois',
  ],
  placeholder: [
    'John Doe',
    'Jane Doe',
    'Nome Sobrenome',
    'Seu Nome',
    'First Last',
    'Fulano de Tal',
    'Beltrano Silva',
    'Ciclano Souza',
    'aaa bbb',
    'xxx yyy',
    'Teste Teste',
    'Nome Completo',
    'Primeiro Nome',
    'Your Name',
  ],
};
const notPeople = [];
for (const [kind, list] of Object.entries(pieces)) {
  if (kind === 'thing' || kind === 'deal') continue;
  for (const value of list) notPeople.push([kind, value]);
}
// Deal titles, invented from a deal's word and its object.
for (let i = 0; notPeople.length < 230 && i < 500; i++) {
  const value = `${pick(pieces.deal)} ${pick(pieces.thing)}${chance(0.3) ? ` ${faker.number.int({ min: 2023, max: 2026 })}` : ''}`;
  if (!notPeople.some(([, v]) => v === value)) notPeople.push(['deal', value]);
}

mkdirSync(new URL('../fixtures/names/', import.meta.url), { recursive: true });
const out = (name, text) => writeFileSync(new URL(`../fixtures/names/${name}`, import.meta.url), text);
out('people.csv', csv(['Nome completo', 'Primeiro nome', 'Sobrenome', 'Empresa'], people));
out(
  'not-people.csv',
  csv(
    ['Kind', 'Nome completo', 'Empresa'],
    notPeople.map(([kind, value]) => [kind, value, company('x').replace(/^x /, 'Acme ')]),
  ),
);
console.log(JSON.stringify({ people: people.length, notPeople: notPeople.length }));
