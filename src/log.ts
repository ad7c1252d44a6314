import { pino, type Logger } from 'pino';
import { DEFAULT_LANG, render, type Lang, type MessageKey, type Message } from './i18n/index.js';

export type { Logger };

/** The field a record's catalog message rides in, from the call to the readable line; JSON lines never carry it. */
const SAID = 'i18n';

/**
 * A log call's arguments for a catalog message: the English text as `msg` (JSON lines keep it,
 * and their fields, whatever the language), the message itself for the readable line, which
 * shows it in the run's language: `logger.warn(...said('cli.serve.noKey'))`.
 */
export function said(
  key: MessageKey,
  params?: Message['params'],
  fields: Record<string, unknown> = {},
): [Record<string, unknown>, string] {
  const words: Message = params ? { key, params } : { key };
  return [{ ...fields, [SAID]: words }, render(DEFAULT_LANG, words)];
}

/** As `said`, where the English line says more than the catalog can (an API's own words): `english` is the `msg`. */
export function saidOr(
  english: string,
  key: MessageKey,
  params?: Message['params'],
  fields: Record<string, unknown> = {},
): [Record<string, unknown>, string] {
  return [said(key, params, fields)[0], english];
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** One readable line per log record: `12:03:04 WARN message key=value ...`. */
function prettyLine(line: string, lang: Lang): string {
  const { level, time, msg, [SAID]: words, ...rest } = JSON.parse(line) as Record<string, unknown>;
  const clock = new Date(Number(time)).toISOString().slice(11, 19);
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return `${clock} ${LEVELS[Number(level)] ?? level} ${words && lang !== DEFAULT_LANG ? render(lang, words as Message) : String(msg ?? '')}${fields.length ? `  ${fields.join(' ')}` : ''}\n`;
}

/**
 * Logs on stderr (stdout may carry data): JSON lines for machines (cron, Docker, log
 * collectors), or readable lines on a terminal. The key header is redacted wherever a logger
 * might meet it; we also never hand a logger a request, its options or the config. The readable
 * lines are in `lang`; JSON lines are English, as machines read them.
 */
export function createLogger(
  level: string = 'info',
  format: 'json' | 'pretty' = 'json',
  lang: Lang = DEFAULT_LANG,
): Logger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: ['apiKey', '*.apiKey', 'headers["x-api-key"]', '*.headers["x-api-key"]', 'options', '*.options'],
      censor: '[redacted]',
    },
  };
  if (format === 'json') {
    const formatters = { log: ({ [SAID]: _, ...fields }: Record<string, unknown>) => fields };
    return pino({ ...options, formatters }, pino.destination({ fd: 2, sync: true }));
  }
  return pino(options, { write: (line: string) => void process.stderr.write(prettyLine(line, lang)) });
}
