// One OpenAI-compatible upstream, reached through http-proxy-middleware: the upstream's key instead of the client's,
// header rules, connect and idle timeouts, retries of idempotent connect failures, unbuffered streaming. Knows no
// operation and no model: the caller decides what to forward and with which body.
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import { createProxyMiddleware, type Plugin, type RequestHandler } from 'http-proxy-middleware';
import type { UpstreamConfig } from '../config/config.js';
import { GatewayError } from '../http/errors.js';
import type { Logger } from '../log.js';
import { isEventStream, isJson, outgoingHeaderChanges, responseHeadersToCopy } from './forward-headers.js';
import { mayRetry, UpstreamFault, upstreamError } from './upstream-faults.js';

export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 600;
const MAX_ATTEMPTS = 3;

export interface ForwardOptions {
  requestId: string;
  /** Aborts when the client leaves: the upstream request is cancelled. */
  signal: AbortSignal;
  /** The parsed JSON body to send (re-serialised) instead of the raw request stream. */
  body?: unknown;
}

/** One forwarded request across its attempts. */
interface Exchange {
  path: string;
  body: Buffer | null;
  streaming: boolean;
  /** A body we can send again: buffered, or none at all. */
  replayable: boolean;
  options: ForwardOptions;
  attempt: number;
  proxyReq: ClientRequest | null;
  proxyRes: IncomingMessage | null;
  /** The current attempt already failed: later errors of its socket are echoes. */
  failed: boolean;
  done: boolean;
  settle(error?: GatewayError): void;
  /** The idle timer of the current attempt; each response chunk refreshes it. */
  idle?: NodeJS.Timeout;
  /** Set once the head went out: ends the client response after an upstream failure. */
  endBroken?: (error: GatewayError) => void;
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
  private readonly key: string | null;
  private readonly extraHeaders: Readonly<Record<string, string>>;
  private readonly connectMs: number;
  private readonly idleMs: number;
  /** The base URL carries a path (`…/v1`, OpenAI SDK style): the client's `/v1` prefix is replaced by it. */
  private readonly replaceV1: boolean;
  private readonly agent: HttpAgent;
  private readonly middleware: RequestHandler<Request, Response>;
  private readonly exchanges = new WeakMap<IncomingMessage, Exchange>();
  private readonly log: Logger;
  private readonly bodyLimitBytes: number;

