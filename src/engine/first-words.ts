import { RememberedFirstNames } from '../contact/remembered-first-names.js';
import { firstNamesListHash, loadFirstNamesNow } from '../input/first-names-file.js';
import type { Checkpoint } from '../sharing/sqlite/checkpoint.js';
import { PASS_VERSION } from '../sharing/sqlite/pass-contacts.js';

/**
 * The first pass's judge of first words, answering from the verdicts earlier passes kept in the
 * run's store and loading the gazetteer only for a word none holds (issue 26: a rerun from the
 * cache asks nothing new, and must not pay the list's 160 ms and 100 MB). `keep` stores what
 * this pass learned; a verdict is the gazetteer's under the same rules and list, so rows are
 * judged exactly as if it had been loaded.
 */
export function rememberedFirstNames(store: Checkpoint): { names: RememberedFirstNames; keep(): void } {
  const verdicts = store.wordVerdicts(`${PASS_VERSION}:${firstNamesListHash()}`);
  const names = new RememberedFirstNames((key) => verdicts.recall(key), loadFirstNamesNow);
  return { names, keep: () => verdicts.save(names.learned()) };
}
