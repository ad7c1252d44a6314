import { DEFAULT_LANG, t, type Lang } from '../i18n/index.js';

/** Exit codes, as listed in --help and the README (the catalog's `cli.exitCodes`). */
export const exitCodesHelp = (lang: Lang = DEFAULT_LANG): string => t(lang, 'cli.exitCodes');

/** The English list, as the README shows it. */
export const EXIT_CODES_HELP = exitCodesHelp();

/** The exit codes above by what they mean, for code that exits (the help's numbers are these). */
export const EXIT = {
  /** Every row has a final answer. */
  done: 0,
  /** Bad arguments, unreadable input, invalid key, plan without CRM access. */
  fatal: 1,
  /** Some rows left failed or pending: the same command again resumes. */
  rerun: 2,
  /** Stopped for credits, the budget or the monthly quota. */
  stopped: 3,
  /** A second signal: requests in flight abandoned. */
  quitNow: 130,
} as const;
