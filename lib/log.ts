// The gateway's structured logger (pino on stderr). Modules take a child logger, never console.
import { createRequire } from 'node:module';
import { type Logger, destination, pino } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

/**
 * JSON lines for machines (one object, one `msg`, per line); readable lines (pino-pretty, in this process: no worker
 * thread) for people. Pretty by default only when stderr is a terminal.
 */
export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  format: LogFormat = process.stderr.isTTY ? 'pretty' : 'json',
): Logger {
  const options = { level, base: { name: 'agent-gateway' } };
  if (format === 'pretty') {
    // Loaded only for the pretty format: a JSON-logging gateway never holds pino-pretty (and its dependencies).
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
    return pino(options, pretty({ destination: 2, sync: false, colorize: process.stderr.isTTY }));
  }
  return pino(options, destination({ fd: 2, sync: false }));
}

/** A logger that drops everything; for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
