import { IntlMessageFormat } from 'intl-messageformat';
import { catalogOf, type MessageKey } from './catalog.js';
import { DEFAULT_LANG, type Lang } from './lang.js';

/**
 * A message's values: numbers are formatted in the language's way by the message itself; a value
 * that is itself a `Message` (a part said in words) or a `WordList` is put in the same language.
 */
export type MessageParams = Readonly<
  Record<string, string | number | Date | boolean | null | undefined | Message | WordList>
>;

/**
 * Items said as a list in the reader's language: `a, b` (`unit`), `a or b`, `a and b` (`a ou b`,
 * `a e b`); `parts`: clauses of one line, `a; b` in every language (they hold commas themselves).
 */
export interface WordList {
  readonly items: readonly (string | Message)[];
  readonly join: 'unit' | 'or' | 'and' | 'parts';
}

export const wordList = (items: readonly (string | Message)[], join: WordList['join'] = 'unit'): WordList => ({
  items,
  join,
});

/** A message not yet put in words: its key and values, rendered in the reader's language where it is shown. */
export interface Message {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}

export const message = (key: MessageKey, params?: MessageParams): Message => (params ? { key, params } : { key });

const compiled = new Map<string, IntlMessageFormat>();

function formatter(lang: Lang, key: MessageKey): IntlMessageFormat {
  const id = `${lang}\0${key}`;
  let format = compiled.get(id);
  if (!format) {
    // A key missing from a translation reads in English rather than as its key (a test keeps the catalogs equal).
    const source = catalogOf(lang)[key] ?? catalogOf(DEFAULT_LANG)[key];
    if (source === undefined) throw new Error(`no message ${key}`);
    // Tags are off: texts hold `<input>` and `<run>` as words, not markup.
    format = new IntlMessageFormat(source, lang, undefined, { ignoreTag: true });
    compiled.set(id, format);
  }
  return format;
}

const LIST_TYPES = { unit: 'unit', or: 'disjunction', and: 'conjunction' } as const;

/** A value as `intl-messageformat` takes it: a part in words or a list said in `lang` first. */
function valueIn(lang: Lang, value: MessageParams[string]): string | number | Date | boolean | null | undefined {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if ('key' in value) return render(lang, value);
  const items = value.items.map((item) => (typeof item === 'string' ? item : render(lang, item)));
  if (value.join === 'parts') return items.join('; ');
  return new Intl.ListFormat(lang, { type: LIST_TYPES[value.join] }).format(items);
}

/** `key`'s text in `lang`, its values put in. */
export function t(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const values =
    params && Object.fromEntries(Object.entries(params).map(([name, value]) => [name, valueIn(lang, value)]));
  return String(formatter(lang, key).format(values as Record<string, string | number | Date | boolean>));
}

/** A `Message` in `lang`. */
export const render = (lang: Lang, msg: Message): string => t(lang, msg.key, msg.params);
