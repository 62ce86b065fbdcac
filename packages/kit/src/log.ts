import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stderr; `LOG_LEVEL` (validated by the caller's config) sets the level. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino(
    { level, base: { service }, redact: { paths: ['*.authorization', '*.secret', '*.apiKey', '*.token'], censor: '[redacted]' } },
    pino.destination(2),
  );
}
