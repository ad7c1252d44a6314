// The import rules are ARCHITECTURE.md's parts table ("may import"), read by scripts/import-rules.cjs:
// edit the table, not this file. `npm run check:imports` (part of `npm run lint`) runs them.
const { forbiddenRules, readTable } = require('./scripts/import-rules.cjs');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: forbiddenRules(readTable(__dirname)),
  options: {
    includeOnly: '^src/',
    doNotFollow: { path: 'node_modules' },
    // Type imports count: a part that names another's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
