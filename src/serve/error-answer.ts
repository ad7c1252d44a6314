import type { FastifyRequest } from 'fastify';
import type { ErrorCode, FluenceError } from '../errors.js';
import { LANGS, langFromAcceptLanguage, type Lang } from '../i18n/lang.js';
import type { ApiErrorBody } from './page-api.js';

/** The HTTP status of a refusal, by its code; any other `FluenceError` is the CLI's refusal of the file or options: 422. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  SERVE_FORBIDDEN: 403,
  SERVE_NOT_FOUND: 404,
  UPLOAD_INVALID: 400,
  UPLOAD_NOT_FOUND: 404,
  RUN_NOT_FOUND: 404,
  RUN_RUNNING: 409,
  RUN_FINISHED: 409,
  UPLOAD_TOO_LARGE: 413,
};

export const statusOf = (error: FluenceError): number => STATUS[error.code] ?? 422;

/** The page's language: it sends it as `Accept-Language` on every request (the browser's own otherwise). */
export const requestLang = (request: FastifyRequest): Lang =>
  langFromAcceptLanguage(request.headers['accept-language']);

/**
 * An error's words for the page: in its language, with the page's advice ("choose the right
 * column in the list"), never the terminal's `--map` line.
 */
export const pageText = (error: FluenceError, lang: Lang): string => error.textIn(lang, 'page');

/**
 * A refusal's answer: its words in `lang`, and in every language (`texts`, for the page's
 * switch); `rename` puts the name the person dropped in place of the stored file's.
 */
export function errorAnswer(
  error: FluenceError,
  lang: Lang,
  rename: (text: string) => string = (text) => text,
): { status: number; body: ApiErrorBody } {
  const texts = Object.fromEntries(LANGS.map((each) => [each, rename(pageText(error, each))]));
  return {
    status: statusOf(error),
    body: { error: { code: error.code, message: rename(pageText(error, lang)), texts } },
  };
}
