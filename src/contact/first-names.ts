/**
 * What a name's first word is: a known first name, a common word that is no first name, or
 * neither (a rare or foreign name: sent). Built from `data/first-names.txt.gz` (see
 * scripts/build-names.mjs and data/first-names.SOURCES.md); keys as `wordKey` makes them
 * (lowercase, no accents).
 */
export interface FirstNames {
  /** A common word of Portuguese, English or Spanish that is not a first name (`proposta`, `nao`). */
  isWord(key: string): boolean;
  /** A first name people bear (`maria`, `deivid`, `hiroshi`), not outweighed by a word. */
  isName(key: string): boolean;
}

/**
 * People the census counts with a name that is a common word of 3 letters or fewer, at or above
 * which the name wins: short words are a language's most frequent (`Seu`: 224, `Mar`: 226 are
 * noise; `Jun`: 321, `Sol`: 502, `Luz`: 2,777 names). A longer word in the census is a name
 * (`Rosa`, `Glória`, `Celcio`, `Zafira`: the Portuguese dictionary holds many rare words). No count
 * parts longer words from names: nicknames people go by (`Babi`: 78, `Rafa`: 193, `Toninho`: 544)
 * and words typed where a name goes (`Boas`: 122, `Vale`: 184, `Auto`: 189, `Feliz`: 595) overlap.
 */
const SHORT_WORD_NAME_MIN = 300;
const SHORT_WORD = 3;
/**
 * The census's noise among Portuguese's most frequent words, which no count makes a name: `Não`
 * (1,306 people), `São` and `Seu` (typed for the name of a city or a placeholder).
 */
const FREQUENT_WORDS = new Set(['nao', 'sim', 'sao', 'seu', 'sua', 'meu', 'rua', 'com', 'sem', 'por', 'para', 'the']);
/**
 * Names that are words of faith or nature which the census counts little because they are
 * mostly second names (`Maria da Paz`, `Maria do Céu`, `Maria de Fé`, `Maria del Mar`), and which
 * no list of given names holds: people are called by them alone.
 */
const SECOND_NAMES = new Set(['paz', 'mar', 'fe', 'ceu']);

/**
 * The gazetteer: names with their census count (0: listed without counts), and the sorted word
 * list, one word a line, given lazily (`words`): it is asked only about a first word that is no
 * known name, and is nine tenths of the data.
 */
export class Gazetteer implements FirstNames {
  readonly #names = new Map<string, number>();
  /** Names that are words too, held by a list of given names per language (`hope`, `caridad`, `mio`). */
  readonly #listed = new Set<string>();
  readonly #wordsText: () => string;
  #words: string | undefined;

  constructor(namesText: string, words: () => string) {
    for (const line of namesText.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const [name, count, flags = ''] = line.split('\t') as [string, string, string | undefined];
      // A name that is a word too is stored negated (-1 for one listed without a count).
      const n = Number(count);
      this.#names.set(name, flags.includes('w') ? -(n || 1) : n);
      if (flags.includes('l')) this.#listed.add(name);
    }
    this.#wordsText = words;
  }

  /** Names known. */
  get names(): number {
    return this.#names.size;
  }

  /** Whether the word list was unzipped (a first word was no known name). */
  get wordsLoaded(): boolean {
    return this.#words !== undefined;
  }

  isName(key: string): boolean {
    const n = this.#names.get(key);
    if (n === undefined) return SECOND_NAMES.has(key);
    if (n >= 0) return true;
    // Also a word: a name when a language's list of given names holds it (`Hope`, `Chase`, `Mio`,
    // `Ling`) or the census counts enough bearers; a word when only the English Moby list holds
    // it (`Base`, `Field`, `Kit`: it lists words as names) or the census counts few of a short one (`Seu`).
    if (FREQUENT_WORDS.has(key)) return false;
    if (this.#listed.has(key) || SECOND_NAMES.has(key)) return true;
    return n !== -1 && (key.length > SHORT_WORD || -n >= SHORT_WORD_NAME_MIN);
  }

  isWord(key: string): boolean {
    if (this.#names.has(key) || SECOND_NAMES.has(key)) return !this.isName(key);
    this.#words ??= this.#wordsText();
    return hasLine(this.#words, key);
  }
}

/** Binary search for a line in sorted text, one word a line (no per-word objects: two million words). */
export function hasLine(text: string, key: string): boolean {
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const start = text.lastIndexOf('\n', mid - 1) + 1;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const word = text.slice(start, end);
    if (word === key) return true;
    if (word < key) low = end + 1;
    else high = start;
  }
  return false;
}

/**
 * The verdicts a first pass reached, kept in its note (`Shape.firstWords`): a later pass over the
 * same file (the rows' loop, a rerun) judges rows alike without loading the gazetteer.
 */
export interface FirstWordVerdicts {
  words: string[];
  names: string[];
}

/** `FirstNames` answering from a first pass's verdicts. */
export function fromVerdicts(verdicts: FirstWordVerdicts): FirstNames {
  const words = new Set(verdicts.words);
  const names = new Set(verdicts.names);
  return { isWord: (key) => words.has(key), isName: (key) => names.has(key) };
}

/** `FirstNames` that notes each word it calls a word and each name it calls a name, for `fromVerdicts`. */
export function recording(names: FirstNames): FirstNames & { verdicts(): FirstWordVerdicts } {
  const words = new Set<string>();
  const known = new Set<string>();
  return {
    isWord(key) {
      const yes = names.isWord(key);
      if (yes) words.add(key);
      return yes;
    },
    isName(key) {
      const yes = names.isName(key);
      if (yes) known.add(key);
      return yes;
    },
    verdicts: () => ({ words: [...words].sort(), names: [...known].sort() }),
  };
}
