import type { FastifyInstance } from 'fastify';
import { catalogOf } from '../i18n/catalog.js';
import { LANGS, langFromAcceptLanguage } from '../i18n/lang.js';
import type { CatalogAnswer, PageKey } from './page-api.js';
import { PAGE_CHOICES } from './page-choices.js';

const PART = 'page.';

/** The page's part of a language's catalog, its keys without the part's prefix. */
function pageMessages(lang: CatalogAnswer['lang']): CatalogAnswer['messages'] {
  const messages: Record<string, string> = {};
  for (const [key, text] of Object.entries(catalogOf(lang)))
    if (key.startsWith(PART)) messages[key.slice(PART.length)] = text;
  return messages as Record<PageKey, string>;
}

/**
 * The page's words and lists, from the same catalog the CLI reads: `:lang` is the browser's
 * language list (`pt-PT,en`, as navigator.languages) or one language; the first we have wins.
 */
export function catalogRoute(app: FastifyInstance): void {
  app.get<{ Params: { lang: string } }>('/api/catalog/:lang', async (request): Promise<CatalogAnswer> => {
    const lang = langFromAcceptLanguage(request.params.lang);
    return { lang, langs: LANGS, messages: pageMessages(lang), choices: PAGE_CHOICES };
  });
}
