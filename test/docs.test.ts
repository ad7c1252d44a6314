import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kebab, optionsOf } from '../src/options/table.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const markdownFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });

const PAGES = ['README.md', ...markdownFiles('docs')];

/** A page without its code: links shown in a code block or span are examples, not links. */
const prose = (text: string): string => text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** The anchors GitHub gives a page's headings (github-slugger's rule: lower case, punctuation gone, spaces as -). */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const plain = heading!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = plain
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every relative link of a page (markdown links and images, `<img src>`), as written. */
function linksOf(text: string): string[] {
  const body = prose(text);
  const markdown = [...body.matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)].map((m) => m[1]!);
  const images = [...body.matchAll(/<img [^>]*src="([^"]+)"/g)].map((m) => m[1]!);
  return [...markdown, ...images].filter((link) => !/^[a-z][a-z+.-]*:/i.test(link));
}

function brokenLinks(page: string): string[] {
  const text = readFileSync(join(ROOT, page), 'utf8');
  return linksOf(text).flatMap((link) => {
    const [path, anchor] = link.split('#') as [string, string | undefined];
    const target = path === '' ? page : relative(ROOT, join(ROOT, dirname(page), decodeURI(path)));
    if (!existsSync(join(ROOT, target))) return [`${page}: ${link} (no such file)`];
    if (anchor === undefined || !target.endsWith('.md')) return [];
    const anchors = anchorsOf(readFileSync(join(ROOT, target), 'utf8'));
    return anchors.has(anchor) ? [] : [`${page}: ${link} (no heading #${anchor} in ${target})`];
  });
}

describe('the README and docs/', () => {
  it('every relative link points to a file that exists, and an anchor to a heading of it', () => {
    expect(PAGES.length).toBeGreaterThan(10);
    expect(PAGES.flatMap(brokenLinks)).toEqual([]);
  });

  it('the link check sees a broken file, a broken anchor and a link in code as they are', () => {
    const text = '# A `b`: c\n\n[x](nowhere.md) [y](#a-b-c) [z](#gone) `[w](nowhere.md)`\n';
    expect(linksOf(text)).toEqual(['nowhere.md', '#a-b-c', '#gone']);
    expect(anchorsOf(text)).toEqual(new Set(['a-b-c']));
    expect(anchorsOf("## `serve`: the web page's options\n## .xlsx input\n## Hidden rows\n## Hidden rows\n")).toEqual(
      new Set(['serve-the-web-pages-options', 'xlsx-input', 'hidden-rows', 'hidden-rows-1']),
    );
  });

  it('the README keeps the two newcomer commands exactly', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/^npm ci && npm run demo +#/m);
    expect(readme).toMatch(/^npm test +#/m);
  });

  it('docs/options.md is what the option table and the English help give (npm run docs rewrites it)', () => {
    // Throws, with the script's message, when the page differs from the table (it reads dist/).
    execFileSync(process.execPath, ['scripts/options-doc.mjs', '--check'], { cwd: ROOT, stdio: 'pipe' });
  });

  it("serve.md's table of serve's options names each of them once, with the option table's defaults", () => {
    const page = readFileSync(join(ROOT, 'docs/serve.md'), 'utf8');
    const section = page.slice(page.indexOf("## `serve`: the web page's options"));
    const rows = section.split('\n').filter((line) => line.startsWith('| `--'));
    const named = rows.flatMap((row) => [...row.split(' | ')[0]!.matchAll(/`--([a-z-]+)/g)].map((m) => m[1]!));
    const own = optionsOf('serve').filter(([, spec]) => !spec.global);
    expect(named.sort()).toEqual(own.map(([name]) => kebab(name)).sort());
    for (const [name, spec] of own) {
      const fallback = spec.defaultFor?.serve ?? spec.default;
      const row = rows.find((line) => line.startsWith(`| \`--${kebab(name)}`))!;
      const stated = /\(default `?([^`;)]+)`?/.exec(row)?.[1];
      if (stated !== undefined) expect(stated, name).toBe(String(fallback));
    }
  });
});
