import type { Lang } from './lang.js';
import type { MessageKey } from './catalog.js';
import { t, type MessageParams } from './message.js';

/**
 * A message whose values may be messages themselves (a log line that quotes the quota's own
 * sentence): kept as data until it is shown, so a JSON log line can carry it and a readable line
 * render it in the reader's language.
 */
export interface NestedMessage {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, MessageParams[string] | NestedMessage>>;
}

const isNested = (value: unknown): value is NestedMessage =>
  typeof value === 'object' && value !== null && !(value instanceof Date) && 'key' in value;

/** `msg` in `lang`, its message values rendered first. */
export function renderNested(lang: Lang, msg: NestedMessage): string {
  const params: Record<string, MessageParams[string]> = {};
  for (const [name, value] of Object.entries(msg.params ?? {}))
    params[name] = isNested(value) ? renderNested(lang, value) : value;
  return t(lang, msg.key, params);
}
