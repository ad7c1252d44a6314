import { DEFAULT_LANG, type Lang } from './i18n/lang.js';
import type { MessageKey } from './i18n/catalog.js';
import { message, render, type Message, type MessageParams } from './i18n/message.js';

/**
 * Every code an error of this tool can carry, the closed list (csv-parse's `CsvErrorCode`): the
 * table of codes in docs/errors.md is checked against it, and `FluenceError` takes no other. A new code
 * is one line here (kept in order) and one row in docs/errors.md's table.
 */
export const ERROR_CODES = [
  'AMBIGUOUS_COLUMN',
  'API_ERROR',
  'API_UNREACHABLE',
  'BAD_ARGUMENTS',
  'BAD_KEY_FORMAT',
  'BAD_OPTION',
  'CACHE_REDIS_MISMATCH',
  'CHECKPOINT_CORRUPT',
  'CHECKPOINT_FAILED',
  'CHECKPOINT_FULL',
  'CHECKPOINT_LOCKED',
  'CHECKPOINT_MISMATCH',
  'CHECKPOINT_OPEN',
  'CHECKPOINT_VERSION',
  'CONFIG_INVALID',
  'CONFIG_NOT_FOUND',
  'DOUBTFUL_COLUMN',
  'FATAL',
  'FORBIDDEN',
  'INPUT_CELL_TOO_LARGE',
  'INPUT_CHANGED',
  'INPUT_EMPTY',
  'INPUT_ENCRYPTED',
  'INPUT_HEADER_TOO_LARGE',
  'INPUT_IS_DIRECTORY',
  'INPUT_IS_ODS',
  'INPUT_IS_XLS',
  'INPUT_IS_XLSB',
  'INPUT_IS_ZIP',
  'INPUT_MALFORMED',
  'INPUT_NOT_A_FILE',
  'INPUT_NOT_FOUND',
  'INPUT_NOT_UTF8',
  'INPUT_NOT_XLSX',
  'INPUT_ROW_TOO_LARGE',
  'INPUT_TOO_LARGE',
  'INPUT_UNREADABLE',
  'INSECURE_BASE_URL',
  'INTERNAL',
  'INTERRUPTED',
  'INVALID_KEY',
  'MAP_CONFLICT',
  'MISSING_COLUMN',
  'MISSING_KEY',
  'OUTPUT_LOCKED',
  'OUTPUT_LOCK_FAILED',
  'OUTPUT_WRITE_FAILED',
  'PATHS_OVERLAP',
  'PATH_IS_DIRECTORY',
  'PATH_NOT_WRITABLE',
  'PLAN_NO_CRM_ACCESS',
  'REDIS_AUTH',
  'REDIS_LOST',
  'REDIS_UNREACHABLE',
  'REPORT_WRITE_FAILED',
  'RUN_FINISHED',
  'RUN_NOT_FOUND',
  'RUN_RUNNING',
  'SANDBOX_BAD_KEYS',
  'SANDBOX_LISTEN',
  'SANDBOX_PORT_IN_USE',
  'SERVE_FORBIDDEN',
  'SERVE_LISTEN',
  'SERVE_NOT_FOUND',
  'SHEET_NOT_FOUND',
  'SUMMARY_WRITE_FAILED',
  'TLS_UNTRUSTED',
  'UNEXPECTED_REDIRECT',
  'UPLOAD_INVALID',
  'UPLOAD_NOT_FOUND',
  'UPLOAD_TOO_LARGE',
  'WRONG_ADDRESS',
  'XLSX_FORMULA_NOT_COMPUTED',
  'XLSX_MALFORMED',
  'XLSX_TOO_LARGE',
  'XLSX_TOO_MANY_ROWS',
  'XLSX_WRITER_CHANGED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The exit codes, by what they mean (listed in --help and docs/errors.md); shared by every part
 * that ends a run or says how it ended, so no file writes them as bare numbers.
 */
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

/**
 * Where a person reads an error, for the part of it that says what to do: the terminal (`--map`
 * lines, flags) or the local web page (choose a column in its lists).
 */
export type ErrorPlace = 'cli' | 'page';

/** What to do about an error, said for each place it is read (`errors.<key>.cli` / `.page`). */
export type ErrorAdvice = Readonly<Record<ErrorPlace, Message>>;

/** A sentence said after an error's words and advice (a hint, where in a workbook): the same everywhere, or per place. */
export type ErrorMore = Message | ErrorAdvice;

/** A key that has what to do in the terminal (`<key>.cli`) and on the page (`<key>.page`). */
export type AdvisedKey = { [K in MessageKey]: K extends `${infer Base}.cli` ? Base : never }[MessageKey];

/** The advice `<key>.cli` and `<key>.page`, with the same values. */
export const adviceOf = (key: AdvisedKey, params?: MessageParams): ErrorAdvice => ({
  cli: message(`${key}.cli` as MessageKey, params),
  page: message(`${key}.page` as MessageKey, params),
});

/**
 * An error the tool expects and can explain: a stable `code` for tests and scripts, a message
 * that says what to do next, and the exit code the CLI should end with. Where an error is
 * about one place in an input file, `line` names it. Its words are a catalog `Message`, put in
 * the reader's language where it is shown (`textIn`); `message` is the English, for logs and
 * the library's callers. Where what to do depends on where it is read, `words` hold the facts
 * and `advice` what to do in the terminal and on the page; `message` is the terminal's.
 */
export class FluenceError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly line: number | undefined;
  /** The catalog's message, when the error was made from one (a plain string stays as it is in every language). */
  readonly words: Message | undefined;
  /** What to do, per place, when it differs between the terminal and the page (said after `words`). */
  readonly advice: ErrorAdvice | undefined;
  /** Sentences said last (`withMore`). */
  readonly more: readonly ErrorMore[];

  constructor(
    code: ErrorCode,
    message: string | Message,
    options: {
      exitCode?: number;
      line?: number;
      cause?: unknown;
      advice?: ErrorAdvice;
      more?: readonly ErrorMore[];
    } = {},
  ) {
    super(
      typeof message === 'string' ? message : said(DEFAULT_LANG, 'cli', message, options.advice, options.more ?? []),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'FluenceError';
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.fatal;
    this.line = options.line;
    this.words = typeof message === 'string' ? undefined : message;
    this.advice = options.advice;
    this.more = options.more ?? [];
  }

  /** The message in `lang`, with what to do where it is read (`cli`: the terminal, `page`: the web page). */
  textIn(lang: Lang, where: ErrorPlace = 'cli'): string {
    return this.words ? said(lang, where, this.words, this.advice, this.more) : this.message;
  }
}

function said(
  lang: Lang,
  where: ErrorPlace,
  words: Message,
  advice: ErrorAdvice | undefined,
  more: readonly ErrorMore[],
): string {
  let text = advice ? `${render(lang, words)} ${render(lang, advice[where])}` : render(lang, words);
  for (const sentence of more) {
    // A sentence more starts a sentence: the one before it ends with a stop.
    text = `${text}${/[.;:!?]$/.test(text) ? '' : '.'} ${render(lang, 'key' in sentence ? sentence : sentence[where])}`;
  }
  return text;
}

/** `error` with a sentence more (a hint, where in a workbook): the same code, line and exit code, `error` its cause. */
export function withMore(error: FluenceError, more: ErrorMore): FluenceError {
  const options = {
    exitCode: error.exitCode,
    ...(error.line === undefined ? {} : { line: error.line }),
    cause: error,
  };
  if (!error.words) {
    const english = render(DEFAULT_LANG, 'key' in more ? more : more.cli);
    return new FluenceError(error.code, `${error.message.replace(/([^.;:!?])$/, '$1.')} ${english}`, options);
  }
  return new FluenceError(error.code, error.words, {
    ...options,
    ...(error.advice ? { advice: error.advice } : {}),
    more: [...error.more, more],
  });
}

export const isFluenceError = (error: unknown): error is FluenceError => error instanceof FluenceError;
