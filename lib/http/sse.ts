// The SSE writer of the gateway's own streams: headers, keepalive, backpressure. Frames and bytes: lib/sse.ts.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { formatSseFrame, SSE_KEEPALIVE, type SseFrame, writeSse } from '../sse.js';
import { openedContext } from './request-context.js';

export { formatSseFrame, SSE_KEEPALIVE, type SseFrame } from '../sse.js';

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

export function openSse(res: ServerResponse, { keepaliveMs, headers = {} }: OpenSseOptions): SseWriter {
  const gone = new AbortController();
  const keepalive = setInterval(() => void write(SSE_KEEPALIVE), keepaliveMs);
  // res, not req: req's 'close' fires as soon as the request body has been read.
  res.on('close', () => {
    clearInterval(keepalive);
    gone.abort();
  });
  res.statusCode = 200;
  const head: Record<string, string> = {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
    ...headers,
  };
  for (const name in head) res.setHeader(name, head[name]);
  res.flushHeaders();
  openedContext(res)?.markStream('agent'); // counted as open until the response closes
  // Small frames must leave at once: no Nagle delay between deltas.
  res.socket?.setNoDelay(true);

  async function write(bytes: string): Promise<void> {
    if (gone.signal.aborted || res.writableEnded) return;
    keepalive.refresh(); // keepalive counts from the last write
    if (!writeSse(res, bytes)) await once(res, 'drain', { signal: gone.signal }).catch(() => {}); // rejects only on abort
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
