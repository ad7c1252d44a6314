import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { exitCodesHelp } from '../src/commands/exit-codes.js';
import { optionHelp } from '../src/commands/yargs-options.js';
import { DOUBTS } from '../src/contact/plausible.js';
import { EXIT, FluenceError } from '../src/errors.js';
import { findingKey } from '../src/input/column-check.js';
import {
  catalogOf,
  chooseLang,
  formatDate,
  formatDuration,
  formatNumber,
  langFromAcceptLanguage,
  LANGS,
  message,
  t,
} from '../src/i18n/index.js';
import { OPTIONS } from '../src/options/table.js';

describe('the language a person reads', () => {
  it('is --lang, else the locale as gettext reads it, else English', () => {
    expect(chooseLang('pt-BR', { LANG: 'en_US.UTF-8' })).toBe('pt-BR');
    expect(chooseLang(undefined, { LANG: 'pt_BR.UTF-8' })).toBe('pt-BR');
    expect(chooseLang(undefined, { LC_ALL: 'C', LANG: 'pt_BR.UTF-8' })).toBe('en');
    expect(chooseLang(undefined, { LC_MESSAGES: 'pt_PT.UTF-8', LANG: 'en_US.UTF-8' })).toBe('pt-BR');
    expect(chooseLang(undefined, { LANG: 'en_US.UTF-8', LANGUAGE: 'pt_BR:en' })).toBe('pt-BR');
    // gettext ignores LANGUAGE under the C locale: a LANG=C cron job reads English.
    expect(chooseLang(undefined, { LANG: 'C', LANGUAGE: 'pt_BR' })).toBe('en');
    expect(chooseLang(undefined, { LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(chooseLang(undefined, {})).toBe('en');
  });

  it("is the browser's first language we have", () => {
    expect(langFromAcceptLanguage('de-DE,pt-BR;q=0.8,en;q=0.5')).toBe('pt-BR');
    expect(langFromAcceptLanguage(['fr', 'en-GB'])).toBe('en');
    expect(langFromAcceptLanguage(undefined)).toBe('en');
  });
});

/** The names of the values a text takes (`{count, plural, ...}` -> count), from its parsed form. */
function valuesOf(text: string, lang: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: readonly unknown[]): void => {
    for (const node of nodes as Array<{ value?: unknown; options?: Record<string, { value: unknown[] }> }>) {
      if (typeof node.value === 'string' && 'type' in node && (node as { type: number }).type !== 0)
        names.add(node.value);
      for (const option of Object.values(node.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(text, lang, undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

describe('the catalogs', () => {
  it('have the same keys in every language, and each text takes the same values as the English', () => {
    const english = Object.keys(catalogOf('en')).sort();
    for (const lang of LANGS) {
      expect(Object.keys(catalogOf(lang)).sort(), lang).toEqual(english);
      for (const key of english)
        expect(valuesOf(catalogOf(lang)[key]!, lang), `${lang} ${key}`).toEqual(valuesOf(catalogOf('en')[key]!, 'en'));
    }
  });

  it('give every option its help, and nothing else under options', () => {
    expect(Object.keys(catalogOf('en')).filter((key) => key.startsWith('options.'))).toEqual(
      Object.keys(OPTIONS).map((name) => `options.${name}`),
    );
    expect(optionHelp('config')).toContain('fluence-enrich.config.json');
    expect(optionHelp('keys')).toContain('[{"key", "plan"');
  });
});

describe('values in the language', () => {
  it('numbers, durations and dates', () => {
    expect(formatNumber('en', 1468)).toBe('1,468');
    expect(formatNumber('pt-BR', 1468)).toBe('1.468');
    expect(formatDuration('pt-BR', 3.5)).toBe('3,5 s');
    expect(formatDuration('en', 125)).toBe('2 min 5 s');
    expect(formatDuration('pt-BR', 3725)).toBe('1 h 2 min');
    expect(formatDate('pt-BR', new Date(2026, 11, 7))).toBe('07/12/2026');
  });
});

describe('an error in words', () => {
  it('keeps its English message and says it in the reader’s language', () => {
    const error = new FluenceError('BAD_OPTION', message('options.rate'));
    expect(error.message).toBe(t('en', 'options.rate'));
    expect(error.textIn('pt-BR')).toBe(t('pt-BR', 'options.rate'));
  });
});

describe("a doubtful column's findings", () => {
  it('each kind a row or a column can be doubted for is said in every language', () => {
    const kinds = [...DOUBTS, 'business', 'lowercase', 'no-first-name'] as const;
    for (const lang of LANGS)
      for (const kind of kinds) expect(catalogOf(lang)[findingKey(kind)], `${lang} ${kind}`).toBeDefined();
  });
});

describe('the exit codes', () => {
  it('--help lists each code the tool ends with, in every language, and no other', () => {
    for (const lang of LANGS) {
      const listed = [...exitCodesHelp(lang).matchAll(/^\s+(\d+)\s{2}/gm)].map((m) => Number(m[1]));
      expect(listed, lang).toEqual(Object.values(EXIT));
    }
  });
});
