// A pino logger that keeps each raw line, before any JSON parser could fold repeated keys (one `msg` per line).
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';

export function rawLogger(level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(line);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
