import { describe, expect, it } from 'vitest';
import { isBoolean, isFiller, nobodyDoubt } from '../src/contact/fillers.js';
import { readFullName as readFullNameOf } from '../src/contact/full-name.js';
import { personSignal } from '../src/contact/not-a-person.js';
import {
  companyDoubt,
  contactDoubt as contactReason,
  isCompanyAsPerson,
  isRecordId,
  looksLikePersonName,
  nameDoubt,
} from '../src/contact/plausible.js';
import { invalidReason } from '../src/contact/validate.js';
import { namesPerson } from '../src/input/columns.js';
import { reasonText } from '../src/contact/reason.js';

/** The rules' reasons are data; these tests read them in English, as the output writes them with `--lang en`. */
const contactDoubt = (...args: Parameters<typeof contactReason>): string | undefined => {
  const why = contactReason(...args);
  return why && reasonText(why, 'en');
};
const readFullName = (raw: string): { firstName: string; lastName: string; problem?: string } => {
  const { problem, ...name } = readFullNameOf(raw);
  return problem ? { ...name, problem: reasonText(problem, 'en') } : name;
};

describe('full names as people write them', () => {
  const cases: Array<[string, string, string]> = [
    ['Moura, Ana Beatriz', 'Ana', 'Beatriz Moura'],
    ['Pereira, João', 'João', 'Pereira'],
    ['Pereira da Silva, João', 'João', 'Pereira da Silva'],
    ['da Silva, Maria', 'Maria', 'da Silva'],
    ['Dr. Carlos Alberto Souza', 'Carlos', 'Alberto Souza'],
    ['Dr Carlos Souza', 'Carlos', 'Souza'],
    ['dra. helena prado', 'helena', 'prado'],
    ['Sr. Eduardo Santana', 'Eduardo', 'Santana'],
    ['Sra Maria Lima', 'Maria', 'Lima'],
    ['Srta. Júlia Gomes', 'Júlia', 'Gomes'],
    ['Prof. Dr. Lucas Ferreira', 'Lucas', 'Ferreira'],
    ['Profa. Ana Lima', 'Ana', 'Lima'],
    ['Eng. Rui Melo', 'Rui', 'Melo'],
    ['Mr. John Smith', 'John', 'Smith'],
    ['Mrs. Sofia Ribeiro', 'Sofia', 'Ribeiro'],
    ['Ms Jane Doe', 'Jane', 'Doe'],
    ['Miss Jane Doe', 'Jane', 'Doe'],
    ['Almeida, Dr. Gustavo', 'Gustavo', 'Almeida'],
    ['Ana Moura (Compras)', 'Ana', 'Moura'],
    ['Ana (Aninha) Moura', 'Ana', 'Moura'],
    ['Ana Moura [ex-cliente]', 'Ana', 'Moura'],
    ['Ana Moura (Compras', 'Ana', 'Moura'],
    ['Luther King, Jr.', 'Luther', 'King Jr.'],
    ['João Silva, Filho', 'João', 'Silva Filho'],
    ['Moura,', 'Moura', ''],
    // A note after a spaced dash, slash or bar is dropped as a bracketed one is; a hyphenated surname stays.
    ['Ana Moura - Compras', 'Ana', 'Moura'],
    ['Ana Moura / Financeiro', 'Ana', 'Moura'],
    ['Ana Moura | Acme', 'Ana', 'Moura'],
    ['Ana Moura – Acme', 'Ana', 'Moura'],
    ['Ana Moura - ', 'Ana', 'Moura'],
    ['Moura, Ana - Compras', 'Ana', 'Moura'],
    ['Ana Moura-Silva', 'Ana', 'Moura-Silva'],
    ['Ana Moura-Silva (TI) - Acme', 'Ana', 'Moura-Silva'],
    ['Carlos Júnior', 'Carlos', 'Júnior'],
    ['João Neto', 'João', 'Neto'],
    // What is not a title stays: a surname "Sá", a first name "Dona" is left to the person.
    ['Maria da Silva', 'Maria', 'da Silva'],
    ['Drummond Andrade', 'Drummond', 'Andrade'],
    ['Cher', 'Cher', ''],
  ];
  for (const [raw, first, last] of cases) {
    it(`${JSON.stringify(raw)} -> ${first} | ${last}`, () => {
      expect(readFullName(raw)).toEqual({ firstName: first, lastName: last });
    });
  }

  it('says why nothing is left to send', () => {
    expect(readFullName('(Financeiro)').problem).toMatch(/only a note in brackets/);
    expect(readFullName('Dr.').problem).toMatch(/only a title/);
    expect(readFullName('Prof. Dr.').problem).toMatch(/only a title/);
    expect(readFullName('Santos, Maria, Vendas').problem).toMatch(/several commas/);
    // Several names on both sides of the comma: two people as well as "Last, First".
    expect(readFullName('Ana Moura, João Silva').problem).toMatch(/two people, or "Last, First"/);
    expect(readFullName('Souza Lima, Ana Beatriz').problem).toMatch(/two people, or "Last, First"/);
    expect(readFullName('').problem).toBeUndefined();
    // A suffix alone after the comma is no first name: "King, Jr." is not "Last, First".
    expect(readFullName('King, Jr.')).toMatchObject({
      firstName: '',
      lastName: '',
      problem: expect.stringMatching(/a surname and a suffix/),
    });
    expect(readFullName('King Jr.')).toMatchObject({
      firstName: '',
      lastName: '',
      problem: expect.stringMatching(/one name and a suffix/),
    });
    expect(readFullName('Silva, Filho').problem).toMatch(/a surname and a suffix/);
  });
});

