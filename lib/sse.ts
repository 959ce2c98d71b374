// The one module that writes text/event-stream bytes, for the gateway's own streams (lib/http/sse.ts) and for the
// upstream streams the proxy relays (lib/proxy/upstream-response.ts): frame formatting and backpressured writes.
import type { ServerResponse } from 'node:http';

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

/**
 * Writes stream bytes; returns false when the socket buffer is full (the caller waits for 'drain' before the next
 * write, so a client that stops reading holds at most one chunk in the gateway).
 */
export function writeSse(res: ServerResponse, bytes: string | Buffer): boolean {
  return res.write(bytes);
}

/**
 * The bytes that end a relayed stream whose source failed after its head went out: one `data:` frame with the error
 * envelope (the OpenAI SDKs raise it), preceded by a blank line when the stream stopped mid-frame. Nothing when
 * `[DONE]` already went out: the stream was complete.
 */
export function sseErrorTail(tail: string, envelope: unknown): string {
  if (tail.includes('[DONE]')) return '';
  return `${/\n\n$|^$/.test(tail) ? '' : '\n\n'}${formatSseFrame({ data: envelope })}`;
}
