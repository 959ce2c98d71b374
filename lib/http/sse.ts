// The SSE writer of the gateway's own streams: headers, keepalive, a bounded backlog. Frames and bytes: lib/sse.ts.
import type { ServerResponse } from 'node:http';
import {
  backlogWriter,
  DEFAULT_STREAM_LIMITS,
  formatSseFrame,
  SSE_KEEPALIVE,
  type SseFrame,
  type StreamLimits,
} from '../sse.js';
import { openedContext } from './request-context.js';

export { formatSseFrame, SSE_KEEPALIVE, type SseFrame } from '../sse.js';

export interface SseWriter {
  /** Aborts when the client goes away. */
  readonly signal: AbortSignal;
  /** Queues a frame; never waits (see openSse). Frames written in one tick leave in one write. */
  send(frame: SseFrame): void;
  comment(text: string): void;
  end(): void;
}

export interface OpenSseOptions {
  keepaliveMs: number;
  headers?: Record<string, string>;
  /** Default: the request context's (the gateway's `streams` config), else the built-in bounds. */
  limits?: StreamLimits;
}

/**
 * `send` never waits for the client: an agent turn is pushed, not pulled, so waiting would only move the backlog
 * into the turn's event queue, unbounded. The backlog waits for the client instead (its first MB in the response,
 * the rest in a temp file: see backlogWriter), bounded: past `maxBufferedBytes`, or when the client has taken nothing
 * for `stallTimeoutMs`, the connection is closed (a run's events replay from Last-Event-ID; a chat turn ends as when
 * its client leaves).
 */
export function openSse(res: ServerResponse, { keepaliveMs, headers = {}, limits }: OpenSseOptions): SseWriter {
  const gone = new AbortController();
  const keepalive = setInterval(() => write(SSE_KEEPALIVE), keepaliveMs);
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
  // The head leaves with the frames written in this tick (one write, one wake-up of the client), or alone at its end.
  process.nextTick(() => {
    if (!res.headersSent && !res.writableEnded && !res.destroyed) res.flushHeaders();
  });
  const ctx = openedContext(res);
  ctx?.markStream('agent'); // counted as open until the response closes
  const backlog = backlogWriter(res, limits ?? ctx?.streamLimits ?? DEFAULT_STREAM_LIMITS, (why) => {
    if (ctx) ctx.reason = why; // the access log says why the stream was cut
  });
  // Small frames must leave at once: no Nagle delay between deltas.
  res.socket?.setNoDelay(true);

  // A turn's events come in bursts (every update in one read of the agent's output): corked until the end of the
  // tick, a burst leaves in one write, not one system call per delta.
  let corked = false;
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  function write(bytes: string): void {
    if (gone.signal.aborted || res.writableEnded) return;
    keepalive.refresh(); // keepalive counts from the last write
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(uncork);
    }
    backlog.write(bytes);
  }
  return {
    signal: gone.signal,
    send: (frame) => write(formatSseFrame(frame)),
    comment: (text) => write(`: ${text}\n\n`),
    end: () => {
      clearInterval(keepalive);
      backlog.end();
    },
  };
}
