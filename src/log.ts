import { pino, type Logger } from 'pino';
import { DEFAULT_LANG, render, type Lang, type MessageKey, type Message } from './i18n/index.js';

export type { Logger };

/** The field a record's catalog message rides in, from the call to the readable line; JSON lines never carry it. */
const SAID = 'i18n';

/**
 * A log call's arguments for a catalog message: the English text as `msg` (put in the run's
 * language when the line is written; its fields are the same whatever the language), the message
 * itself for the line, which shows it in the run's language: `logger.warn(...said('cli.serve.noKey'))`.
 */
export function said(
  key: MessageKey,
  params?: Message['params'],
  fields: Record<string, unknown> = {},
): [Record<string, unknown>, string] {
  const words: Message = params ? { key, params } : { key };
  return [{ ...fields, [SAID]: words }, render(DEFAULT_LANG, words)];
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
 * might meet it; we also never hand a logger a request, its options or the config. What a person
 * reads (a readable line, a JSON line's `msg`) is in `lang`; a JSON line's fields, and `msgKey`
 * (the catalog's key), are the same in every language.
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
    // A catalog message's key rides along as `msgKey`: the same in every language, for alerts and greps.
    const formatters = {
      log: ({ [SAID]: words, ...fields }: Record<string, unknown>) =>
        words ? { ...fields, msgKey: (words as Message).key } : fields,
    };
    // `msg` is for people (a cron mail, `docker logs`): in the run's language, as a readable line.
    const hooks = {
      logMethod(this: Logger, args: Parameters<pino.LogFn>, method: pino.LogFn) {
        const [fields] = args as unknown as [Record<PropertyKey, unknown> | undefined];
        if (lang !== DEFAULT_LANG && typeof fields === 'object' && fields !== null && SAID in fields)
          (args as unknown[])[1] = render(lang, fields[SAID] as Message);
        return method.apply(this, args);
      },
    };
    return pino({ ...options, formatters, hooks }, pino.destination({ fd: 2, sync: true }));
  }
  return pino(options, { write: (line: string) => void process.stderr.write(prettyLine(line, lang)) });
}
