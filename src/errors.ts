import { DEFAULT_LANG, type Lang } from './i18n/lang.js';
import { render, type Message } from './i18n/message.js';

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
 * An error the tool expects and can explain: a stable `code` for tests and scripts, a message
 * that says what to do next, and the exit code the CLI should end with. Where an error is
 * about one place in an input file, `line` names it. Its words are a catalog `Message`, put in
 * the reader's language where it is shown (`textIn`); `message` is the English, for logs and
 * the library's callers.
 */
export class FluenceError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly line: number | undefined;
  /** The catalog's message, when the error was made from one (a plain string stays as it is in every language). */
  readonly words: Message | undefined;

  constructor(
    code: ErrorCode,
    message: string | Message,
    options: { exitCode?: number; line?: number; cause?: unknown } = {},
  ) {
    super(
      typeof message === 'string' ? message : render(DEFAULT_LANG, message),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'FluenceError';
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
    this.line = options.line;
    this.words = typeof message === 'string' ? undefined : message;
  }

  /** The message in `lang`. */
  textIn(lang: Lang): string {
    return this.words ? render(lang, this.words) : this.message;
  }
}

export const isFluenceError = (error: unknown): error is FluenceError => error instanceof FluenceError;
