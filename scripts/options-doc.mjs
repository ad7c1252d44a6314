#!/usr/bin/env node
// Writes the table of options in docs/options.md, between its two markers, from the option table
// (src/options/table.ts: flag, alias, environment variable, default, commands) and the English
// catalog's help (src/i18n/catalog/en/options.json, through `optionHelp`): the table is the one
// declaration, the page follows it. Reads the build (dist/): `npm run docs` builds first.
// Usage: node scripts/options-doc.mjs [--check]   (--check: exit 1 if the page is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { optionHelp } from '../dist/commands/yargs-options.js';
import { COMMAND_NAMES, kebab, OPTIONS } from '../dist/options/table.js';

const target = fileURLToPath(new URL('../docs/options.md', import.meta.url));
export const START = '<!-- options:start: made by `npm run docs` from src/options/table.ts; do not edit by hand -->';
export const END = '<!-- options:end -->';

/** A table cell's text: pipes and angle brackets would end the cell or open an HTML tag. */
const cell = (text) => text.replaceAll('|', '\\|').replaceAll('<', '&lt;');
const code = (text) => `\`${text}\``;

function flagOf(name, spec) {
  const flags = [...(spec.alias ? [`-${spec.alias}`] : []), `--${kebab(name)}`];
  if (spec.type === 'boolean' && spec.default === true) flags.push(`--no-${kebab(name)}`);
  return flags.map(code).join(', ');
}

function valuesOf(spec) {
  // The command line reads numbers as text (so a typo is shown as typed): only choices and flags say more.
  const kind = spec.choices ? spec.choices.map(code).join(', ') : spec.type === 'boolean' ? 'flag' : '';
  return [kind, spec.array ? 'repeatable' : ''].filter(Boolean).join('; ');
}

const shown = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

function defaultOf(spec) {
  if (spec.helpDefault !== undefined) return spec.helpDefault;
  const values = [];
  if (spec.default !== undefined && !(Array.isArray(spec.default) && spec.default.length === 0))
    values.push(code(shown(spec.default)));
  for (const [command, value] of Object.entries(spec.defaultFor ?? {}))
    values.push(`${command}: ${code(shown(value))}`);
  return values.join('; ');
}

function commandsOf(spec) {
  const all = COMMAND_NAMES.every((command) => spec.commands.includes(command));
  const named = all ? 'all' : spec.commands.join(', ');
  const notes = [spec.global ? 'also before the command' : '', spec.cliOnly ? 'command line only' : ''];
  return [named, ...notes].filter(Boolean).join('; ');
}

/** The generated part of docs/options.md, markers included. */
export function optionsTable() {
  const rows = Object.entries(OPTIONS).map(([name, spec]) =>
    [
      flagOf(name, spec),
      valuesOf(spec),
      spec.env ? code(spec.env) : '',
      defaultOf(spec),
      commandsOf(spec),
      optionHelp(name, 'en'),
    ].map(cell),
  );
  const lines = [
    '| option | values | environment | default | commands | meaning |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
  return `${START}\n${lines.join('\n')}\n${END}`;
}

function render(page) {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${target} has lost its markers: ${START} ... ${END}`);
  return page.slice(0, start) + optionsTable() + page.slice(end + END.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const page = readFileSync(target, 'utf8');
  const made = render(page);
  if (process.argv.includes('--check')) {
    if (made !== page) {
      console.error(`${target} does not say what the option table says: run npm run docs, and commit it`);
      process.exit(1);
    }
  } else {
    writeFileSync(target, made);
  }
}
