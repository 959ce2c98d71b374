// One OpenAI-compatible upstream, reached with node:http on a keep-alive agent: the upstream's key instead of the
// client's, header rules, connect and idle timeouts, retries of idempotent connect failures, unbuffered streaming.
// Knows no operation and no model: the caller decides what to forward and with which body.
import type { ClientRequest, IncomingMessage, RequestOptions, ServerResponse } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { UpstreamConfig } from '../config/config.js';
import { GatewayError } from '../errors.js';
import { hasBody } from '../http/json-body.js';
import type { Logger } from '../log.js';
import { isEventStream, isJson, outgoingHeaders, rawHeader, responseHeadersToCopy } from './forward-headers.js';
import { mayRetry, UpstreamFault, upstreamError } from './upstream-faults.js';

export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 600;
const MAX_ATTEMPTS = 3;

export interface ForwardOptions {
  requestId: string;
  /** The bytes to send (a parsed JSON body, maybe rewritten) instead of the raw request stream. */
  body?: Buffer;
  /**
   * Headers the caller has not set on the response yet (security headers, X-Request-Id of the proxy fast path), as
   * a raw list the exchange takes over: they go out in the same writeHead as the upstream's.
   */
  head?: string[];
  /** The request asks for a stream (`"stream": true`): the upstream is asked for an identity body. */
  streaming?: boolean;
}

export interface UpstreamOptions {
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  /** Request body limit, for raw (unparsed) bodies streamed to the upstream. */
  bodyLimitBytes: number;
}

export class Upstream {
  readonly name: string;
  readonly baseUrl: string;
  readonly key: string | null;
  readonly extraHeaders: Readonly<Record<string, string>>;
  readonly connectMs: number;
  readonly idleMs: number;
  readonly bodyLimitBytes: number;
  readonly log: Logger;
  /** Host, port, protocol and agent of every request; path, method and headers are added per request. */
  readonly target: RequestOptions;
  /** The Host header of every request: the base URL's host and port. */
  readonly hostHeader: string;
  readonly request: typeof httpRequest;
  /** The base URL's path (`/v1`, OpenAI SDK style) replaces the client's `/v1` prefix; '' keeps the path. */
  private readonly basePath: string;
  private readonly agent: HttpAgent;

