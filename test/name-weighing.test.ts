import { describe, expect, it } from 'vitest';
import { contactDoubt } from '../src/contact/plausible.js';
import { readFullName, readNameParts, splitFullName } from '../src/contact/full-name.js';
import { loadFirstNames } from '../src/input/first-names-file.js';
import { reasonText } from '../src/contact/reason.js';

/** The row's reason for a full name at a company, judged with the shipped gazetteer. */
async function reason(full: string, company = 'Natura'): Promise<string | undefined> {
  const names = await loadFirstNames();
  const why = contactDoubt({ ...splitFullName(full), company }, 'nome_completo', names);
  return why && reasonText(why, 'en');
}

describe('names that are words too, weighed (issue 26, second round)', () => {
  it('sends given names that a list of names per language holds, though they are words', async () => {
    const people = [
      'Hope Davis',
      'Faith Hill',
      'Dawn French',
      'Summer Glau',
      'Amber Heard',
      'Destiny Moore',
      'Chase Utley',
      'Hunter Biden',
      'Pearl Bailey',
      'Art Garfunkel',
      'Bob Dylan',
      'Don Draper',
      'Pat Riley',
      'Wade Boggs',
      'Rex Harrison',
      'Caridad Mercader',
      'Şule Yılmaz',
      'Le Van Thanh',
    ];
    for (const full of people) expect(await reason(full), full).toBeUndefined();
  });

  it('sends romanised Chinese, Japanese and Korean given names, in capitals too', async () => {
    const people = [
      'Min Wang',
      'Ling Li',
      'PING CHEN',
      'Fang Zhou',
      'TAO ZHANG',
      'Chao Zhu',
      'NA LIU',
      'Hui Guo',
      'Hao Chen',
      'Mio Sato',
      'SOTA HAYASHI',
      'Xiaoyu He',
      'Haruka Matsumoto',
    ];
    for (const full of people) expect(await reason(full), full).toBeUndefined();
  });

  it('sends names of faith and nature, doubled and accented nicknames, and a rare Spanish verb form', async () => {
    const people = [
      'Paz Vega',
      'Mar Ruiz',
      'Fé Mendes',
      'Céu Azevedo',
      'Cacá Lima',
      'Gugu Liberato',
      'Lelê Souza',
      'Jú Souza',
      'Fê Oliveira',
      'Rê Lima',
      'Ciaran Murphy',
    ];
    for (const full of people) expect(await reason(full), full).toBeUndefined();
  });

  it("a state's two letters in capitals after a first name are a surname; a city before them is a place", async () => {
    expect(await reason('ZHEN MA')).toBeUndefined();
    expect(await reason('LIN MA')).toBeUndefined();
    expect(await reason('São Paulo SP')).toMatch(/a place/);
    expect(await reason('SÃO PAULO SP')).toMatch(/a place/);
    expect(await reason('CAMPINAS SP')).toMatch(/a place/);
    expect(await reason('Natal RN')).toMatch(/a place/);
  });

  it('refuses platforms and marketing words, and the words the Moby list alone calls names', async () => {
    for (const full of ['Facebook Ads', 'Instagram Orgânico', 'Upsell Seats', 'MacBook Air', 'Google Ads'])
      expect(await reason(full), full).toMatch(/a common word, not a first name/);
    for (const full of ['Base Fria', 'Field Sales', 'Portaria Bloco B', 'Barbearia Navalha', 'Bom Dia'])
      expect(await reason(full), full).toMatch(/a common word, not a first name/);
    expect(await reason('No Reply')).toMatch(/placeholder/);
    expect(await reason('Do Not Reply')).toMatch(/placeholder/);
  });
});

describe('what is not the name is dropped before the name is read (issue 26, second round)', () => {
  it('pronouns in brackets after credentials after a comma, in either order, before "Last, First" is decided', () => {
    for (const full of ['Ana Lima, MBA (ela/dela)', 'Ana Lima (ela/dela), MBA', 'Ana Lima, PhD, PMP (she/her)'])
      expect(readFullName(full), full).toEqual({ firstName: 'Ana', lastName: 'Lima' });
    expect(readFullName('Lima, Ana (ela/dela)')).toEqual({ firstName: 'Ana', lastName: 'Lima' });
    expect(readNameParts('Ana', 'Lima, MBA (ela/dela)')).toEqual({ firstName: 'Ana', lastName: 'Lima' });
    expect(readNameParts('Ana', 'Lima (ela/dela), MBA')).toEqual({ firstName: 'Ana', lastName: 'Lima' });
  });

  it('every emoji: skin tones, joined sequences, keycaps with their digit; a digit alone stays', () => {
    expect(readFullName('Ana Souza 👍🏾')).toEqual({ firstName: 'Ana', lastName: 'Souza' });
    expect(readFullName('👩🏽‍💻 Ana Souza')).toEqual({ firstName: 'Ana', lastName: 'Souza' });
    expect(readFullName('1️⃣ Ana Souza #️⃣')).toEqual({ firstName: 'Ana', lastName: 'Souza' });
    expect(readNameParts('🏾Ana', 'Souza 🇧🇷')).toEqual({ firstName: 'Ana', lastName: 'Souza' });
    expect(readFullName('Ana Souza 2')).toEqual({ firstName: 'Ana', lastName: 'Souza 2' });
  });
});
