// The gateway's structured logger (pino, JSON lines on stderr). Modules take a child logger, never console.
import { type Logger, destination, pino } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { name: 'agent-gateway' } }, destination({ fd: 2, sync: false }));
}

/** A logger that drops everything; for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
