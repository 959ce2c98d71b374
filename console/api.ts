// The console's one door to the gateway: every call carries the key as `Authorization: Bearer` and nowhere else (not
// in a URL, a query, a body or a log). Errors come back as ApiError, read from the gateway's one error envelope.
import type { components } from '../lib/generated/openapi.gen.js';
import { type SseEvent, SseDecoder } from './sse.js';

export type Schemas = components['schemas'];
export type { SseEvent };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The gateway refused the key (401). */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

/** What a person reads for an error: the gateway's own message, with its status and code. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) {
      return 'The gateway refused this API key (401 gateway_auth_failed). Check the key and paste it again.';
    }
    if (error.status === 0) return error.message;
    return `${error.message} (${error.status}${error.code ? ` ${error.code}` : ''})`;
  }
  return error instanceof Error ? error.message : String(error);
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class Api {
  /** `base`: the gateway's URL, ending in `/` (the console may sit under a prefix or /p/<profile>/). */
  constructor(
    readonly base: string,
    private readonly key: string,
  ) {}

  /** A JSON call; resolves with the parsed body of a 2xx answer. */
  async call<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const res = await this.send(method, path, options, 'application/json');
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * An SSE call: `onEvent` gets each event as it arrives; resolves when the server ends the stream. A network
   * failure mid-stream rejects (the caller decides whether to reconnect, with Last-Event-ID).
   */
  async stream(method: string, path: string, options: CallOptions, onEvent: (event: SseEvent) => void): Promise<void> {
    const res = await this.send(method, path, options, 'text/event-stream');
    if (!res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const decoder = new SseDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const event of decoder.push(value)) onEvent(event);
    }
    for (const event of decoder.finish()) onEvent(event);
  }

  private async send(method: string, path: string, options: CallOptions, accept: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept, ...options.headers, Authorization: `Bearer ${this.key}` };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(new URL(path.replace(/^\//, ''), this.base), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ApiError(0, null, `Cannot reach the gateway (${error instanceof Error ? error.message : error}).`);
    }
    if (!res.ok) throw await errorOf(res);
    return res;
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error?: { message?: string; code?: string | null } };
    if (error?.message) return new ApiError(res.status, error.code ?? null, error.message);
  } catch {
    // not the gateway's envelope (a proxy in front of it answered): the status line says what we know
  }
  return new ApiError(res.status, null, `The gateway answered ${res.status} ${res.statusText}`.trim());
}

/** Encodes one path segment (ids come from the gateway, but a session id may hold any character). */
export const seg = (value: string) => encodeURIComponent(value);
