import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, FluenceError, adviceOf } from '../src/errors.js';
import { catalogOf, LANGS, message, render } from '../src/i18n/index.js';

const SRC = new URL('../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Text written in place: a literal, a template, or a sum or choice of them. */
function isWrittenText(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node)) return isWrittenText(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node))
    return true;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
    return isWrittenText(node.left) || isWrittenText(node.right);
  if (ts.isConditionalExpression(node)) return isWrittenText(node.whenTrue) || isWrittenText(node.whenFalse);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    return isWrittenText(node.left) || isWrittenText(node.right);
  return false;
}

/** `new FluenceError(code, <text written in place>)` in src/, as `file:line`. */
function errorsWrittenInPlace(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('FluenceError(')) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isNewExpression(node) &&
        node.expression.getText(source) === 'FluenceError' &&
        node.arguments?.[1] &&
        isWrittenText(node.arguments[1])
      ) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${relative(SRC, file)}:${line + 1}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** ERROR_CODE -> errorCode: the first word of an `errors.*` key after `errors.`. */
const camel = (code: string): string => code.toLowerCase().replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

describe('error messages', () => {
  it('are never written in place: every FluenceError in src/ takes a catalog message (errors.json)', () => {
    // The one allowed: `withMore`'s fallback, which keeps a plain-string error's own words.
    expect(errorsWrittenInPlace()).toEqual([expect.stringMatching(/^errors\.ts:\d+$/)]);
  });

  it('every code has words in every language, and every errors.* key names a code (or is a shared part)', () => {
    const byCode = new Map(ERROR_CODES.map((code) => [camel(code), code]));
    for (const lang of LANGS) {
      const keys = Object.keys(catalogOf(lang)).filter((key) => key.startsWith('errors.'));
      const named = new Set(keys.map((key) => key.split('.')[1]!));
      for (const code of ERROR_CODES) expect(named.has(camel(code)), `${lang}: no errors.${camel(code)}*`).toBe(true);
      for (const first of named) expect(first === 'part' || byCode.has(first), `errors.${first}`).toBe(true);
    }
  });

  it('an advice key (`<key>.cli`) has both places, the terminal and the page, and the page never says --map', () => {
    const keys = Object.keys(catalogOf('en'));
    for (const key of keys.filter((k) => k.endsWith('.cli'))) {
      const base = key.slice(0, -'.cli'.length);
      expect(keys, base).toContain(`${base}.page`);
      for (const lang of LANGS) expect(catalogOf(lang)[`${base}.page`], `${lang} ${base}.page`).not.toMatch(/--map/);
    }
  });

  it('says the facts in the reader’s language, then what to do where the reader is', () => {
    const error = new FluenceError(
      'MISSING_COLUMN',
      message('errors.missingColumn', { fields: 'empresa', headers: '"Nome", "Telefone"' }),
      { advice: adviceOf('errors.missingColumn', { field: 'empresa', hint: 'none', column: '' }) },
    );
    expect(error.message).toBe(
      'no column for empresa; the file has: "Nome", "Telefone". Name it with --map empresa=Header.',
    );
    expect(error.textIn('en')).toBe(error.message);
    expect(error.textIn('en', 'page')).toBe(
      'no column for empresa; the file has: "Nome", "Telefone". Choose the right column for empresa in the list.',
    );
    expect(error.textIn('pt-BR')).toMatch(/^não há coluna para empresa; .* --map empresa=Coluna\.$/);
    expect(error.textIn('pt-BR', 'page')).toMatch(/Escolha na lista a coluna certa para empresa\.$/);
    expect(error.code).toBe('MISSING_COLUMN');
  });

  it('puts a part in words and a list in the reader’s language', () => {
    const said = message('errors.badOption', {
      flag: 'endpoint',
      expected: { items: ['crm_basico', 'crm'], join: 'or' },
      got: '"x"',
    });
    expect(render('en', said)).toBe('option --endpoint: expected crm_basico or crm, got "x"');
    expect(render('pt-BR', said)).toBe('opção --endpoint: o esperado é crm_basico ou crm; veio "x"');
  });
});
