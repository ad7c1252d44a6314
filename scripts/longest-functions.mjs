#!/usr/bin/env node
// Lists the longest functions in src/ (declarations, methods, accessors, constructors, and
// function or arrow expressions assigned to a const/property), and the files over 300 lines.
// Usage: node scripts/longest-functions.mjs [count=10] [dir=src]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const count = Number(process.argv[2] ?? 10);
const root = process.argv[3] ?? 'src';

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

const found = [];
const longFiles = [];
for (const path of files(root)) {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > 300) longFiles.push({ path: relative('.', path), lines });
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line;
  const nameOf = (node) => {
    if (node.name) return node.name.getText(source);
    if (ts.isConstructorDeclaration(node)) return 'constructor';
    const parent = node.parent;
    if (
      parent &&
      (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    )
      return parent.name.getText(source);
    return undefined;
  };
  const visit = (node) => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessor(node) ||
      ts.isSetAccessor(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node)
    ) {
      const name = nameOf(node);
      if (name && node.body) {
        const span = lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
        found.push({ where: `${relative('.', path)}:${lineOf(node.getStart(source)) + 1}`, name, lines: span });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

found.sort((a, b) => b.lines - a.lines);
console.log(`Longest ${count} named functions in ${root}/:`);
for (const f of found.slice(0, count)) console.log(`${String(f.lines).padStart(5)}  ${f.name}  ${f.where}`);
longFiles.sort((a, b) => b.lines - a.lines);
console.log(`\nFiles over 300 lines in ${root}/:`);
for (const f of longFiles) console.log(`${String(f.lines).padStart(5)}  ${f.path}`);
