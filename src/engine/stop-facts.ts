import type { ErrorPlace } from '../errors.js';
import { formatDateTimeUtc } from '../i18n/format.js';
import { message, render, type Lang, type Message } from '../i18n/index.js';
import type { StopFacts, StopReason } from './run-summary.js';

/**
 * Where a stop is read: the terminal (`cli`: its flags and commands) or the web page (`page`: its
 * cost limit, its Stop and Resume buttons). A run started from the page is the page's.
 */
export type StopPlace = ErrorPlace;

/** Why a run stopped, in a few words (`stopped (monthly quota)`): the terminal's, the report's and the page's one home for them. */
export const stopReasonWords = (reason: StopReason, where: StopPlace = 'cli'): Message =>
  message('cli.stopReason', { reason, where });

/**
 * When a monthly quota resets, as a day and a time in `lang` with the zone named, to the minute
 * (the 429's wait lands a few milliseconds past it, different on each answer): the same in the
 * stop's message, each pending row's error, the next step and the report.
 */
export function resetText(lang: Lang, resetsAt: string): string {
  const at = Date.parse(resetsAt);
  return Number.isNaN(at) ? resetsAt : formatDateTimeUtc(lang, new Date(at - (at % 60_000)));
}

/**
 * A stop's facts as a sentence, not yet in a language (`cli.stopFacts.*`), said where it is read
 * (`where`: the page has a cost limit and a Stop button where the terminal has --max-credits and
 * signals); a fatal stop keeps the words its error was given. The quota's reset is put in words
 * when rendered (`stopText`): it is a date in the reader's language.
 */
export function stopWords(facts: StopFacts, where: StopPlace = 'cli', lang?: Lang): Message | string {
  switch (facts.reason) {
    case 'budget': {
      const { limit, cost, spent, held } = facts;
      const key = where === 'page' ? 'cli.stopFacts.budget.page' : 'cli.stopFacts.budget';
      return message(key, { limit, cost, spent, held });
    }
    case 'credits':
      if (facts.refusedBy === 'balance') {
        const { left, held, maybeUsed, cost } = facts;
        return message('cli.stopFacts.creditsBalance', { left, held, maybeUsed, cost });
      }
      return facts.apiSaid
        ? message('cli.stopFacts.creditsApiSaid', { status: facts.httpStatus, said: facts.apiSaid })
        : message('cli.stopFacts.creditsApi', { status: facts.httpStatus });
    case 'quota':
      return message('cli.stopFacts.quota', { at: lang ? resetText(lang, facts.resetsAt) : facts.resetsAt });
    case 'signal':
      // The page's Stop button is no signal: what the person did, in the page's words.
      return where === 'page'
        ? message('cli.stopFacts.signal.page', { inFlight: facts.inFlight })
        : message('cli.stopFacts.signal', { signal: facts.signal ?? 'none', inFlight: facts.inFlight });
    case 'redis':
      return message('cli.stopFacts.redis', {
        at: facts.at,
        seconds: facts.seconds,
        error: facts.error || message('cli.stopFacts.redisClosed'),
      });
    case 'fatal':
      return facts.message;
  }
}

/** A stop's facts in `lang`, said where they are read. */
export function stopText(facts: StopFacts, lang: Lang, where: StopPlace = 'cli'): string {
  const words = stopWords(facts, where, lang);
  return typeof words === 'string' ? words : render(lang, words);
}
