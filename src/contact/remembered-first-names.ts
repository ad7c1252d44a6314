import type { FirstNames } from './first-names.js';

/**
 * A first word's verdicts as bits: whether `isName` / `isWord` were asked, and their answers.
 * Only what the gazetteer was asked is kept, so a remembered answer is the one it gave.
 */
const NAME_ASKED = 1;
const NAME = 2;
const WORD_ASKED = 4;
const WORD = 8;

/**
 * `FirstNames` that answers from verdicts an earlier pass kept (`recall`, keyed by the rules'
 * version and the list's hash by whoever hands it in) and loads the gazetteer (`load`) only on
 * the first question none answers: a rerun over words it has seen never reads the list (about
 * 160 ms and 100 MB). `learned` gives the verdicts this pass added, to keep for the next one.
 */
export class RememberedFirstNames implements FirstNames {
  readonly #recall: (key: string) => number | undefined;
  readonly #load: () => FirstNames;
  /** Every key this pass met, with what is known of it (recalled or learned). */
  readonly #known = new Map<string, number>();
  readonly #learned = new Map<string, number>();
  #names: FirstNames | undefined;

  constructor(recall: (key: string) => number | undefined, load: () => FirstNames) {
    this.#recall = recall;
    this.#load = load;
  }

  isName(key: string): boolean {
    return this.#ask(key, NAME_ASKED, NAME, (names) => names.isName(key));
  }

  isWord(key: string): boolean {
    return this.#ask(key, WORD_ASKED, WORD, (names) => names.isWord(key));
  }

  /** Whether the gazetteer had to be loaded (a question no kept verdict answered). */
  get loaded(): boolean {
    return this.#names !== undefined;
  }

  /** The verdicts this pass reached that were not kept yet: [key, bits]. */
  learned(): [string, number][] {
    return [...this.#learned];
  }

  #ask(key: string, asked: number, yes: number, judge: (names: FirstNames) => boolean): boolean {
    let bits = this.#known.get(key);
    if (bits === undefined) {
      bits = this.#recall(key) ?? 0;
      this.#known.set(key, bits);
    }
    if (bits & asked) return (bits & yes) !== 0;
    this.#names ??= this.#load();
    const answer = judge(this.#names);
    bits |= asked | (answer ? yes : 0);
    this.#known.set(key, bits);
    this.#learned.set(key, bits);
    return answer;
  }
}
