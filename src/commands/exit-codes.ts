import { DEFAULT_LANG, t, type Lang } from '../i18n/index.js';

/** Exit codes, as listed in --help and the README (the catalog's `cli.exitCodes`). */
export const exitCodesHelp = (lang: Lang = DEFAULT_LANG): string => t(lang, 'cli.exitCodes');

/** The English list, as the README shows it. */
export const EXIT_CODES_HELP = exitCodesHelp();

/** The exit codes by what they mean (their one home is `errors.ts`, which every part may import). */
export { EXIT } from '../errors.js';