  constructor(config: UpstreamConfig, { env = process.env, logger, bodyLimitBytes }: UpstreamOptions) {
    const base = new URL(config.baseUrl);
    this.name = config.name;
    this.baseUrl = base.toString().replace(/\/$/, '');
    this.key = config.key ?? (config.keyEnv ? (env[config.keyEnv] ?? null) : null);
    this.log = logger.child({ component: 'upstream', upstream: config.name });
    if (config.keyEnv && !this.key) this.log.warn({ keyEnv: config.keyEnv }, 'upstream key variable is not set');
    this.extraHeaders = Object.fromEntries(
      Object.entries(config.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    this.connectMs = (config.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000;
    this.idleMs = (config.timeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS) * 1000;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.bodyLimitBytes = bodyLimitBytes;
    const https = base.protocol === 'https:';
    this.agent = https
      ? new HttpsAgent({ keepAlive: true, scheduling: 'lifo' })
      : new HttpAgent({ keepAlive: true, scheduling: 'lifo' });
    this.request = https ? (httpsRequest as typeof httpRequest) : httpRequest;
    this.hostHeader = base.host;
    this.target = {
      protocol: base.protocol,
      hostname: base.hostname.replace(/^\[|\]$/g, ''),
      port: base.port || (https ? 443 : 80),
      agent: this.agent,
    };
  }

  /**
   * Forwards the request; resolves once the response is complete (or the client left: the upstream request is then
   * cancelled), rejects before any byte.
   */
  forward(req: IncomingMessage, res: ServerResponse, options: ForwardOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (res.closed && !res.writableFinished) return resolve(); // the client left already
      new Exchange(this, req, res, options, resolve, reject).send();
    });
  }

  /** The model ids the upstream lists at `GET /v1/models` (empty when it cannot answer). */
  async listModels(timeoutMs = 3000): Promise<string[]> {
    const url = `${this.baseUrl}${this.basePath ? '' : '/v1'}/models`;
    const headers: Record<string, string> = { ...this.extraHeaders, accept: 'application/json' };
    if (this.key) headers.authorization = `Bearer ${this.key}`;
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    const list = (await response.json()) as { data?: Array<{ id?: unknown }> };
    return (list.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
  }

  close(): void {
    this.agent.destroy();
  }

  /** The path on the upstream for a client path (with its query). */
  upstreamPath(url: string): string {
    if (!this.basePath) return url;
    const rest = url === '/v1' || url.startsWith('/v1/') || url.startsWith('/v1?') ? url.slice(3) : url;
    return this.basePath + (rest === '' || rest.startsWith('?') ? `/${rest}` : rest);
  }
}

/** One forwarded request across its attempts. */
class Exchange {
  private readonly path: string;
  /** A body we can send again: buffered, or none at all. */
  private readonly replayable: boolean;
  private attempt = 1;
  private proxyReq: ClientRequest | null = null;
  private proxyRes: IncomingMessage | null = null;
  /** The current attempt already failed: later errors of its socket are echoes. */
  private failed = false;
  private done = false;
  /** The client left before its response finished. */
  private gone = false;
  /** The idle timer of the current attempt; each response chunk refreshes it. */
  private idle: NodeJS.Timeout | null = null;
  /** The connect timer of the current attempt, while a new connection is being made. */
  private connecting: NodeJS.Timeout | null = null;
  /** Set once the head went out: an event stream, and the last bytes sent (to tell whether `[DONE]` went out). */
  private streamed: { sse: boolean; tail: string } | null = null;

  constructor(
    private readonly upstream: Upstream,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly options: ForwardOptions,
    private readonly resolve: () => void,
    private readonly reject: (error: GatewayError) => void,
  ) {
    this.path = upstream.upstreamPath((req as { originalUrl?: string }).originalUrl ?? req.url ?? '/');
    this.replayable = options.body !== undefined || !hasBody(req.headers);
    res.once('close', () => this.onClientClose()); // no removal needed: after settle it finds `done`
  }

  /** The client response closed: if it did not finish, the client left and the upstream request is cancelled. */
  private onClientClose(): void {
    if (this.done || this.res.writableFinished) return;
    this.gone = true;
    this.proxyReq?.destroy();
    this.proxyRes?.destroy();
    this.settle();
  }

  send(): void {
    const { upstream, req, options } = this;
    this.failed = false;
    this.clearTimers(); // a retry: the failed attempt's timers go with it
    const method = req.method ?? 'GET';
    const headers = outgoingHeaders(req.rawHeaders, {
      host: upstream.hostHeader,
      key: upstream.key,
      requestId: options.requestId,
      extra: upstream.extraHeaders,
      streaming: options.streaming === true,
      bodyLength: options.body?.length,
    });
    // A body-less DELETE or OPTIONS says so (as http-proxy-middleware did): some servers wait for a body otherwise.
    const bodyless = !hasBody(req.headers) && rawHeader(headers, 'content-length') === undefined;
    if ((method === 'DELETE' || method === 'OPTIONS') && bodyless) headers.push('Content-Length', '0');
    const { protocol, hostname, port, agent } = upstream.target;
    // A header list (not an object) is written as it is: node skips a setHeader per field.
    const proxyReq = upstream.request({ protocol, hostname, port, agent, method, path: this.path, headers });
    this.proxyReq = proxyReq;
    proxyReq.on('error', (error) => this.onError(error, proxyReq));
    proxyReq.on('response', (proxyRes) => this.onResponse(proxyRes, proxyReq));
    proxyReq.once('socket', (socket: Socket) => {
      if (!socket.connecting || proxyReq !== this.proxyReq) return; // a kept-alive connection
      this.connecting = setTimeout(
        () => proxyReq.destroy(new UpstreamFault('connect_timeout', `no connection within ${upstream.connectMs} ms`)),
        upstream.connectMs,
      );
      socket.once('connect', () => this.clearTimers(true));
    });
    // Idle: no response byte for this long, before the head or between chunks. Our own timer, refreshed per chunk,
    // so it does not depend on how the socket (or a test double of it) counts activity.
    this.idle = setTimeout(
      () => proxyReq.destroy(new UpstreamFault('idle_timeout', `no data for ${upstream.idleMs} ms`)),
      upstream.idleMs,
    );
    if (options.body !== undefined) proxyReq.end(options.body);
    else if (this.replayable) proxyReq.end();
    else this.pipeRawBody(proxyReq);
  }

  /** Stops the timers of the current attempt (only the connect timer once connected). */
  private clearTimers(connectOnly = false): void {
    if (this.connecting) clearTimeout(this.connecting);
    this.connecting = null;
    if (connectOnly) return;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }

  /** Raw bodies stream to the upstream unread: count them, since only Content-Length was checked at the door. */
  private pipeRawBody(proxyReq: ClientRequest): void {
    const { req } = this;
    const limit = this.upstream.bodyLimitBytes;
    let size = 0;
    const count = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return;
      req.off('data', count);
      req.unpipe(proxyReq);
      proxyReq.destroy(new UpstreamFault('body_too_large', 'request body too large'));
    };
    req.on('data', count);
    req.pipe(proxyReq);
  }

  private settle(error?: GatewayError): void {
    if (this.done) return;
    this.done = true;
    this.clearTimers();
    if (error) this.reject(error);
    else this.resolve();
  }

  private fail(error: unknown): void {
    const { upstream } = this;
    this.settle(upstreamError(upstream.name, error, upstream.bodyLimitBytes));
  }

  private onResponse(proxyRes: IncomingMessage, proxyReq: ClientRequest): void {
    if (this.done || proxyReq !== this.proxyReq) return void proxyRes.destroy();
    this.proxyRes = proxyRes;
    const status = proxyRes.statusCode ?? 502;
    // The raw list: node builds `proxyRes.headers` only when asked, and nothing here needs it.
    const type = rawHeader(proxyRes.rawHeaders, 'content-type');
    const length = Number(rawHeader(proxyRes.rawHeaders, 'content-length') ?? Number.NaN);
    proxyRes.on('error', () => undefined); // reported through 'close' without `complete`, below
    const checkJson =
      status >= 200 &&
      status < 300 &&
      this.req.method !== 'HEAD' &&
      isJson(type) &&
      !(length > this.upstream.bodyLimitBytes);
    if (checkJson) this.sendCheckedJson(proxyRes);
    else this.pipeThrough(proxyRes);
  }

  /** A 2xx JSON body is read whole and parsed before the client sees it: a broken one becomes a 502 envelope. */
  private sendCheckedJson(proxyRes: IncomingMessage): void {
    const chunks: Buffer[] = [];
    let size = 0;
    proxyRes.on('data', (chunk: Buffer) => {
      this.idle?.refresh();
      chunks.push(chunk);
      size += chunk.length;
    });
    proxyRes.on('end', () => {
      if (this.done) return; // timed out or the client left meanwhile
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      try {
        JSON.parse(body.toString('utf8'));
      } catch {
        // Not JSON although it says so: the client gets our envelope, never half a document.
        return void this.fail(new UpstreamFault('bad_response', `${proxyRes.statusCode} body is not valid JSON`));
      }
      this.writeHead(proxyRes, false);
      this.res.end(body);
      this.settle();
    });
    proxyRes.on('close', () => {
      if (!proxyRes.complete && !this.done) {
        this.fail(Object.assign(new Error('connection closed before the body was complete'), { code: 'ECONNRESET' }));
      }
    });
  }

  /** Everything else streams through as it arrives: status, headers, then each chunk (no buffering). */
  private pipeThrough(proxyRes: IncomingMessage): void {
    const { res } = this;
    const sse = isEventStream(rawHeader(proxyRes.rawHeaders, 'content-type'));
    const streamed = { sse, tail: '' };
    this.writeHead(proxyRes, sse);
    this.streamed = streamed;
    proxyRes.on('data', (chunk: Buffer) => {
      this.idle?.refresh();
      if (sse) streamed.tail = (streamed.tail + chunk.toString('latin1')).slice(-32);
      if (!res.write(chunk)) {
        proxyRes.pause();
        res.once('drain', () => proxyRes.resume());
      }
    });
    proxyRes.on('end', () => {
      res.end();
      this.settle();
    });
    proxyRes.on('close', () => {
      if (proxyRes.complete || this.done) return;
      this.endBroken(GatewayError.upstreamUnavailable(`${this.upstream.name}: connection lost mid-response`));
    });
  }

  /** Status and headers in one writeHead: the gateway's head (when the caller deferred it), then the upstream's. */
  private writeHead(proxyRes: IncomingMessage, sse: boolean): void {
    const { res } = this;
    const head = responseHeadersToCopy(proxyRes.rawHeaders, res, this.options.head ?? []);
    if (sse) head.push('X-Accel-Buffering', 'no'); // no buffering in any proxy in front of us either
    const status = proxyRes.statusCode ?? 502;
    if (proxyRes.statusMessage) res.writeHead(status, proxyRes.statusMessage, head);
    else res.writeHead(status, head);
    if (sse) res.flushHeaders();
  }

  /**
   * The upstream went away after the head was sent. An event stream ends cleanly with one error frame (the OpenAI
   * SDKs raise it) unless `[DONE]` already went out; any other body is cut, so the client sees it is incomplete.
   */
  private endBroken(error: GatewayError): void {
    const { res, streamed } = this;
    if (this.done) return;
    this.upstream.log.warn(
      { requestId: this.options.requestId, code: error.code, msg: error.message },
      'upstream failed mid-response',
    );
    if (!streamed?.sse) {
      res.destroy();
      this.settle();
      return;
    }
    const { tail } = streamed;
    if (!tail.includes('[DONE]')) {
      res.write(`${/\n\n$|^$/.test(tail) ? '' : '\n\n'}data: ${JSON.stringify(error.toEnvelope())}\n\n`);
    }
    res.end();
    this.settle();
  }

  private onError(error: Error, proxyReq: ClientRequest): void {
    if (proxyReq !== this.proxyReq || this.done || this.failed) return;
    this.failed = true;
    if (this.gone) return void this.settle(); // we cancelled it: the client is gone
    const { upstream } = this;
    if (this.res.headersSent) return void this.endBroken(upstreamError(upstream.name, error, upstream.bodyLimitBytes));
    if (this.replayable && mayRetry(this.req.method ?? 'GET', error, this.attempt, MAX_ATTEMPTS)) {
      const delay = 25 * this.attempt;
      this.attempt += 1;
      upstream.log.debug({ err: error.message, attempt: this.attempt }, 'retrying upstream connect');
      setTimeout(() => !this.done && this.send(), delay).unref();
      return;
    }
    this.fail(error);
  }
}
