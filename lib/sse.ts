// The one module that writes text/event-stream bytes, for the gateway's own streams (lib/http/sse.ts) and for the
// upstream streams the proxy relays (lib/proxy/upstream-response.ts): frame formatting and backpressured writes.
import type { ServerResponse } from 'node:http';
import { SpillFile } from './spill-file.js';

export interface SseFrame {
  event?: string;
  id?: string | number;
  data: unknown;
}

export function formatSseFrame({ event, id, data }: SseFrame): string {
  let head = '';
  if (event !== undefined || id !== undefined) {
    if ([event, id].some((field) => field !== undefined && /[\r\n]/.test(String(field)))) {
      throw new TypeError('SSE event and id must be one line');
    }
    head = (event ? `event: ${event}\n` : '') + (id !== undefined ? `id: ${id}\n` : '');
  }
  // JSON text never holds a line break (JSON.stringify escapes them in strings): one data line, no splitting.
  if (typeof data !== 'string') return `${head}data: ${JSON.stringify(data)}\n\n`;
  return `${head}${data
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

/** Bounds on what a stream holds for a client that does not read (`streams` in the config). */
export interface StreamLimits {
  /** Bytes a response may hold for its client before the connection is closed. */
  maxBufferedBytes: number;
  /** How long bytes may wait without the client taking them all ('drain') before the connection is closed. */
  stallTimeoutMs: number;
  /** Where a backlog past MEMORY_BACKLOG_BYTES waits (the data dir); without it the whole backlog stays in memory. */
  spillDir?: string;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { maxBufferedBytes: 8 * 1024 * 1024, stallTimeoutMs: 60_000 };

/** The limits a config's `streams` section sets, the defaults for what it leaves out; backlogs spill to `spillDir`. */
export function streamLimits(
  configured: { maxBufferedBytes?: number; stallTimeoutSeconds?: number } | undefined,
  spillDir?: string,
): StreamLimits {
  return {
    maxBufferedBytes: configured?.maxBufferedBytes ?? DEFAULT_STREAM_LIMITS.maxBufferedBytes,
    stallTimeoutMs:
      configured?.stallTimeoutSeconds !== undefined
        ? configured.stallTimeoutSeconds * 1000
        : DEFAULT_STREAM_LIMITS.stallTimeoutMs,
    ...(spillDir ? { spillDir } : {}),
  };
}

/** Why a stream was cut: it held too much for its client, or its client took nothing for too long. */
export type StreamCut = 'buffer_limit' | 'stalled_reader';

/**
 * Bounds the backlog of a response whose client may stop reading. The returned function takes each write's result:
 * once a write finds the response full, the client has `stallTimeoutMs` to take everything ('drain'), and the
 * backlog (`held`: by default what the response holds) may never pass `maxBufferedBytes`; otherwise `onCut` says why
 * and the connection is destroyed (the client sees a cut stream, never a silently shortened one).
 */
export function boundBacklog(
  res: ServerResponse,
  limits: StreamLimits,
  onCut: (why: StreamCut) => void,
  held: () => number = () => res.writableLength,
): (written: boolean) => void {
  let timer: NodeJS.Timeout | null = null;
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const cut = (why: StreamCut) => {
    clear();
    if (res.destroyed) return;
    onCut(why);
    res.destroy();
  };
  // While the response is corked (a burst of one tick), nothing was offered to the socket yet: the backlog is
  // measured once the burst has gone out, not before (a client that reads would otherwise be cut for one burst).
  let measuring = false;
  const measure = () => {
    measuring = false;
    if (!res.destroyed && held() > limits.maxBufferedBytes) cut('buffer_limit');
  };
  res.on('drain', clear);
  res.once('close', clear);
  return (written) => {
    if (written || res.destroyed) return;
    timer ??= setTimeout(() => cut('stalled_reader'), limits.stallTimeoutMs);
    if (!res.writableCorked) return measure();
    if (measuring) return;
    measuring = true;
    process.nextTick(measure);
  };
}

/** Bytes of a stream's backlog held in memory (in the response); past them it waits in a temp file. */
export const MEMORY_BACKLOG_BYTES = 1024 * 1024;
/** How much of a file-held backlog goes back into the response at a time, as the client takes it. */
const REFILL_BYTES = 64 * 1024;

export interface BacklogWriter {
  /** Sends `bytes` after everything before them; never waits. */
  write(bytes: string): void;
  /** Ends the response once the backlog is out. */
  end(): void;
}

/**
 * Writes a stream whose source does not wait for its client (an agent turn is pushed, not pulled). What the client
 * has not taken yet waits in the response up to MEMORY_BACKLOG_BYTES, beyond that in a temp file under
 * `limits.spillDir`, and goes out as the client takes it ('drain'). Once the client falls behind it has
 * `stallTimeoutMs` to take everything, and the backlog may never pass `maxBufferedBytes`; otherwise `onCut` says why
 * and the connection is destroyed (the client sees a cut stream, never a silently shortened one).
 */
export function backlogWriter(
  res: ServerResponse,
  limits: StreamLimits,
  onCut: (why: StreamCut) => void,
): BacklogWriter {
  let file: SpillFile | null = null;
  /** Bytes of the file already handed to the response. */
  let sent = 0;
  let ending = false;
  let noFile = false;
  const inFile = () => (file ? file.size - sent : 0);
  const bounded = boundBacklog(res, limits, onCut, () => res.writableLength + inFile());
  /** The next `length` bytes of the file, or null (the stream destroyed) when they cannot be read back. */
  const readBack = (length: number): Buffer | null => {
    let chunk: Buffer | null = null;
    try {
      chunk = file!.read(sent, length);
    } catch {
      // handled below
    }
    // A backlog that cannot be read back cannot go out in order: the client sees a cut stream.
    if (!chunk?.length) {
      res.destroy();
      return null;
    }
    sent += chunk.length;
    return chunk;
  };
  const refill = () => {
    while (file && inFile() > 0 && !res.destroyed) {
      const chunk = readBack(REFILL_BYTES);
      if (!chunk) return;
      if (inFile() === 0) {
        file.clear();
        sent = 0;
      }
      if (!writeSse(res, chunk)) return bounded(false);
    }
    if (ending && !res.writableEnded && !res.destroyed) res.end();
  };
  res.on('drain', refill);
  res.once('close', () => {
    file?.close();
    file = null;
  });
  return {
    write(bytes) {
      if (res.destroyed || res.writableEnded || ending) return;
      if (inFile() === 0 && res.writableLength < MEMORY_BACKLOG_BYTES) {
        bounded(writeSse(res, bytes));
        return;
      }
      if (limits.spillDir && !noFile) file ??= SpillFile.create(limits.spillDir, res);
      if (!file?.append(Buffer.from(bytes))) {
        // No file to be had, or the disk is full: the backlog stays in memory from here, in order.
        noFile = true;
        if (file) {
          const rest = inFile() > 0 ? readBack(inFile()) : null;
          file.close();
          file = null;
          if (res.destroyed) return; // what the file held could not be read back
          if (rest) writeSse(res, rest);
        }
        bounded(writeSse(res, bytes));
        return;
      }
      bounded(false);
    },
    end() {
      if (inFile() > 0) ending = true;
      else if (!res.writableEnded) res.end();
    },
  };
}
