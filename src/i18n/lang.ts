/**
 * The languages a person can read this tool in, and how one is chosen: `--lang` (flag, then
 * FLUENCE_LANG, then a config file: the option table's order), else the locale the way gettext
 * reads it (LC_ALL, else LC_MESSAGES, else LANG; LANGUAGE's list first unless the locale is C),
 * else English. What machines read (codes, field names, JSON logs) never changes with it.
 */
export const LANGS = ['en', 'pt-BR'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'en';

/** A BCP 47 tag or a POSIX locale (`pt_BR.UTF-8`, `pt-PT`, `en_US`, `C`) to a language we have, if any. */
export function langOf(tag: string | undefined): Lang | undefined {
  if (!tag) return undefined;
  const base = tag.split(/[.@]/)[0]!.replace(/_/g, '-').toLowerCase();
  if (base === 'c' || base === 'posix') return 'en';
  // Portugal's and Africa's Portuguese read the Brazilian catalog better than English.
  if (base === 'pt' || base.startsWith('pt-')) return 'pt-BR';
  if (base === 'en' || base.startsWith('en-')) return 'en';
  return undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The locale's language, as gettext picks the messages' locale. */
export function langFromLocale(env: Env = process.env): Lang | undefined {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '');
  if (locale === undefined) return undefined;
  const own = langOf(locale);
  // gettext ignores LANGUAGE when the locale is C: a `LANG=C` cron job reads English.
  if (own === 'en' && /^(C|POSIX)([.@]|$)/.test(locale)) return 'en';
  const listed = (env.LANGUAGE ?? '')
    .split(':')
    .map(langOf)
    .find((lang) => lang !== undefined);
  return listed ?? own;
}

/** The language of a run or command: the option's value when given, else the locale's, else English. */
export function chooseLang(given: string | undefined, env: Env = process.env): Lang {
  return langOf(given) ?? langFromLocale(env) ?? DEFAULT_LANG;
}

/** A browser's `Accept-Language` (or `navigator.languages`) to the first language we have. */
export function langFromAcceptLanguage(header: string | readonly string[] | undefined): Lang {
  const tags =
    typeof header === 'string' ? header.split(',').map((part) => part.split(';')[0]!.trim()) : (header ?? []);
  for (const tag of tags) {
    const lang = langOf(tag);
    if (lang) return lang;
  }
  return DEFAULT_LANG;
}