describe("values that are not a person or a company (the client's caution, apart from the API's 400 rule)", () => {
  it('knows record ids from companies written as one word', () => {
    for (const id of [
      '0015g00000XyZ12AAB',
      '0015g00000XyZ12',
      '003D0000001aH2A',
      '5f8d0d55b54764421b7156c5',
      '3f2a9c1e-7b4d-4e1a-9c3f-2b8e6d1a0f47',
      'zcrm_6001',
    ])
      expect(isRecordId(id), id).toBe(true);
    for (const company of [
      '3M',
      '99',
      'B3',
      '7-Eleven',
      'C&A',
      'iFood',
      'OLX',
      'Oi',
      'WEG',
      'TOTVS',
      '123Milhas',
      'Forever21',
      'Jet2holidays',
      'Pessoa123',
      'Teste 404',
    ])
      expect(isRecordId(company), company).toBe(false);
  });

  it('keeps real companies valid, one row at a time', () => {
    for (const company of [
      '3M',
      '99',
      '7-Eleven',
      'C&A',
      'iFood',
      'OLX',
      'B3',
      'Oi',
      '1001',
      '123Milhas',
      'Natura &Co',
      'Teste 404',
      'Almeida & Filhos Ltda.',
    ]) {
      expect(companyDoubt(company), company).toBeUndefined();
    }
  });

  it('refuses a company that is a placeholder, a word for no company, a webmail domain, TRUE/FALSE or a decimal number', () => {
    for (const filler of [
      '-',
      '.',
      '?',
      '-- ',
      '--',
      '...',
      'n/a',
      'N/A',
      'na',
      'NA',
      'n.a.',
      'null',
      'NULL',
      '<null>',
      'undefined',
      'none',
      'None',
      'nenhum',
      'Nenhuma',
      'nil',
      'NaN',
      'não informado',
      'Nao Informado',
      'NÃO INFORMADO',
      '(não informado)',
      'sem empresa',
      'Não se aplica',
      'desconhecido',
      'N/A N/A',
    ]) {
      expect(companyDoubt(filler), filler).toBe('placeholder');
      expect(contactDoubt({ firstName: 'Ana', lastName: 'Moura', company: filler }), filler).toMatch(
        /^empresa is a placeholder for an empty cell/,
      );
    }
    for (const domain of [
      'gmail.com',
      'Gmail.com',
      '@gmail.com',
      'hotmail.com',
      'outlook.com',
      'yahoo.com',
      'yahoo.com.br',
      'uol.com.br',
      'bol.com.br',
      'icloud.com',
    ])
      expect(companyDoubt(domain), domain).toBe('webmail');
    for (const none of [
      'pessoa física',
      'Pessoa Fisica',
      'PESSOA FÍSICA',
      'autônomo',
      'Autônoma',
      'autonomo',
      'particular',
      'Particular',
    ])
      expect(companyDoubt(none), none).toBe('no-company');
    for (const checkbox of ['TRUE', 'FALSE', 'true', 'false', 'VERDADEIRO', 'falso'])
      expect(companyDoubt(checkbox), checkbox).toBe('boolean');
    for (const decimal of ['3.14', '2,5', '0.5']) expect(companyDoubt(decimal), decimal).toBe('number');
    expect(contactDoubt({ firstName: 'Ana', lastName: 'Moura', company: '3.14' })).toBe(
      "empresa is a number (of 5 digits or more, or with decimals), not a company's name",
    );
    // Companies that only look like those: a domain that is no webmail's, a word written in a name's case, a name with a filler in it.
    for (const company of [
      'acme.com.br',
      'Globo',
      'True',
      'Nada Consta Imóveis',
      'Sem Fronteiras Turismo',
      'Particular Seguros',
      'NA Engenharia',
      'X',
      'Web 2.0',
      'Gmail Consultoria',
    ]) {
      expect(companyDoubt(company), company).toBeUndefined();
    }
  });

  it('refuses a name that is a placeholder, a department, a role or a test, and no real name', () => {
    const nobody = [
      'null null',
      'undefined undefined',
      'Não informado',
      'não informado',
      'Sem Nome',
      'sem nome',
      'Teste Teste',
      'teste da silva',
      'Cliente Novo',
      'Contas a Pagar',
      'Equipe Comercial',
      'Financeiro Acme',
      'N/A N/A',
      'NULL NULL',
      'Atendimento ao Cliente',
      'Fulano de Tal',
      'Suporte Técnico',
      'Vendas Sul',
      'Compras',
      'RH Acme',
      'Diretoria Geral',
      'Recepção Matriz',
      'SAC Acme',
      'Admin Sistema',
      'Contato Comercial',
    ];
    for (const raw of nobody) {
      const { firstName, lastName } = readFullName(raw);
      expect(nobodyDoubt(`${firstName} ${lastName}`), raw).toBeDefined();
      if (lastName !== '')
        expect(contactDoubt({ firstName, lastName, company: 'Acme' }, 'nome_completo'), raw).toMatch(
          /^nome_completo is (a placeholder for an empty cell|a department, a role or a test)/,
        );
    }
    expect(contactDoubt({ firstName: 'Financeiro', lastName: 'Acme', company: 'Upsilon' })).toMatch(
      /^primeiro_nome is a department, a role or a test \(Financeiro, Compras/,
    );
    expect(contactDoubt({ firstName: 'Ana', lastName: 'null', company: 'Acme' })).toMatch(
      /^ultimo_nome is a placeholder/,
    );
    expect(contactDoubt({ firstName: 'TRUE', lastName: 'Moura', company: 'Acme' })).toMatch(
      /^primeiro_nome is TRUE or FALSE/,
    );
    // Names that are words too, or that hold a role after the first name, are people.
    for (const name of [
      'Rosa Branco',
      'Ana Santos',
      'Santos Dumont',
      'Ana Vendas',
      'Ana Moura',
      'Nan Goldin',
      'Na Li',
      'Nilo Souza',
      'Teresa Cliente',
      'True Lima',
      'Semíramis Souza',
      'Contina Reis',
      'Nao Matsushita',
      'Sem Souza',
      'Nada Jovanović',
    ]) {
      const { firstName, lastName } = readFullName(name);
      expect(contactDoubt({ firstName, lastName, company: 'Acme' }), name).toBeUndefined();
    }
    expect(isFiller('Ana')).toBe(false);
    expect(isBoolean('True')).toBe(false);
  });

  it('a name that is the company but for a legal form is the company, on either side', () => {
    const pairs: Array<[string, string, string]> = [
      ['Acme', 'Brasil', 'Acme Brasil Ltda'],
      ['Beta', 'Sistemas', 'BETA SISTEMAS S.A.'],
      ['Gama', 'Foods', 'Gama Foods Inc.'],
      ['Padaria', 'Aurora', 'Padaria Aurora Ltda'],
      ['Padaria', 'Aurora', 'Padaria Aurora LTDA - ME'],
      ['Delta', 'Log', 'Delta Log S/A'],
      ['Delta', 'Log', 'Delta Log SA'],
      ['Épsilon', 'Tech', 'Epsilon Tech EIRELI'],
      ['Zeta', 'Móveis', 'Zeta Móveis EPP'],
      ['Eta', 'Labs', 'Eta Labs, LLC'],
      ['Theta', 'Werke', 'Theta Werke GmbH'],
      ['Iota', 'Trading', 'Iota Trading Ltd.'],
      ['Moura', 'Irmãos', 'Moura Irmãos & Cia'],
      ['Moura', 'Irmãos', 'Moura Irmãos & Cia. Ltda.'],
      ['Acme', 'Brasil SA', 'Acme Brasil'],
    ];
    for (const [firstName, lastName, company] of pairs) {
      expect(isCompanyAsPerson({ firstName, lastName, company }), company).toBe(true);
      expect(contactDoubt({ firstName, lastName, company }), company).toBe(
        "the name is the row's company, not a person",
      );
    }
    // A name holding a legal form is refused for it first.
    expect(isCompanyAsPerson({ firstName: 'Acme', lastName: 'Brasil S.A.', company: 'ACME BRASIL' })).toBe(true);
    // A surname that names the company, a person at a company named after more than them, a legal form only.
    for (const [firstName, lastName, company] of [
      ['Jorge', 'Gerdau', 'Gerdau S.A.'],
      ['Ana', 'Souza', 'Souza SA'],
      ['Casa', 'Verde', 'Casa Verde Paisagismo ME'],
      ['Ana', 'Mesa', 'Ana Mesa Comércio Ltda'],
      ['Sá', 'Me', 'S.A.'],
      ['Maria', 'Sá', 'Maria'],
      ['Maria', 'Sa', 'Maria'],
      ['Ana', 'Me', 'Ana'],
    ] as const) {
      expect(isCompanyAsPerson({ firstName, lastName, company }), company).toBe(false);
    }
  });

  it("tells a column's full names from trade names and deals (hints, too weak for one row)", () => {
    for (const value of [
      'Padaria Aurora',
      'Mercadinho Bom Preço',
      'Auto Peças Silva',
      'Renovação contrato',
      'Expansão licenças',
      'Projeto piloto',
      'Proposta Licenças 2025',
      'Acme renewal',
    ]) {
      expect(personSignal(value), value).toBe('business');
    }
    for (const value of ['Ana moura', 'Beta ampliação filial', 'Troca filial norte'])
      expect(personSignal(value), value).toBe('lowercase');
    // Names written capitalised with their particles, or in one case throughout, say nothing.
    for (const value of [
      'Ana Moura',
      'Maria da Silva',
      'João Pereira dos Santos',
      "Joana d'Arc",
      'Ludwig van Beethoven',
      'ana moura',
      'ANA MOURA',
      'Ana Moura (ex-cliente)',
      'Ana Moura - compras',
      'Dr. Carlos Souza',
      'Cher',
    ]) {
      expect(personSignal(value), value).toBeUndefined();
    }
  });

  it('refuses a company that is an id, an email or a long number', () => {
    expect(companyDoubt('0015g00000XyZ12AAB')).toBe('record-id');
    expect(companyDoubt('contato@padaria.com.br')).toBe('email');
    expect(companyDoubt('12345678')).toBe('number');
    // A lookup or a count over an empty cell gives 0: no company is called that.
    expect(companyDoubt('0')).toBe('zero');
    expect(companyDoubt('0,00')).toBe('zero');
    expect(companyDoubt('1001')).toBeUndefined();
    expect(companyDoubt('12.345.678/0001-90')).toBe('number');
    // A whole column of numbers is not companies, though one company may be "99".
    expect(companyDoubt('99')).toBeUndefined();
    expect(companyDoubt('99', true)).toBe('no-letters');
  });

  it('refuses a name that is an id, an email, digits, a URL or a company', () => {
    expect(nameDoubt('0035g00000AbCdEAAZ')).toBe('record-id');
    expect(nameDoubt('ana@padaria.com.br')).toBe('email');
    expect(nameDoubt('12345')).toBe('no-letters');
    // Signs alone are a blank filled in, not digits.
    expect(nameDoubt('.')).toBe('placeholder');
    expect(nameDoubt('-')).toBe('placeholder');
    expect(nameDoubt('não informado')).toBe('placeholder');
    expect(nameDoubt('www.ana.com.br')).toBe('url');
    expect(nameDoubt('Aurora Ltda')).toBe('legal-form');
    expect(nameDoubt('Metalúrgica S.A.')).toBe('legal-form');
    for (const name of ['Ana', 'Sá', 'da Silva', "O'Brien", 'Jean-Luc', 'Pessoa123', 'Souza7', 'Conceição'])
      expect(nameDoubt(name), name).toBeUndefined();
  });

  it("a row's reason names the field, says what it is, and holds no value (estimate groups rows by it)", () => {
    expect(contactDoubt({ firstName: 'Ana', lastName: 'Moura', company: '0015g00000XyZ12AAB' })).toBe(
      "empresa is a record id (one word of letters and digits, as a CRM's ids), not a company's name",
    );
    expect(contactDoubt({ firstName: 'Padaria', lastName: 'Aurora', company: 'Padaria Aurora' })).toBe(
      "the name is the row's company, not a person",
    );
    expect(contactDoubt({ firstName: '12345', lastName: 'Moura', company: 'X' })).toMatch(
      /^primeiro_nome is without letters/,
    );
    expect(contactDoubt({ firstName: 'Ana', lastName: 'a@b.co', company: 'X' }, 'nome_completo')).toMatch(
      /^nome_completo is an email address/,
    );
    // A surname that is the company's name is a family's company, not a company as a person.
    expect(contactDoubt({ firstName: 'Jorge', lastName: 'Gerdau', company: 'Gerdau' })).toBeUndefined();
    expect(contactDoubt({ firstName: 'Pessoa12', lastName: 'Silva', company: 'Teste 404' })).toBeUndefined();
  });

  it('is not the API rule: the sandbox still takes what the API docs say it takes', () => {
    const company = { firstName: 'Ana', lastName: 'Moura', company: '0015g00000XyZ12AAB' };
    expect(invalidReason(company)).toBeUndefined();
    expect(contactDoubt(company)).toBeDefined();
  });

  it('knows headers that name the person, and values that read as names', () => {
    for (const header of [
      'Contato',
      'Contatos',
      'Contact',
      'Pessoa',
      'Person - Name',
      'Pessoa - Nome',
      'Contact Name',
      'Nome do contato',
      'Lead Name',
    ])
      expect(namesPerson(header), header).toBe(true);
    for (const header of [
      'Contact owner',
      'Lead Owner',
      'Contato - Telefone',
      'Contact ID',
      'Nome',
      'Empresa',
      'Contacted',
    ])
      expect(namesPerson(header), header).toBe(false);
    expect(looksLikePersonName('Ana Beatriz Moura')).toBe(true);
    for (const value of ['(11) 99999-0101', 'ana@padaria.com.br', 'Proposta 2025', ''])
      expect(looksLikePersonName(value), value).toBe(false);
  });
});
