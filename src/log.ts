import { pino, type Logger } from 'pino';

export type { Logger };

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** One readable line per log record: `12:03:04 WARN message key=value ...`. */
function prettyLine(line: string): string {
  const { level, time, msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
  const clock = new Date(Number(time)).toISOString().slice(11, 19);
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return `${clock} ${LEVELS[Number(level)] ?? level} ${String(msg ?? '')}${fields.length ? `  ${fields.join(' ')}` : ''}\n`;
}

/**
 * Logs on stderr (stdout may carry data): JSON lines for machines (cron, Docker, log
 * collectors), or readable lines on a terminal. The key header is redacted wherever a logger
 * might meet it; we also never hand a logger a request, its options or the config.
 */
export function createLogger(level: string = 'info', format: 'json' | 'pretty' = 'json'): Logger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: ['apiKey', '*.apiKey', 'headers["x-api-key"]', '*.headers["x-api-key"]', 'options', '*.options'],
      censor: '[redacted]',
    },
  };
  if (format === 'json') return pino(options, pino.destination({ fd: 2, sync: true }));
  return pino(options, { write: (line: string) => void process.stderr.write(prettyLine(line)) });
}
