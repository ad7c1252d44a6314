import { describe, expect, it } from 'vitest';
import { locateColumns, parseMap } from '../src/pipeline/columns.js';
import { escapeFormula, fieldValue, parseFields } from '../src/pipeline/fields.js';

describe('finding the contact columns', () => {
  const cases: Array<[string[], [number, number, number]]> = [
    [['primeiro_nome', 'ultimo_nome', 'empresa'], [0, 1, 2]],
    [['id', 'first_name', 'last_name', 'company'], [1, 2, 3]],
    [['First Name', 'Last Name', 'Company Name', 'Email'], [0, 1, 2]],
    [['FirstName', 'LastName', 'Company'], [0, 1, 2]],
    [['Nome', 'Sobrenome', 'Empresa'], [0, 1, 2]],
    [['NOME', 'SOBRENOME', 'EMPRESA'], [0, 1, 2]],
    [['Primeiro Nome', 'Último Nome', 'empresa'], [0, 1, 2]],
  ];
  for (const [headers, [f, l, c]] of cases) {
    it(`finds ${headers.join(' | ')}`, () => {
      expect(locateColumns(headers, {})).toEqual({ primeiro_nome: f, ultimo_nome: l, empresa: c });
    });
  }

  it('lets --map name any header, and refuses a header that is not there', () => {
    expect(locateColumns(['Contato', 'Família', 'Razão Social'], parseMap(['primeiro_nome=Contato', 'last_name=Família', 'empresa=Razão Social']))).toEqual({ primeiro_nome: 0, ultimo_nome: 1, empresa: 2 });
    expect(() => locateColumns(['a'], parseMap(['empresa=Nope']))).toThrow(/--map empresa=Nope: no such column/);
    expect(() => parseMap(['cargo=X'])).toThrow(/option --map/);
  });

  it('names the missing fields and the headers it saw', () => {
    expect(() => locateColumns(['Nome', 'Telefone'], {})).toThrow(/no column for ultimo_nome, empresa; the file has: "Nome", "Telefone"/);
  });
});

describe('enrichment values', () => {
  it('takes values by path: text, numbers, lists, objects', () => {
    const analise = { perfil: { cargo: 'CEO' }, confianca: 0.9, tracos: ['a', 'b'], extra: { x: 1 } };
    expect(fieldValue(analise, 'perfil.cargo')).toBe('CEO');
    expect(fieldValue(analise, 'confianca')).toBe('0.9');
    expect(fieldValue(analise, 'tracos')).toBe('a; b');
    expect(fieldValue(analise, 'extra')).toBe('{"x":1}');
    expect(fieldValue(analise, 'perfil.nada')).toBe('');
    expect(fieldValue('texto', 'perfil')).toBe('');
    expect(() => parseFields('perfil..cargo')).toThrow(/--fields/);
  });

  it("prefixes values a spreadsheet would run as a formula with '", () => {
    for (const danger of ['=1+1', '+55 11', '-2', '@SUM(A1)', '\t=1', '\r=1']) expect(escapeFormula(danger)).toBe(`'${danger}`);
    expect(escapeFormula('Maria')).toBe('Maria');
  });
});
