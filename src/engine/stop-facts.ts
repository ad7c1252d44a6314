import { message, render, type Lang, type Message } from '../i18n/index.js';
import type { StopFacts } from './run-summary.js';

/**
 * A stop's facts as a sentence, not yet in a language (`cli.stopFacts.*`); a fatal stop keeps
 * the words its error was given.
 */
export function stopWords(facts: StopFacts): Message | string {
  switch (facts.reason) {
    case 'budget': {
      const { limit, cost, spent, held } = facts;
      return message('cli.stopFacts.budget', { limit, cost, spent, held });
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
      return message('cli.stopFacts.quota', { at: facts.resetsAt });
    case 'signal':
      return message('cli.stop.signal');
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

/** A stop's facts in `lang`. */
export function stopText(facts: StopFacts, lang: Lang): string {
  const words = stopWords(facts);
  return typeof words === 'string' ? words : render(lang, words);
}
