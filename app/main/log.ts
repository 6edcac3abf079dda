/**
 * Structured logs, one JSON line per event (pino). Tests and CLIs pass a
 * level or a destination; nothing writes to console directly.
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.VIGIL_LOG_LEVEL ?? 'info';
  return pino({ level, name: options.name ?? 'vigil', base: { pid: process.pid } }, options.destination ?? pino.destination(2));
}

/** A logger that drops everything: for tests that assert on behaviour, not logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
