// One OpenAI-compatible upstream, reached through http-proxy-middleware (compiled once, here, at start-up): the
// upstream's key instead of the client's, header rules, connect and idle timeouts, retries of what cannot have
// reached the upstream, unbuffered streaming. Knows no operation and no model: the caller decides what to forward
// and with which body. The response side the library leaves to us lives in upstream-response.ts.
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import { createProxyMiddleware, type Options, proxyEventsPlugin, type RequestHandler } from 'http-proxy-middleware';
import type { UpstreamConfig } from '../config/config.js';
import type { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { DEFAULT_STREAM_LIMITS, type StreamCut, type StreamLimits } from '../sse.js';
import { hasBody, outgoingHeaders } from './forward-headers.js';
import { mayRetry, mayRetryReset, UpstreamFault, upstreamError } from './upstream-faults.js';
import { relayResponse, type ResponseSink } from './upstream-response.js';

export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 600;
const MAX_ATTEMPTS = 3;

export interface ForwardOptions {
  requestId: string;
  /**
   * Called once when the exchange is over: the response complete, cut or abandoned by its client (null), or an error
   * to answer while nothing was sent yet. One function for every request (it gets the response), so a stream that
   * stays open for minutes holds no closure or promise of its own for it.
   */
  settled: (res: ServerResponse, error: GatewayError | null) => void;
  /**
   * The gateway's own head (security headers, X-Request-Id) as a raw list, not yet on the response: it goes out in
   * the same writeHead as the upstream's headers (node validates one list instead of a setHeader per field).
   */
  head: readonly string[];
  /** The bytes to send (a parsed JSON body, maybe rewritten) instead of the raw request stream. */
  body?: Buffer;
  /** The request asks for a stream (`"stream": true`): the upstream is asked for an identity body. */
  streaming?: boolean;
  /** `body` is the client's own non-JSON body (read by middleware in front of the gateway): its type is kept. */
  bodyAsSent?: boolean;
}

export interface UpstreamOptions {
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  /** Request body limit: raw (unparsed) bodies streamed to the upstream, and the 2xx JSON bodies read back. */
  bodyLimitBytes: number;
  /** A relayed stream whose client stopped reading is closed after `stallTimeoutMs` (the upstream is paused meanwhile). */
  streamLimits?: StreamLimits;
}

export class Upstream {
  readonly name: string;
  /** The base URL without any credentials it was written with: safe to log and show. */
  readonly displayUrl: string;
  readonly key: string | null;
  readonly extraHeaders: Readonly<Record<string, string>>;
  readonly connectMs: number;
  readonly idleMs: number;
  readonly bodyLimitBytes: number;
  readonly streamLimits: StreamLimits;
  readonly log: Logger;
  /** The Host header of every request: the base URL's host and port. */
  readonly hostHeader: string;
  /** http-proxy-middleware, configured once for this upstream: for bodies streamed through unread… */
  readonly proxy: RequestHandler<IncomingMessage, ServerResponse>;
  /** …and for requests whose body the gateway read already (written in the proxyReq hook), or that have none. */
  readonly bufferedProxy: RequestHandler<IncomingMessage, ServerResponse>;
  /** The base URL's path (`/v1`, OpenAI SDK style) replaces the client's `/v1` prefix; '' keeps the path. */
  private readonly basePath: string;
  private readonly origin: string;
  private readonly agent: HttpAgent;

  constructor(
    config: UpstreamConfig,
    { env = process.env, logger, bodyLimitBytes, streamLimits = DEFAULT_STREAM_LIMITS }: UpstreamOptions,
  ) {
    const base = new URL(config.baseUrl);
    this.name = config.name;
    this.key = config.key ?? (config.keyEnv ? (env[config.keyEnv] ?? null) : null);
    // A credential in the URL is never logged nor forwarded: the upstream key (Authorization) is the credential.
    const credentialInUrl = base.username !== '' || base.password !== '';
    base.username = '';
    base.password = '';
    this.displayUrl = base.toString().replace(/\/$/, '');
    this.origin = base.origin;
    this.log = logger.child({ component: 'upstream', upstream: config.name });
    if (credentialInUrl) {
      this.log.warn(
        { url: this.displayUrl },
        'ignoring the credentials in the upstream URL; configure the upstream key',
      );
    }
    if (config.keyEnv && !this.key) this.log.warn({ keyEnv: config.keyEnv }, 'upstream key variable is not set');
    this.extraHeaders = Object.fromEntries(
      Object.entries(config.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    this.connectMs = (config.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000;
    this.idleMs = (config.timeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS) * 1000;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.bodyLimitBytes = bodyLimitBytes;
    this.streamLimits = streamLimits;
    this.hostHeader = base.host;
    const https = base.protocol === 'https:';
    const hostname = base.hostname.replace(/^\[|\]$/g, ''); // an IPv6 literal without its URL brackets
    const connection = { host: hostname, hostname, port: Number(base.port || (https ? 443 : 80)) };
    this.agent = https
      ? new (pooled(HttpsAgent, { ...connection, servername: isIP(hostname) ? '' : hostname }))({
          keepAlive: true,
          scheduling: 'lifo',
        })
      : new (pooled(HttpAgent, connection))({ keepAlive: true, scheduling: 'lifo' });
    const options: Options<IncomingMessage, ServerResponse> = {
      // Parsed once here: a string target would be parsed again on every request.
      target: {
        protocol: base.protocol,
        host: base.host,
        hostname,
        port: base.port || (https ? '443' : '80'),
      },
      agent: this.agent,
      // Only when the base path differs from the client's `/v1` prefix: an identity rewrite is a cost per request.
      ...(this.basePath && this.basePath !== '/v1' ? { pathRewrite: (path: string) => this.upstreamPath(path) } : {}),
      // The path goes as the client sent it (already checked at the door), not parsed again per request.
      toProxy: true,
      // The response is ours to write (JSON check, key redaction, head merge): see upstream-response.ts.
      selfHandleResponse: true,
      // No default plugins: their error page and logger are not the gateway's; only the `on` hooks below.
      ejectPlugins: true,
      plugins: [proxyEventsPlugin],
      on: {
        // Before the library builds the upstream request (headers) and pipes a raw body into it.
        start: (_req, res) => exchanges.get(res)?.beforeRequest(),
        proxyReq: (proxyReq, _req, res) => exchanges.get(res)?.attach(proxyReq),
        proxyRes: (proxyRes, _req, res) => exchanges.get(res)?.onResponse(proxyRes),
        error: (error, _req, res) => exchanges.get(res as ServerResponse)?.onError(error),
      },
    };
    this.proxy = createProxyMiddleware(options);
    // A read body is gone from the request stream: the library pipes this stand-in instead, which sends nothing,
    // and the proxyReq hook ends the upstream request with the bytes.
    this.bufferedProxy = createProxyMiddleware({ ...options, buffer: ALREADY_READ });
  }

  /**
   * Forwards the request; `options.settled` says when the response is complete (or the client left: the upstream
   * request is then cancelled), or gives the error to answer while nothing was sent yet.
   */
  forward(req: IncomingMessage, res: ServerResponse, options: ForwardOptions): void {
    // The client left already: nothing to forward.
    if (res.closed && !res.writableFinished) options.settled(res, null);
    else new Exchange(this, req, res, options).send();
  }

  /** The model ids the upstream lists at `GET /v1/models` (empty when it cannot answer). */
  async listModels(timeoutMs = 3000): Promise<string[]> {
    const url = `${this.origin}${this.upstreamPath('/v1/models')}`;
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

/** http-proxy's `buffer` (what it pipes into the upstream request) for a body the gateway already read. */
const ALREADY_READ = { pipe: <T>(destination: T): T => destination } as unknown as Options['buffer'];

/** The exchange each forwarded response is in, for the library's hooks (they receive the request and the response). */
const exchanges = new WeakMap<ServerResponse, Exchange>();

/** The client response closed (a 'close' listener shared by every exchange: `this` is the response). */
function onResponseClose(this: ServerResponse): void {
  exchanges.get(this)?.onClientClose();
}

/** The idle timer's callback, shared: the exchange comes as the timer's argument. */
function onIdle(exchange: Exchange): void {
  exchange.idleTimeout();
}

/** One forwarded request across its attempts. */
class Exchange implements ResponseSink {
  readonly method: string;
  readonly limitBytes: number;
  readonly secret: string | null;
  readonly name: string;
  readonly streamLimits: StreamLimits;
  private readonly requestId: string;
  private readonly settled_: ForwardOptions['settled'];
  /**
   * What to send (body, head…), until the response head goes out: after that no attempt can follow, and a stream
   * that stays open for minutes does not keep the request body (or anything else of the request) alive.
   */
  private options: ForwardOptions | null;
  /** The client's path as it came: the library rewrites `req.url`, and a retry starts from this again. */
  private readonly url: string;
  /** A body we can send again: buffered, or none at all. */
  private readonly replayable: boolean;
  private attempt = 1;
  /** A reused keep-alive connection the upstream had closed was retried once already. */
  private retriedReset = false;
  private proxyReq: ClientRequest | null = null;
  private proxyRes: IncomingMessage | null = null;
  /** The client's headers while the outgoing ones stand in for them (beforeRequest .. attach). */
  private clientHeaders: IncomingMessage['headers'] | null = null;
  /** The current attempt already failed: later errors of its socket are echoes. */
  private failed = false;
  private settled = false;
  /** The idle timer of the current attempt; each response chunk refreshes it. */
  private idle: NodeJS.Timeout | null = null;
  /** The connect timer of the current attempt, while a new connection is being made. */
  private connecting: NodeJS.Timeout | null = null;

  constructor(
    private readonly upstream: Upstream,
    private readonly req: IncomingMessage,
    readonly res: ServerResponse,
    options: ForwardOptions,
  ) {
    this.method = req.method ?? 'GET';
    this.name = upstream.name;
    this.options = options;
    this.requestId = options.requestId;
    this.settled_ = options.settled;
    this.limitBytes = upstream.bodyLimitBytes;
    this.streamLimits = upstream.streamLimits;
    this.secret = upstream.key;
    this.url = req.url ?? '/';
    this.replayable = options.body !== undefined || !hasBody(req.headers);
    exchanges.set(res, this);
    res.on('close', onResponseClose); // no removal needed: after settle it finds nothing
  }

  /** The gateway's head for the one writeHead of the response; what was kept to send the request goes with it. */
  takeHead(): string[] {
    const head = this.options!.head as string[]; // a fresh list per request: the response's headers are appended
    this.options = null;
    return head;
  }

  get ended(): boolean {
    return this.settled;
  }

  send(): void {
    this.failed = false;
    this.clearTimers(); // a retry: the failed attempt's timers go with it
    this.req.url = this.url;
    const proxy = this.replayable ? this.upstream.bufferedProxy : this.upstream.proxy;
    void proxy(this.req, this.res, (error?: unknown) => error && this.onError(error as Error));
  }

  /**
   * The library's start hook, just before it builds the upstream request from `req.headers` and pipes a raw body
   * into it. The headers the gateway's rules let out (forward-headers.ts) stand in for the client's until the
   * request is built (attach), so the client's Authorization never reaches the upstream request, even for a body
   * that starts flowing before the socket is assigned. Raw bodies are counted from their first byte, since only
   * Content-Length was checked at the door.
   */
  beforeRequest(): void {
    const { upstream, req } = this;
    const options = this.options!; // an attempt starts only while no response head went out
    const list = outgoingHeaders(req.rawHeaders, {
      host: upstream.hostHeader,
      key: upstream.key,
      requestId: options.requestId,
      extra: upstream.extraHeaders,
      streaming: options.streaming === true,
      bodyLength: options.body?.length,
      keepType: options.bodyAsSent,
    });
    // A body-less DELETE or OPTIONS says so: some servers wait for a body otherwise.
    if ((this.method === 'DELETE' || this.method === 'OPTIONS') && !hasBody(req.headers) && !options.body) {
      list.push('Content-Length', '0');
    }
    this.clientHeaders ??= req.headers;
    req.headers = headerObject(list);
    if (!this.replayable && this.attempt === 1) this.countRawBody();
  }

  /** The library's proxyReq hook: timers and body of one attempt, before anything is sent. */
  attach(proxyReq: ClientRequest): void {
    const { upstream } = this;
    this.proxyReq = proxyReq;
    this.restoreHeaders();
    const socket = proxyReq.socket;
    if (socket?.connecting) {
      this.connecting = setTimeout(
        () => proxyReq.destroy(new UpstreamFault('connect_timeout', `no connection within ${upstream.connectMs} ms`)),
        upstream.connectMs,
      );
      socket.once('connect', () => this.clearTimers(true));
    }
    this.armIdle();
    // The body the gateway read (and maybe rewrote), or none: this ends the upstream request.
    if (this.replayable) proxyReq.end(this.options!.body);
  }

  private restoreHeaders(): void {
    if (this.clientHeaders) this.req.headers = this.clientHeaders;
    this.clientHeaders = null;
  }

  onResponse(proxyRes: IncomingMessage): void {
    if (this.settled) return void proxyRes.destroy(); // timed out or the client left meanwhile
    this.proxyRes = proxyRes;
    relayResponse(proxyRes, this);
  }

  activity(): void {
    this.idle?.refresh();
  }

  /**
   * Idle: no response byte for this long, before the head or between chunks. Our own timer, refreshed per chunk, so
   * it does not depend on how the socket (or a test double of it) counts activity.
   */
  private armIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(onIdle, this.upstream.idleMs, this);
  }

  idleTimeout(): void {
    this.proxyReq?.destroy(new UpstreamFault('idle_timeout', `no data for ${this.upstream.idleMs} ms`));
  }

  /** The client is not reading: the upstream is paused, and its silence meanwhile is ours, not an idle upstream. */
  hold(held: boolean): void {
    if (this.settled) return;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    if (!held) this.armIdle();
  }

  done(): void {
    this.settle();
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.proxyReq?.destroy();
    this.settle(upstreamError(this.upstream.name, error, this.upstream.bodyLimitBytes));
  }

  cut(why: StreamCut): void {
    this.upstream.log.info(
      { requestId: this.requestId, reason: why, stallTimeoutMs: this.streamLimits.stallTimeoutMs },
      'client stopped reading a relayed stream; closing it',
    );
  }

  warn(error: GatewayError): void {
    this.upstream.log.warn(
      { requestId: this.requestId, code: error.code, detail: error.message },
      'upstream failed mid-response',
    );
  }

  /** The library's error hook (socket errors, our timers), and failures of the request stream. */
  onError(error: Error): void {
    if (this.settled || this.failed) return;
    this.failed = true;
    const proxyReq = this.proxyReq;
    if (this.res.headersSent) {
      // The head went out: the response side ends the body (error frame or cut) when the upstream socket closes.
      this.proxyRes?.destroy();
      return;
    }
    if (this.replayable && this.mayRetry(error, proxyReq)) {
      const delay = 25 * this.attempt;
      this.attempt += 1;
      this.upstream.log.debug({ err: error.message, attempt: this.attempt }, 'retrying upstream request');
      setTimeout(() => !this.settled && this.send(), delay).unref();
      return;
    }
    this.fail(error);
  }

  /** Connect failures of idempotent requests (up to 3 attempts); a reset of a reused idle connection, once. */
  private mayRetry(error: Error, proxyReq: ClientRequest | null): boolean {
    if (mayRetry(this.method, error, this.attempt, MAX_ATTEMPTS)) return true;
    if (this.retriedReset || !proxyReq?.reusedSocket || !mayRetryReset(error)) return false;
    this.retriedReset = true;
    return true;
  }

  /** The client response closed: if it did not finish, the client left and the upstream request is cancelled. */
  onClientClose(): void {
    if (this.settled || this.res.writableFinished) return;
    this.proxyReq?.destroy();
    this.proxyRes?.destroy();
    this.settle();
  }

  private countRawBody(): void {
    const { req } = this;
    const limit = this.upstream.bodyLimitBytes;
    let size = 0;
    const count = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return;
      req.off('data', count);
      req.unpipe();
      this.fail(new UpstreamFault('body_too_large', 'request body too large'));
    };
    req.on('data', count);
  }

  private settle(error?: GatewayError): void {
    if (this.settled) return;
    this.settled = true;
    this.clearTimers();
    exchanges.delete(this.res);
    this.restoreHeaders();
    this.req.url = this.url;
    this.options = null;
    this.settled_(this.res, error ?? null);
  }

  /** Stops the timers of the current attempt (only the connect timer once connected). */
  private clearTimers(connectOnly = false): void {
    if (this.connecting) clearTimeout(this.connecting);
    this.connecting = null;
    if (connectOnly) return;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }
}

/** A raw header list as the object http-proxy copies into the upstream request (repeated names as arrays). */
function headerObject(list: readonly string[]): IncomingMessage['headers'] {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i];
    const had = headers[name];
    headers[name] = had === undefined ? list[i + 1] : [...(Array.isArray(had) ? had : [had]), list[i + 1]];
  }
  return headers as IncomingMessage['headers'];
}

/**
 * A keep-alive agent that picks and opens its connections from the upstream's own fixed options. http-proxy hands the
 * agent its whole per-request options object (about twenty fields, most of them unset TLS ones), which node's
 * `addRequest` copies on every request to find the pool; the pool of an upstream never depends on those.
 */
function pooled<T extends typeof HttpAgent>(Base: T, connection: Readonly<Record<string, unknown>>): T {
  const addRequest = (Base.prototype as unknown as { addRequest: (req: unknown, options: unknown) => void }).addRequest;
  return class extends (Base as typeof HttpAgent) {
    addRequest(req: unknown): void {
      addRequest.call(this, req, connection);
    }
  } as unknown as T;
}
