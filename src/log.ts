import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stderr (stdout may carry data). The key header is redacted wherever a logger
 * might meet it; we also never hand a logger a request, its options or the config.
 */
export function createLogger(level: string = 'info'): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['apiKey', '*.apiKey', 'headers["x-api-key"]', '*.headers["x-api-key"]', 'options', '*.options'], censor: '[redacted]' },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
