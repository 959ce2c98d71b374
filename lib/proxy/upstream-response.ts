// What http-proxy-middleware cannot do for us (it runs with selfHandleResponse): check a 2xx JSON body before the
// client sees it, keep the upstream key out of error bodies, merge the gateway's head into the upstream's, and end a
// relayed stream cleanly when the upstream dies mid-way. Everything else about forwarding is the library's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import { GatewayError } from '../errors.js';
import { boundBacklog, type StreamCut, type StreamLimits, sseErrorTail, writeSse } from '../sse.js';
import { isEventStream, isJson, rawHeader, responseHeadersToCopy } from './forward-headers.js';
import { UpstreamFault } from './upstream-faults.js';

const DECODERS: Record<string, (bytes: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/**
 * A compressed body decoded, capped at `limit` bytes: the limit holds for what is read into memory, not only for what
 * came over the wire (a few KB of gzip can inflate to GBs). A body that does not decode is a bad response too.
 */
async function decodeCapped(body: Buffer, coding: string, limit: number): Promise<Buffer> {
  try {
    return await DECODERS[coding](body, { maxOutputLength: limit });
  } catch (error) {
    const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    const why = tooLarge ? `larger than ${limit} bytes once decoded` : `not valid ${coding}`;
    throw new UpstreamFault('bad_response', `body ${why}`);
  }
}

/** The body's content coding when it is one we decode; null for identity; undefined for an unknown one. */
function codingOf(proxyRes: IncomingMessage): string | null | undefined {
  const coding = rawHeader(proxyRes.rawHeaders, 'content-encoding')?.trim().toLowerCase();
  if (!coding || coding === 'identity') return null;
  return Object.hasOwn(DECODERS, coding) ? coding : undefined;
}

/** The parts of one forwarded exchange the response side needs (lib/proxy/upstream.ts owns the rest). */
export interface ResponseSink {
  /** The upstream's configured name, for messages. */
  readonly name: string;
  /**
   * The gateway's own head (security headers, X-Request-Id), written first in the same writeHead: a fresh list the
   * response's headers are appended to, taken once (the exchange lets go of what it kept for the request then).
   */
  takeHead(): string[];
  readonly res: ServerResponse;
  readonly method: string;
  /** 2xx JSON and error bodies are read whole, up to this many bytes. */
  readonly limitBytes: number;
  /** The upstream key: never echoed to the client inside an error body. */
  readonly secret: string | null;
  /** Each upstream byte: the idle timer starts over. */
  activity(): void;
  /** The upstream is paused while the client does not read (true), or flows again (false). */
  hold(held: boolean): void;
  /** How long a relayed stream may wait for a client that does not read. */
  readonly streamLimits: StreamLimits;
  /** The client took nothing for too long: the connection is about to be closed. */
  cut(why: StreamCut): void;
  /** The response is complete (or cut, and the client told). */
  done(): void;
  /** Nothing was sent yet: the caller answers with this error in the envelope. */
  fail(error: unknown): void;
  /** Whether the exchange already ended (timed out, client gone). */
  readonly ended: boolean;
  warn(error: GatewayError): void;
}

export function relayResponse(proxyRes: IncomingMessage, sink: ResponseSink): void {
  const status = proxyRes.statusCode ?? 502;
  const raw = proxyRes.rawHeaders; // node builds `proxyRes.headers` only when asked, and nothing here needs it
  const type = rawHeader(raw, 'content-type');
  proxyRes.on('error', ignore); // reported through 'close' without `complete`, below
  if (sink.method === 'HEAD' || status === 204 || status === 304) pipeThrough(proxyRes, sink, false);
  else if (status >= 200 && status < 300 && isJson(type)) readWhole(proxyRes, sink, checkJson);
  else if (status >= 400 && sink.secret) readWhole(proxyRes, sink, redactSecret);
  else pipeThrough(proxyRes, sink, status < 300 && isEventStream(type));
}

const ignore = (): void => undefined;

/** Checks (and may rewrite) a body read whole; synchronous when it can be, so the common case pays no promise. */
type BodyCheck = (body: Buffer, proxyRes: IncomingMessage, sink: ResponseSink) => Buffer | Promise<Buffer>;

/** A 2xx JSON body must parse: a broken one becomes a 502 envelope, never half a document. */
const checkJson: BodyCheck = (body, proxyRes, sink) => {
  const coding = codingOf(proxyRes);
  if (!coding) return parsesAsJson(body, body, proxyRes);
  return decodeCapped(body, coding, sink.limitBytes).then((text) => parsesAsJson(text, body, proxyRes));
};

function parsesAsJson(text: Buffer, body: Buffer, proxyRes: IncomingMessage): Buffer {
  try {
    JSON.parse(text.toString('utf8'));
  } catch {
    throw new UpstreamFault('bad_response', `${proxyRes.statusCode} body is not valid JSON`);
  }
  return body;
}

/** An upstream that echoes the Authorization it received must not hand our upstream key to the client. */
const redactSecret: BodyCheck = async (body, proxyRes, sink) => {
  const coding = codingOf(proxyRes);
  if (coding === undefined) {
    const named = rawHeader(proxyRes.rawHeaders, 'content-encoding')?.trim();
    throw new UpstreamFault('bad_response', `error body in an unknown content coding (${named})`);
  }
  if (coding) body = await decodeCapped(body, coding, sink.limitBytes); // sent decoded: Content-Encoding dropped below
  const text = body.toString('latin1');
  const secret = Buffer.from(sink.secret!, 'utf8').toString('latin1');
  return text.includes(secret) ? Buffer.from(text.split(secret).join('[redacted]'), 'latin1') : body;
};

/** Reads the body whole (capped), checks it, then sends head and body in one go. */
function readWhole(proxyRes: IncomingMessage, sink: ResponseSink, check: BodyCheck): void {
  const chunks: Buffer[] = [];
  let size = 0;
  proxyRes.on('data', (chunk: Buffer) => {
    sink.activity();
    size += chunk.length;
    if (size > sink.limitBytes) {
      proxyRes.destroy();
      return sink.fail(new UpstreamFault('bad_response', `body larger than ${sink.limitBytes} bytes`));
    }
    chunks.push(chunk);
  });
  proxyRes.on('end', () => {
    if (sink.ended) return; // timed out or the client left meanwhile
    const whole = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    let checked: Buffer | Promise<Buffer>;
    try {
      checked = check(whole, proxyRes, sink);
    } catch (error) {
      return sink.fail(error);
    }
    if (checked instanceof Promise)
      checked.then(
        (body) => send(body, whole),
        (error) => sink.fail(error),
      );
    else send(checked, whole);
  });
  function send(body: Buffer, whole: Buffer): void {
    if (sink.ended) return;
    const { res } = sink;
    const head = responseHeadersToCopy(proxyRes.rawHeaders, res, []);
    const out = sink.takeHead(); // the head leads
    const decoded = body !== whole;
    for (let i = 0; i < head.length; i += 2) {
      const name = head[i].toLowerCase();
      if (name === 'content-length' || (decoded && name === 'content-encoding')) continue;
      out.push(head[i], head[i + 1]);
    }
    out.push('Content-Length', String(body.length));
    writeHead(res, proxyRes, out);
    res.end(body);
    sink.done();
  }
  proxyRes.on('close', () => {
    if (!proxyRes.complete && !sink.ended) {
      sink.fail(Object.assign(new Error('connection closed before the body was complete'), { code: 'ECONNRESET' }));
    }
  });
}

/** Everything else streams through as it arrives: status, headers, then each chunk (no buffering). */
function pipeThrough(proxyRes: IncomingMessage, sink: ResponseSink, sse: boolean): void {
  const { res } = sink;
  const head = responseHeadersToCopy(proxyRes.rawHeaders, res, sink.takeHead());
  if (sse) head.push('X-Accel-Buffering', 'no'); // no buffering in any proxy in front of us either
  writeHead(res, proxyRes, head);
  if (sse) res.flushHeaders();
  const tail = sse ? new Tail() : null; // the last bytes relayed, to tell whether `[DONE]` went out
  // Backpressure: while the client does not read, the upstream is paused (its bytes stay in its socket, not here);
  // a client that takes nothing for the stall timeout is cut, which ends the upstream request too.
  const bounded = boundBacklog(res, sink.streamLimits, (why) => sink.cut(why));
  const resume = () => {
    sink.hold(false);
    proxyRes.resume();
  };
  proxyRes.on('data', (chunk: Buffer) => {
    sink.activity();
    tail?.push(chunk);
    const written = writeSse(res, chunk);
    bounded(written);
    if (!written && !res.destroyed) {
      proxyRes.pause();
      sink.hold(true);
      res.once('drain', resume);
    }
  });
  proxyRes.on('end', () => {
    res.end();
    sink.done();
  });
  proxyRes.on('close', () => {
    if (proxyRes.complete || sink.ended) return;
    const error = GatewayError.upstreamUnavailable(`${sink.name}: connection lost mid-response`);
    sink.warn(error);
    // An event stream ends with one error frame the SDKs raise; any other body is cut, so the client sees it.
    if (!sse) res.destroy();
    else res.end(sseErrorTail(tail!.text(), error.toEnvelope()));
    sink.done();
  });
}

/**
 * The last 32 bytes of a relayed stream, copied into one small buffer per stream. Not a string kept per chunk: that
 * one lived until the next chunk (a second, on a slow stream), long enough to be promoted, and as a slice it kept
 * the whole chunk's string alive with it; with thousands of streams the old space grew by that much every second.
 */
class Tail {
  private readonly bytes = Buffer.alloc(32);
  private length = 0;

  push(chunk: Buffer): void {
    const { bytes } = this;
    if (chunk.length >= bytes.length) {
      chunk.copy(bytes, 0, chunk.length - bytes.length);
      this.length = bytes.length;
      return;
    }
    const keep = Math.min(this.length, bytes.length - chunk.length);
    bytes.copyWithin(0, this.length - keep, this.length);
    chunk.copy(bytes, keep);
    this.length = keep + chunk.length;
  }

  text(): string {
    return this.bytes.toString('latin1', 0, this.length);
  }
}

function writeHead(res: ServerResponse, proxyRes: IncomingMessage, head: string[]): void {
  const status = proxyRes.statusCode ?? 502;
  if (proxyRes.statusMessage) res.writeHead(status, proxyRes.statusMessage, head);
  else res.writeHead(status, head);
}
