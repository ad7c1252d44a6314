// The import rules of ARCHITECTURE.md's parts table, for dependency-cruiser: the table is the one
// statement of what may import what; .dependency-cruiser.cjs builds its rules from it, so a wrong
// arrow fails `npm run check:imports` (run by `npm run lint`), and changing a rule is changing the table.
//
// A "may import" cell lists folders of src/, comma-separated, each with an optional note in
// parentheses; a note starting with "types" allows type imports only; "nothing" allows none.
// Every folder may import the root's shared modules (SHARED); nothing imports the library entry.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const SHARED = ['errors.ts', 'log.ts', 'process-alive.ts'];
/** Folders every part may import too: the messages every part puts in the reader's language. */
const SHARED_FOLDERS = ['i18n'];

/** Splits `a, b (c, d), e` at the commas outside parentheses. */
function splitItems(cell) {
  const items = [];
  let depth = 0;
  let item = '';
  for (const c of cell) {
    if (c === '(') depth += 1;
    if (c === ')') depth -= 1;
    if (c === ',' && depth === 0) {
      items.push(item.trim());
      item = '';
    } else item += c;
  }
  if (item.trim()) items.push(item.trim());
  return items;
}

/** The table as { folder: { imports: [folders], typesOnly: [folders] } }, read from ARCHITECTURE.md's text. */
function parseTable(markdown) {
  const lines = markdown.split('\n');
  const header = lines.findIndex((line) => /^\|\s*folder\s*\|.*\|\s*may import\s*\|\s*$/.test(line));
  if (header < 0) throw new Error('ARCHITECTURE.md: no table with the columns "folder" and "may import"');
  const table = {};
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const folder = /^`src\/([\w-]+)\/`$/.exec(cells[0])?.[1];
    if (!folder) throw new Error(`ARCHITECTURE.md: a row's folder is not written \`src/<name>/\`: ${cells[0]}`);
    const rule = { imports: [], typesOnly: [] };
    for (const item of splitItems(cells[cells.length - 1])) {
      const match = /^([\w-]+)(?:\s+\((.*)\))?$/.exec(item);
      if (!match)
        throw new Error(
          `ARCHITECTURE.md: src/${folder}/ may import "${item}": expected a folder, then a note in parentheses`,
        );
      if (match[1] === 'nothing') continue;
      (/^types\b/.test(match[2] ?? '') ? rule.typesOnly : rule.imports).push(match[1]);
    }
    table[folder] = rule;
  }
  return table;
}

/** The folders of src/ at `root`: each must be a row of the table. */
const foldersOf = (root) =>
  readdirSync(join(root, 'src'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

/** The table, checked against the folders: each is a row, each row a folder, each named import a folder. */
function checkTable(table, folders) {
  const problems = [
    ...folders.filter((f) => !table[f]).map((f) => `src/${f}/ has no row`),
    ...Object.keys(table)
      .filter((f) => !folders.includes(f))
      .map((f) => `the row src/${f}/ names no folder`),
    ...Object.entries(table).flatMap(([f, rule]) =>
      [...rule.imports, ...rule.typesOnly]
        .filter((to) => !folders.includes(to))
        .map((to) => `src/${f}/ may import "${to}": no such folder`),
    ),
  ];
  if (problems.length > 0) throw new Error(`ARCHITECTURE.md's parts table is not the code's: ${problems.join('; ')}`);
  return table;
}

/** The table of the repository at `root`, checked against its src/ folders. */
const readTable = (root) =>
  checkTable(parseTable(readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8')), foldersOf(root));

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** dependency-cruiser's `forbidden` rules, one or two per folder, and the library entry's. */
function forbiddenRules(table) {
  const shared = [
    ...SHARED.map((file) => `^src/${escapeRegExp(file)}$`),
    ...SHARED_FOLDERS.map((folder) => `^src/${folder}/`),
  ];
  return [
    ...Object.entries(table).flatMap(([folder, rule]) => {
      const allowed = [folder, ...rule.imports, ...rule.typesOnly].map((to) => `^src/${to}/`);
      const says = `ARCHITECTURE.md: src/${folder}/ may import ${[...rule.imports, ...rule.typesOnly.map((t) => `${t} (types)`)].join(', ') || 'nothing'}`;
      return [
        {
          name: `${folder}-imports`,
          severity: 'error',
          comment: says,
          from: { path: `^src/${folder}/` },
          to: { path: '^src/', pathNot: [...allowed, ...shared] },
        },
        ...(rule.typesOnly.length > 0
          ? [
              {
                name: `${folder}-imports-types-only`,
                severity: 'error',
                comment: says,
                from: { path: `^src/${folder}/` },
                to: { path: rule.typesOnly.map((to) => `^src/${to}/`), dependencyTypesNot: ['type-only'] },
              },
            ]
          : []),
      ];
    }),
    {
      name: 'nothing-imports-the-library-entry',
      severity: 'error',
      comment: 'ARCHITECTURE.md: src/index.ts is the library entry',
      from: {},
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'library-entry-loads-no-sandbox',
      severity: 'error',
      comment: 'ARCHITECTURE.md: the library entry loads no sandbox',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^src/sandbox/' },
    },
  ];
}

module.exports = { SHARED, SHARED_FOLDERS, parseTable, checkTable, foldersOf, readTable, forbiddenRules };
