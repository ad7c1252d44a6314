import { describe, expect, it } from 'vitest';
import { readFullName } from '../src/contact/full-name.js';
import { companyDoubt, contactDoubt, isRecordId, looksLikePersonName, nameDoubt } from '../src/contact/plausible.js';
import { invalidReason } from '../src/contact/validate.js';
import { namesPerson } from '../src/input/columns.js';

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
  });
});

describe("values that are not a person or a company (the client's caution, apart from the API's 400 rule)", () => {
  it('knows record ids from companies written as one word', () => {
    for (const id of ['0015g00000XyZ12AAB', '0015g00000XyZ12', '003D0000001aH2A', '5f8d0d55b54764421b7156c5', '3f2a9c1e-7b4d-4e1a-9c3f-2b8e6d1a0f47', 'zcrm_6001']) expect(isRecordId(id), id).toBe(true);
    for (const company of ['3M', '99', 'B3', '7-Eleven', 'C&A', 'iFood', 'OLX', 'Oi', 'WEG', 'TOTVS', '123Milhas', 'Forever21', 'Jet2holidays', 'Pessoa123', 'Teste 404']) expect(isRecordId(company), company).toBe(false);
  });

  it('keeps real companies valid, one row at a time', () => {
    for (const company of ['3M', '99', '7-Eleven', 'C&A', 'iFood', 'OLX', 'B3', 'Oi', '1001', '123Milhas', 'Natura &Co', 'Teste 404', 'Almeida & Filhos Ltda.']) {
      expect(companyDoubt(company), company).toBeUndefined();
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
    expect(nameDoubt('.')).toBe('no-letters');
    expect(nameDoubt('www.ana.com.br')).toBe('url');
    expect(nameDoubt('Aurora Ltda')).toBe('legal-form');
    expect(nameDoubt('Metalúrgica S.A.')).toBe('legal-form');
    for (const name of ['Ana', 'Sá', 'da Silva', "O'Brien", 'Jean-Luc', 'Pessoa123', 'Souza7', 'Conceição']) expect(nameDoubt(name), name).toBeUndefined();
  });

  it("a row's reason names the field, says what it is, and holds no value (estimate groups rows by it)", () => {
    expect(contactDoubt({ firstName: 'Ana', lastName: 'Moura', company: '0015g00000XyZ12AAB' })).toBe("empresa is a record id (one word of letters and digits, as a CRM's ids), not a company's name");
    expect(contactDoubt({ firstName: 'Padaria', lastName: 'Aurora', company: 'Padaria Aurora' })).toBe("the name is the row's company, not a person");
    expect(contactDoubt({ firstName: '12345', lastName: 'Moura', company: 'X' })).toMatch(/^primeiro_nome is without letters/);
    expect(contactDoubt({ firstName: 'Ana', lastName: 'a@b.co', company: 'X' }, 'nome_completo')).toMatch(/^nome_completo is an email address/);
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
    for (const header of ['Contato', 'Contatos', 'Contact', 'Pessoa', 'Person - Name', 'Pessoa - Nome', 'Contact Name', 'Nome do contato', 'Lead Name']) expect(namesPerson(header), header).toBe(true);
    for (const header of ['Contact owner', 'Lead Owner', 'Contato - Telefone', 'Contact ID', 'Nome', 'Empresa', 'Contacted']) expect(namesPerson(header), header).toBe(false);
    expect(looksLikePersonName('Ana Beatriz Moura')).toBe(true);
    for (const value of ['(11) 99999-0101', 'ana@padaria.com.br', 'Proposta 2025', '']) expect(looksLikePersonName(value), value).toBe(false);
  });
});
