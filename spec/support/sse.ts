// Reads text/event-stream bytes in layers, as openai-node's src/core/streaming.ts and
// src/internal/decoders/line.ts do: bytes → lines (LineDecoder), lines → items (SseDecoder),
// then helpers for streams, fetch responses and JSON (readSse, collectSse, sseJson).
// Used by tests and benchmarks; it follows the WHATWG event-stream parsing rules except where noted.

/** A dispatched event. `data` joins the frame's `data:` lines with `\n`. */
export interface SseEvent {
  event?: string;
  id?: string;
  retry?: number;
  data: string;
}

/** A comment line (`: keepalive`), kept as its own item so tests can assert keepalives. */
export interface SseComment {
  comment: string;
}

export type SseItem = SseEvent | SseComment;

export function isSseComment(item: SseItem): item is SseComment {
  return 'comment' in item;
}

/**
 * Layer 1: bytes → lines. Accepts `\n`, `\r\n` and `\r`, a `\r\n` split across chunks, and UTF-8
 * characters split across chunks (TextDecoder in stream mode). A leading BOM is dropped.
 */
export class LineDecoder {
  readonly #text = new TextDecoder('utf-8');
  #buffer = '';
  /** The last chunk ended in `\r`: a `\n` at the start of the next one belongs to it. */
  #skipLeadingLf = false;

  /** Appends a chunk and returns every line it completes, without their line ends. */
  decode(chunk: Uint8Array | string): string[] {
    return this.#split(typeof chunk === 'string' ? chunk : this.#text.decode(chunk, { stream: true }));
  }

  /** Ends the input: returns the last line if it had no line end. */
  flush(): string[] {
    const lines = this.#split(this.#text.decode());
    if (this.#buffer !== '') lines.push(this.#buffer);
    this.#buffer = '';
    this.#skipLeadingLf = false;
    return lines;
  }

  #split(text: string): string[] {
    if (text === '') return [];
    if (this.#skipLeadingLf) {
      this.#skipLeadingLf = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    this.#buffer += text;
    const lines: string[] = [];
    const newline = /\r\n|\r|\n/g;
    let start = 0;
    for (let match = newline.exec(this.#buffer); match; match = newline.exec(this.#buffer)) {
      lines.push(this.#buffer.slice(start, match.index));
      start = newline.lastIndex;
      if (match[0] === '\r' && start === this.#buffer.length) this.#skipLeadingLf = true;
    }
    this.#buffer = this.#buffer.slice(start);
    return lines;
  }
}

/**
 * Layer 2: lines → items. A blank line dispatches the frame; `data:` lines join with `\n`; comment
 * lines become `{ comment }` items at once. Unlike WHATWG (which drops it), a frame left open at the
 * end of input is dispatched by {@link flush}, so a missing trailing blank line shows up in tests.
 */
export class SseDecoder {
  #data: string[] = [];
  #event: string | undefined;
  #id: string | undefined;
  #retry: number | undefined;
  #open = false;

  /** Feeds one line (without its line end); returns the item it completes, if any. */
  decode(line: string): SseItem | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return { comment: stripOneSpace(line.slice(1)) };
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : stripOneSpace(line.slice(colon + 1));
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        break;
      default:
        return undefined; // unknown fields are ignored
    }
    this.#open = true;
    return undefined;
  }

  /** Ends the input: dispatches a frame that had no trailing blank line. */
  flush(): SseItem | undefined {
    return this.#dispatch();
  }

  #dispatch(): SseEvent | undefined {
    if (!this.#open) return undefined;
    const event: SseEvent = { data: this.#data.join('\n') };
    if (this.#event !== undefined) event.event = this.#event;
    if (this.#id !== undefined) event.id = this.#id;
    if (this.#retry !== undefined) event.retry = this.#retry;
    this.#data = [];
    this.#event = undefined;
    this.#id = undefined;
    this.#retry = undefined;
    this.#open = false;
    return event;
  }
}

function stripOneSpace(value: string): string {
  return value.startsWith(' ') ? value.slice(1) : value;
}

/** Yields the chunks of a web stream or an async iterable, releasing the stream if the reader stops early. */
async function* chunksOf(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (!('getReader' in body)) {
    yield* body;
    return;
  }
  const reader = body.getReader();
  let done = false;
  try {
    while (true) {
      const result = await reader.read();
      if (result.done) {
        done = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Layer 3: decodes a byte stream into SSE items as they arrive. */
export async function* readSse(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<SseItem> {
  const lines = new LineDecoder();
  const frames = new SseDecoder();
  for await (const chunk of chunksOf(body)) {
    for (const line of lines.decode(chunk)) {
      const item = frames.decode(line);
      if (item) yield item;
    }
  }
  for (const line of lines.flush()) {
    const item = frames.decode(line);
    if (item) yield item;
  }
  const last = frames.flush();
  if (last) yield last;
}

/** Reads a whole fetch Response body as SSE items (comments included). */
export async function collectSse(response: Response): Promise<SseItem[]> {
  if (!response.body) throw new Error(`response ${response.status} has no body to read as SSE`);
  const items: SseItem[] = [];
  for await (const item of readSse(response.body)) items.push(item);
  return items;
}

/** The data of each event parsed as JSON, skipping comments; a `[DONE]` data stays the string '[DONE]'. */
export function sseJson<T = unknown>(items: Iterable<SseItem>): Array<T | '[DONE]'> {
  const values: Array<T | '[DONE]'> = [];
  for (const item of items) {
    if (isSseComment(item)) continue;
    values.push(item.data === '[DONE]' ? '[DONE]' : (JSON.parse(item.data) as T));
  }
  return values;
}
