import { contactKey, normalizeText, normalizeWord } from '../src/contact/normalize.js';
import { describe, expect, it } from 'vitest';
import { locateColumns, parseMap, splitFullName } from '../src/input/columns.js';
import { render } from '../src/i18n/message.js';
import { mappingSuggestion } from '../src/input/mapping-hint.js';
import { escapeFormula, fieldValue, parseFields } from '../src/output/fields.js';

/** The suggestion as the terminal says it, in English (empty when there is none). */
const mappingHint = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const suggestion = mappingSuggestion(header, rows);
  return suggestion ? ` ${render('en', suggestion.cli)}` : '';
};

describe('finding the contact columns', () => {
  const cases: Array<[string[], [number, number, number]]> = [
    [
      ['primeiro_nome', 'ultimo_nome', 'empresa'],
      [0, 1, 2],
    ],
    [
      ['id', 'first_name', 'last_name', 'company'],
      [1, 2, 3],
    ],
    [
      ['First Name', 'Last Name', 'Company Name', 'Email'],
      [0, 1, 2],
    ],
    [
      ['FirstName', 'LastName', 'Company'],
      [0, 1, 2],
    ],
    [
      ['Nome', 'Sobrenome', 'Empresa'],
      [0, 1, 2],
    ],
    [
      ['NOME', 'SOBRENOME', 'EMPRESA'],
      [0, 1, 2],
    ],
    [
      ['Primeiro Nome', 'Último Nome', 'empresa'],
      [0, 1, 2],
    ],
  ];
  for (const [headers, [f, l, c]] of cases) {
    it(`finds ${headers.join(' | ')}`, () => {
      expect(locateColumns(headers, {})).toEqual({ kind: 'split', primeiro_nome: f, ultimo_nome: l, empresa: c });
    });
  }

  it('lets --map name any header, and refuses a header that is not there', () => {
    expect(
      locateColumns(
        ['Contato', 'Família', 'Razão Social'],
        parseMap(['primeiro_nome=Contato', 'last_name=Família', 'empresa=Razão Social']),
      ),
    ).toEqual({ kind: 'split', primeiro_nome: 0, ultimo_nome: 1, empresa: 2 });
    expect(() => locateColumns(['a'], parseMap(['empresa=Nope']))).toThrow(/--map empresa=Nope: no such column/);
    expect(() => parseMap(['cargo=X'])).toThrow(/option --map/);
  });

  it('splits a full-name column when there are no separate name columns', () => {
    for (const header of ['Nome completo', 'Full Name', 'Name', 'nome_completo']) {
      expect(locateColumns(['ID', header, 'Empresa'], {})).toEqual({ kind: 'full', nome_completo: 1, empresa: 2 });
    }
    expect(locateColumns(['Name', 'First Name', 'Last Name', 'Company'], {})).toMatchObject({ kind: 'split' });
    expect(locateColumns(['Nome', 'Empresa'], parseMap(['nome_completo=Nome']))).toEqual({
      kind: 'full',
      nome_completo: 0,
      empresa: 1,
    });
    // "Nome" with no surname beside it: a guess, which the first pass checks against the values.
    expect(locateColumns(['Nome', 'Empresa'], {})).toEqual({
      kind: 'full',
      nome_completo: 0,
      empresa: 1,
      guessed: true,
    });
    expect(() => locateColumns(['Nome', 'Empresa'], parseMap(['primeiro_nome=Nome']))).toThrow(
      /no column for ultimo_nome/,
    );
  });

  it('sees through entity prefixes and CRM names for the company', () => {
    expect(locateColumns(['Person - First name', 'Person - Last name', 'Person - Organization'], {})).toEqual({
      kind: 'split',
      primeiro_nome: 0,
      ultimo_nome: 1,
      empresa: 2,
    });
    expect(locateColumns(['Pessoa - Primeiro nome', 'Pessoa - Sobrenome', 'Organização - Nome'], {})).toEqual({
      kind: 'split',
      primeiro_nome: 0,
      ultimo_nome: 1,
      empresa: 2,
    });
    expect(locateColumns(['Lead First Name', 'Lead Last Name', 'Lead Company'], {})).toEqual({
      kind: 'split',
      primeiro_nome: 0,
      ultimo_nome: 1,
      empresa: 2,
    });
    expect(locateColumns(['First Name', 'Last Name', 'Company / Account'], {})).toMatchObject({ empresa: 2 });
    expect(locateColumns(['First Name', 'Last Name', 'Associated Company'], {})).toMatchObject({ empresa: 2 });
    // A prefix is only an entity's: "Contacted" or "Leader" are not prefixes.
    expect(() => locateColumns(['Leadership', 'Contacted', 'Company'], {})).toThrow(/no column for primeiro_nome/);
  });

  it('keeps Brazilian particles with the surname', () => {
    expect(splitFullName('Maria da Silva')).toEqual({ firstName: 'Maria', lastName: 'da Silva' });
    expect(splitFullName('  João  Carlos dos Santos ')).toEqual({ firstName: 'João', lastName: 'Carlos dos Santos' });
    expect(splitFullName('Ana')).toEqual({ firstName: 'Ana', lastName: '' });
    expect(splitFullName('de Souza')).toEqual({ firstName: '', lastName: 'de Souza' });
  });

  it('takes columns by position without a header', () => {
    expect(
      locateColumns(
        ['column_1', 'column_2', 'column_3', 'column_4'],
        parseMap(['empresa=1', 'primeiro_nome=3', 'ultimo_nome=4']),
      ),
    ).toEqual({ kind: 'split', primeiro_nome: 2, ultimo_nome: 3, empresa: 0 });
  });

  it('names the missing fields and the headers it saw', () => {
    expect(() => locateColumns(['Nome', 'Telefone'], {})).toThrow(
      /no column for ultimo_nome, empresa; the file has: "Nome", "Telefone"/,
    );
  });

  it('suggests (never takes) a person column of full names and a company column, from the header and the first rows', () => {
    const erp = ['Código', 'Cliente', 'Razão Social', 'Contato'];
    const rows = [
      ['001', 'Padaria Aurora', 'Aurora Alimentos Ltda', 'Ana Moura'],
      ['002', 'Mercadinho Bom Preço', 'BP Comércio Ltda', 'Bruno Lima'],
    ];
    expect(mappingHint(erp, rows)).toContain('--map nome_completo="Contato" --map empresa="Razão Social"');
    // No registered name: the trade name, then the customer.
    expect(mappingHint(['Código', 'Cliente', 'Nome Fantasia', 'Contato'], rows)).toContain(
      '--map nome_completo="Contato" --map empresa="Nome Fantasia"',
    );
    expect(mappingHint(['Código', 'Cliente', 'Obs', 'Contato'], rows)).toContain(
      '--map nome_completo="Contato" --map empresa="Cliente"',
    );
    // A company found by its alias needs no suggestion: only the person's column is said.
    expect(mappingHint(['Código', 'Empresa', 'Obs', 'Contato'], rows)).toMatch(
      /run with --map nome_completo="Contato" \(/,
    );
    // Nothing to say: a "Contato" of phones or of first names only, no company column, no rows.
    expect(mappingHint(erp, [['001', 'Padaria Aurora', 'Aurora Ltda', '(11) 99999-0001']])).toBe('');
    expect(mappingHint(erp, [['001', 'Padaria Aurora', 'Aurora Ltda', 'Ana']])).toBe('');
    expect(mappingHint(['Código', 'Obs', 'Contato'], rows)).toBe('');
    expect(mappingHint(erp, [])).toBe('');
  });
});

describe('enrichment values', () => {
  it('takes values by path: text, numbers, lists, objects', () => {
    const analise = { perfil: { cargo: 'CEO' }, confianca: 0.9, tracos: ['a', 'b'], extra: { x: 1 } };
    expect(fieldValue(analise, 'perfil.cargo'.split('.'))).toBe('CEO');
    expect(fieldValue(analise, 'confianca'.split('.'))).toBe('0.9');
    expect(fieldValue(analise, 'tracos'.split('.'))).toBe('a; b');
    expect(fieldValue(analise, 'extra'.split('.'))).toBe('{"x":1}');
    expect(fieldValue(analise, 'perfil.nada'.split('.'))).toBe('');
    expect(fieldValue('texto', 'perfil'.split('.'))).toBe('');
    expect(() => parseFields('perfil..cargo')).toThrow(/--fields/);
  });

  it("prefixes values a spreadsheet would run as a formula with '", () => {
    for (const danger of ['=1+1', '+55 11', '-2', '@SUM(A1)', '\t=1', '\r=1'])
      expect(escapeFormula(danger)).toBe(`'${danger}`);
    expect(escapeFormula('Maria')).toBe('Maria');
  });
});

describe('the contact key (dedupe, checkpoint)', () => {
  // The rule before its ASCII fast path: a key that changed would make a rerun pay again.
  const reference = (v: string) =>
    v
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim();

  it('is the same through the ASCII fast path as through the full Unicode rule', () => {
    for (let a = 0; a < 128; a++) {
      for (const b of [' ', 'Z', '^', '`', 'é', '\t']) {
        const text = `  O${String.fromCharCode(a)}Br${b}ien  `;
        expect(normalizeText(text), JSON.stringify(text)).toBe(reference(text));
      }
    }
    expect(contactKey({ firstName: '  JOÃO ', lastName: 'da  Silva', company: 'O`Brien^' })).toBe(
      contactKey({ firstName: 'joao', lastName: 'da silva', company: 'obrien' }),
    );
  });

  it('one word is normalized as a text is, through the Latin-1 table and past it', () => {
    for (let code = 0x20; code <= 0x17f; code++) {
      const word = `Ab${String.fromCharCode(code)}Ç`;
      if (/\s/.test(word)) continue;
      expect(normalizeWord(word), JSON.stringify(word)).toBe(normalizeText(word));
    }
    for (const word of ['Conceição', 'GONÇALVES', 'Ærø', 'Łódź', 'Ñandú', 'Straße'])
      expect(normalizeWord(word), word).toBe(normalizeText(word));
  });
});
