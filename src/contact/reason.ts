import { DEFAULT_LANG, message, t, type Lang, type Message, type MessageKey } from '../i18n/index.js';
import type { Doubt } from './plausible.js';

/**
 * Why a row is not sent, as data: a `rows.*` key and its values. The rules return it; the words
 * are made where a person reads them (the output's `fluence_error`, the report, the page's
 * preview) in that reader's language, so nothing stored holds words of one language.
 */
export type Reason = Message;

/** A `rows.*` reason with its values. */
export const reason = (key: Extract<MessageKey, `rows.${string}`>, params?: Message['params']): Reason =>
  message(key, params);

/** What a doubt says of one value (`count` 1: "an email address") or of several ("email addresses"). */
export const doubtText = (lang: Lang, doubt: Doubt, count = 1): string => t(lang, `rows.doubt.${doubt}`, { count });

/**
 * A reason in `lang`. A reason about a doubt carries the doubt's kind (`doubt`), put in words
 * here as `what` (one message cannot hold another).
 */
export function reasonText(why: Reason, lang: Lang = DEFAULT_LANG): string {
  const doubt = why.params?.doubt;
  if (typeof doubt !== 'string') return t(lang, why.key, why.params);
  return t(lang, why.key, { ...why.params, what: doubtText(lang, doubt as Doubt) });
}
