import { IntlMessageFormat } from 'intl-messageformat';
import { catalogOf, type MessageKey } from './catalog.js';
import { DEFAULT_LANG, type Lang } from './lang.js';

/** A message's values: numbers are formatted in the language's way by the message itself. */
export type MessageParams = Readonly<Record<string, string | number | Date | boolean | null | undefined>>;

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

/** `key`'s text in `lang`, its values put in. */
export function t(lang: Lang, key: MessageKey, params?: MessageParams): string {
  return String(formatter(lang, key).format(params as Record<string, string | number | Date | boolean>));
}

/** A `Message` in `lang`. */
export const render = (lang: Lang, msg: Message): string => t(lang, msg.key, msg.params);
