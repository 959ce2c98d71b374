// The only code that writes text/event-stream bytes: frame formatting and the response writer.
import { once } from 'node:events';
import type { Response } from 'express';

export interface SseFrame {
  event?: string;
  id?: string | number;
  data: unknown;
}

export function formatSseFrame({ event, id, data }: SseFrame): string {
  if ([event, id].some((field) => field !== undefined && /[\r\n]/.test(String(field)))) {
    throw new TypeError('SSE event and id must be one line');
  }
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  const head = (event ? `event: ${event}\n` : '') + (id !== undefined ? `id: ${id}\n` : '');
  return `${head}${text
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('')}\n`;
}

export const SSE_KEEPALIVE = ': keepalive\n\n';

export interface SseWriter {
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
  send(frame: SseFrame): Promise<void>;
  comment(text: string): Promise<void>;
  end(): void;
}

export interface OpenSseOptions {
  keepaliveMs: number;
  headers?: Record<string, string>;
}

export function openSse(res: Response, { keepaliveMs, headers = {} }: OpenSseOptions): SseWriter {
  const gone = new AbortController();
  const keepalive = setInterval(() => void write(SSE_KEEPALIVE), keepaliveMs);
  // res, not req: req's 'close' fires as soon as the request body has been read.
  res.on('close', () => {
    clearInterval(keepalive);
    gone.abort();
  });
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
    ...headers,
  });
  res.flushHeaders();
  // Small frames must leave at once: no Nagle delay between deltas.
  res.socket?.setNoDelay(true);

  async function write(bytes: string): Promise<void> {
    if (gone.signal.aborted || res.writableEnded) return;
    keepalive.refresh(); // keepalive counts from the last write
    if (!res.write(bytes)) await once(res, 'drain', { signal: gone.signal }).catch(() => {}); // rejects only on abort
  }
  return {
    signal: gone.signal,
    send: (frame) => write(formatSseFrame(frame)),
    comment: (text) => write(`: ${text}\n\n`),
    end: () => {
      clearInterval(keepalive);
      if (!res.writableEnded) res.end();
    },
  };
}