  constructor(config: UpstreamConfig, { env = process.env, logger, bodyLimitBytes }: UpstreamOptions) {
    const base = new URL(config.baseUrl);
    this.name = config.name;
    this.baseUrl = base.toString().replace(/\/$/, '');
    this.key = config.key ?? (config.keyEnv ? (env[config.keyEnv] ?? null) : null);
    this.log = logger.child({ component: 'upstream', upstream: config.name });
    if (config.keyEnv && !this.key) this.log.warn({ keyEnv: config.keyEnv }, 'upstream key variable is not set');
    this.extraHeaders = config.headers ?? {};
    this.connectMs = (config.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS) * 1000;
    this.idleMs = (config.timeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS) * 1000;
    this.replaceV1 = base.pathname.replace(/\/+$/, '') !== '';
    this.bodyLimitBytes = bodyLimitBytes;
    this.agent =
      base.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, scheduling: 'lifo' })
        : new HttpAgent({ keepAlive: true, scheduling: 'lifo' });
    const events: Plugin<Request, Response> = (server) => {
      server.on('proxyReq', (proxyReq, req) => this.onProxyReq(proxyReq, req));
      server.on('proxyRes', (proxyRes, req, res) => this.onProxyRes(proxyRes, req, res));
      server.on('error', (error, req, res) => this.onError(error, req, res as Response));
      server.on('econnreset', (_error, req) => this.exchanges.get(req)?.settle()); // the client left first
    };
    this.middleware = createProxyMiddleware<Request, Response>({
      target: this.baseUrl,
      changeOrigin: true,
      agent: this.agent,
      selfHandleResponse: true, // status, headers and body are copied by onProxyRes, under our rules
      ejectPlugins: true,
      plugins: [events],
    });
  }

  /** Forwards the request; resolves once the response is complete (or the client left), rejects before any byte. */
  forward(req: Request, res: Response, options: ForwardOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const body = options.body === undefined ? null : Buffer.from(JSON.stringify(options.body), 'utf8');
      const onAbort = () => {
        exchange.proxyReq?.destroy();
        exchange.proxyRes?.destroy();
        exchange.settle();
      };
      const exchange: Exchange = {
        path: this.upstreamPath(req.originalUrl ?? req.url),
        body,
        streaming: (options.body as { stream?: unknown } | undefined)?.stream === true,
        replayable: body !== null || !hasBody(req),
        options,
        attempt: 1,
        proxyReq: null,
        proxyRes: null,
        failed: false,
        done: false,
        settle: (error) => {
          if (exchange.done) return;
          exchange.done = true;
          options.signal.removeEventListener('abort', onAbort);
          if (error) reject(error);
          else resolve();
        },
      };
      if (options.signal.aborted) return resolve();
      options.signal.addEventListener('abort', onAbort, { once: true });
      this.attempt(req, res, exchange);
    });
  }

  /** The model ids the upstream lists at `GET /v1/models` (empty when it cannot answer). */
  async listModels(timeoutMs = 3000): Promise<string[]> {
    const url = `${this.baseUrl}${this.replaceV1 ? '' : '/v1'}/models`;
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

  private upstreamPath(url: string): string {
    if (!this.replaceV1) return url;
    return url === '/v1' || url.startsWith('/v1/') || url.startsWith('/v1?') ? url.slice(3) || '/' : url;
  }

  private attempt(req: Request, res: Response, exchange: Exchange): void {
    exchange.failed = false;
    const source = exchange.body ? withBody(req, exchange.path, exchange.body) : req;
    if (source === req) req.url = exchange.path;
    this.exchanges.set(source, exchange);
    void this.middleware(source, res, (error?: unknown) => {
      if (error) exchange.settle(upstreamError(this.name, error, this.bodyLimitBytes));
    });
  }

  private onProxyReq(proxyReq: ClientRequest, req: IncomingMessage): void {
    const exchange = this.exchanges.get(req);
    if (!exchange) return;
    exchange.proxyReq = proxyReq;
    const { remove, set } = outgoingHeaderChanges(req.headers, {
      key: this.key,
      requestId: exchange.options.requestId,
      extra: this.extraHeaders,
      streaming: exchange.streaming,
    });
    for (const name of remove) proxyReq.removeHeader(name);
    for (const [name, value] of Object.entries(set)) proxyReq.setHeader(name, value);
    // Counted once http-proxy pipes the raw body: an earlier 'data' listener would start the flow and lose bytes.
    if (!exchange.body && !exchange.replayable) this.limitRawBody(req, exchange);
    const socket = proxyReq.socket;
    if (socket?.connecting) {
      const timer = setTimeout(
        () => proxyReq.destroy(new UpstreamFault('connect_timeout', `no connection within ${this.connectMs} ms`)),
        this.connectMs,
      );
      const clear = () => clearTimeout(timer);
      socket.once('connect', clear);
      proxyReq.once('close', clear);
    }
    // Idle: no response byte for this long, before the head or between chunks. Our own timer, refreshed per chunk,
    // so it does not depend on how the socket (or a test double of it) counts activity.
    const idle = setTimeout(
      () => proxyReq.destroy(new UpstreamFault('idle_timeout', `no data for ${this.idleMs} ms`)),
      this.idleMs,
    );
    exchange.idle = idle;
    proxyReq.once('close', () => clearTimeout(idle));
  }

  private onProxyRes(proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse): void {
    const exchange = this.exchanges.get(req);
    if (!exchange || exchange.done) return void proxyRes.destroy();
    exchange.proxyRes = proxyRes;
    const status = proxyRes.statusCode ?? 502;
    const type = proxyRes.headers['content-type'];
    const length = Number(proxyRes.headers['content-length'] ?? Number.NaN);
    proxyRes.on('error', () => undefined); // reported through 'close' without `complete`, below
    const checkJson =
      status >= 200 && status < 300 && req.method !== 'HEAD' && isJson(type) && !(length > this.bodyLimitBytes);
    if (checkJson) this.sendCheckedJson(proxyRes, res, exchange);
    else this.pipeThrough(proxyRes, res, exchange);
  }

  /** A 2xx JSON body is read whole and parsed before the client sees it: a broken one becomes a 502 envelope. */
  private sendCheckedJson(proxyRes: IncomingMessage, res: ServerResponse, exchange: Exchange): void {
    const chunks: Buffer[] = [];
    proxyRes.on('data', (chunk: Buffer) => {
      exchange.idle?.refresh();
      chunks.push(chunk);
    });
    proxyRes.on('end', () => {
      if (exchange.done) return; // timed out or the client left meanwhile
      const body = Buffer.concat(chunks);
      try {
        JSON.parse(body.toString('utf8'));
      } catch {
        // Not JSON although it says so: the client gets our envelope, never half a document.
        const fault = new UpstreamFault('bad_response', `${proxyRes.statusCode} body is not valid JSON`);
        return exchange.settle(upstreamError(this.name, fault, this.bodyLimitBytes));
      }
      this.writeHead(proxyRes, res, false);
      res.end(body);
      exchange.settle();
    });
    proxyRes.on('close', () => {
      if (!proxyRes.complete && !exchange.done) {
        const gone = Object.assign(new Error('connection closed before the body was complete'), { code: 'ECONNRESET' });
        exchange.settle(upstreamError(this.name, gone, this.bodyLimitBytes));
      }
    });
  }

  /** Everything else streams through as it arrives: status, headers, then each chunk (no buffering). */
  private pipeThrough(proxyRes: IncomingMessage, res: ServerResponse, exchange: Exchange): void {
    const sse = isEventStream(proxyRes.headers['content-type']);
    this.writeHead(proxyRes, res, sse);
    let tail = '';
    proxyRes.on('data', (chunk: Buffer) => {
      exchange.idle?.refresh();
      if (sse) tail = (tail + chunk.toString('latin1')).slice(-32);
      if (!res.write(chunk)) {
        proxyRes.pause();
        res.once('drain', () => proxyRes.resume());
      }
    });
    proxyRes.on('end', () => {
      res.end();
      exchange.settle();
    });
    proxyRes.on('close', () => {
      if (proxyRes.complete || exchange.done) return;
      this.endBroken(
        res,
        exchange,
        sse,
        tail,
        GatewayError.upstreamUnavailable(`${this.name}: connection lost mid-response`),
      );
    });
    exchange.endBroken = (error) => this.endBroken(res, exchange, sse, tail, error);
  }

  private writeHead(proxyRes: IncomingMessage, res: ServerResponse, sse: boolean): void {
    res.statusCode = proxyRes.statusCode ?? 502;
    if (proxyRes.statusMessage) res.statusMessage = proxyRes.statusMessage;
    const headers = responseHeadersToCopy(proxyRes.headers, { has: (name) => res.hasHeader(name) });
    for (const [name, value] of Object.entries(headers)) {
      const vary = name === 'vary' ? res.getHeader('vary') : undefined;
      res.setHeader(name, vary ? `${vary}, ${value}` : (value as string | string[]));
    }
    if (sse) {
      res.setHeader('X-Accel-Buffering', 'no'); // no buffering in any proxy in front of us either
      res.flushHeaders();
    }
  }

  /**
   * The upstream went away after the head was sent. An event stream ends cleanly with one error frame (the OpenAI
   * SDKs raise it) unless `[DONE]` already went out; any other body is cut, so the client sees it is incomplete.
   */
  private endBroken(res: ServerResponse, exchange: Exchange, sse: boolean, tail: string, error: GatewayError): void {
    if (exchange.done) return;
    this.log.warn(
      { requestId: exchange.options.requestId, code: error.code, msg: error.message },
      'upstream failed mid-response',
    );
    if (!sse) {
      res.destroy();
      exchange.settle();
      return;
    }
    if (!tail.includes('[DONE]')) {
      res.write(`${/\n\n$|^$/.test(tail) ? '' : '\n\n'}data: ${JSON.stringify(error.toEnvelope())}\n\n`);
    }
    res.end();
    exchange.settle();
  }

  private onError(error: Error, req: IncomingMessage, res: ServerResponse): void {
    const exchange = this.exchanges.get(req);
    if (!exchange || exchange.done || exchange.failed) return;
    exchange.failed = true;
    if (exchange.options.signal.aborted) return void exchange.settle(); // we cancelled it: the client is gone
    if (res.headersSent) return void exchange.endBroken?.(upstreamError(this.name, error, this.bodyLimitBytes));
    const method = req.method ?? 'GET';
    if (exchange.replayable && mayRetry(method, error, exchange.attempt, MAX_ATTEMPTS)) {
      const delay = 25 * exchange.attempt;
      exchange.attempt += 1;
      this.log.debug({ err: error.message, attempt: exchange.attempt }, 'retrying upstream connect');
      setTimeout(() => !exchange.done && this.attempt(req as Request, res as Response, exchange), delay).unref();
      return;
    }
    exchange.settle(upstreamError(this.name, error, this.bodyLimitBytes));
  }

  /** Raw bodies stream to the upstream unread: count them, since only Content-Length was checked at the door. */
  private limitRawBody(req: IncomingMessage, exchange: Exchange): void {
    let size = 0;
    const count = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= this.bodyLimitBytes) return;
      req.off('data', count);
      exchange.proxyReq?.destroy(new UpstreamFault('body_too_large', 'request body too large'));
    };
    req.on('data', count);
  }
}

/**
 * The request as http-proxy should see it when the body was parsed (and maybe rewritten): same method and headers,
 * a fresh stream of the new bytes. http-proxy pipes it like any request, so no write races the socket assignment.
 */
function withBody(req: Request, path: string, body: Buffer): Request {
  const headers = { ...req.headers, 'content-type': 'application/json', 'content-length': String(body.length) };
  delete headers['transfer-encoding'];
  // One push, no async iterator: Readable.from would cost a few microtask hops per request.
  const stream = new Readable({
    read() {
      this.push(body);
      this.push(null);
    },
  });
  return Object.assign(stream, {
    method: req.method,
    url: path,
    headers,
    httpVersion: req.httpVersion,
    socket: req.socket,
    connection: req.socket,
  }) as unknown as Request;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
