// Forwarding a request to another gateway instance (the owner of a conversation's live agent session, issue 18):
// the client's request as it was made to us — its key, its headers, its (parsed) body — to the owner's advertised
// URL, marked with a proof of the instances' shared secret; the owner's answer relayed as it comes, byte for byte,
// streams included; a client that leaves aborts the peer request. The owner acknowledges a forwarded request at
// once with `102 Processing` (its final answer waits for the turn), so "does not answer in time" is a connect and
// acknowledgement timeout, never a turn's length. Knows no operation and no session: the api layer decides.
//
// The secret never leaves the instances: requests carry an HMAC of it (bound to a timestamp and the request id),
// never the secret itself, and the proof header is dropped from anything relayed back.
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { HOP_BY_HOP } from '../proxy/forward-headers.js';

/** Carries the proof that a request comes from a gateway instance: `<unix ms>.<hex HMAC-SHA256>`. */
export const FORWARDED_HEADER = 'x-agent-gateway-forwarded';

/** How far a proof's timestamp may be from this instance's clock (instances keep NTP time). */
const PROOF_WINDOW_MS = 5 * 60_000;

/** Request headers the forwarder writes itself (the body is re-encoded as JSON). */
const REWRITTEN = new Set([
  'host',
  'content-length',
  'content-encoding',
  'content-type',
  'expect',
  'x-request-id',
  FORWARDED_HEADER,
]);

/** Why a peer could not be used: the caller takes the conversation over. */
export type PeerFailure =
  /** The connection failed (refused, reset, unknown host): the owner is gone. */
  | 'unreachable'
  /** Connected, but no acknowledgement within the timeout: the owner is stuck. */
  | 'timeout'
  /** It answered 503 before acknowledging (draining): it will not run the turn. */
  | 'refused';

export type PeerOutcome =
  /** The owner answered and its answer went to the client (or the client left: the peer request was aborted). */
  | { kind: 'relayed'; status: number }
  /** The owner did not take the request: nothing was sent to the client. */
  | { kind: 'failed'; reason: PeerFailure; detail: string }
  /** The owner acknowledged, then went away before its answer ended; the client's response may be cut. */
  | { kind: 'lost'; detail: string };

export interface PeerForwarderOptions {
  /** The instances' shared secret (instances.internalSecret). */
  secret: string;
  /** How long the owner may take to accept the connection and acknowledge the request. */
  timeoutMs: number;
  now?: () => number;
}

export interface PeerRequest {
  /** The owner's advertised base URL. */
  url: string;
  /** The request body as the handler received it (validated), sent as JSON. */
  body: unknown;
  /** The request's id: the owner logs the forwarded request under the same one. */
  requestId: string;
  /** Aborts when the client leaves. */
  signal: AbortSignal;
}

/** The forwarding side and the receiving side of instance-to-instance requests. */
export interface PeerForwarding {
  /** Whether the request came from another instance (a valid proof of the secret). */
  isForwarded(headers: IncomingHttpHeaders): boolean;
  /**
   * Whether a forwarded request arrives after its sender stopped waiting for the acknowledgement (this instance was
   * stopped or stalled): the sender runs the turn itself, so it must not run here too.
   */
  isLate(headers: IncomingHttpHeaders): boolean;
  /** Tells the forwarding instance the request is taken (102 Processing); its answer follows when the turn ends. */
  acknowledge(res: ServerResponse): void;
  /** Forwards the request to `peer.url` and relays the answer; resolves when it is over. Never rejects. */
  forward(req: IncomingMessage, res: ServerResponse, peer: PeerRequest): Promise<PeerOutcome>;
  close(): void;
}

class AcknowledgementTimeout extends Error {}

export class PeerForwarder implements PeerForwarding {
  // Pooled keep-alive connections to the peers (one pool per host and port inside each agent).
  private readonly http = new HttpAgent({ keepAlive: true, scheduling: 'lifo' });
  private readonly https = new HttpsAgent({ keepAlive: true, scheduling: 'lifo' });
  private readonly now: () => number;

  constructor(private readonly options: PeerForwarderOptions) {
    this.now = options.now ?? Date.now;
  }

  isForwarded(headers: IncomingHttpHeaders): boolean {
    const proof = headers[FORWARDED_HEADER];
    const requestId = headers['x-request-id'];
    if (typeof proof !== 'string' || typeof requestId !== 'string') return false;
    const at = sentAt(proof);
    if (at === null || Math.abs(this.now() - at) > PROOF_WINDOW_MS) return false;
    const given = Buffer.from(proof.slice(proof.indexOf('.') + 1), 'hex');
    const expected = sign(this.options.secret, at, requestId);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  isLate(headers: IncomingHttpHeaders): boolean {
    const proof = headers[FORWARDED_HEADER];
    const at = typeof proof === 'string' ? sentAt(proof) : null;
    // Instances keep their clocks in sync (NTP): a skew of a few ms against a timeout of seconds.
    return at !== null && this.now() - at > this.options.timeoutMs;
  }

  acknowledge(res: ServerResponse): void {
    if (!res.headersSent) res.writeProcessing();
  }

  forward(req: IncomingMessage, res: ServerResponse, peer: PeerRequest): Promise<PeerOutcome> {
    const base = new URL(peer.url);
    const https = base.protocol === 'https:';
    const carrier = req as IncomingMessage & { originalUrl?: string };
    // The path as the client sent it to this gateway (a profile's `/p/<name>` and a mount prefix included).
    const path = base.pathname.replace(/\/+$/, '') + (carrier.originalUrl ?? req.url ?? '/');
    const body = peer.body === undefined ? null : Buffer.from(JSON.stringify(peer.body));
    const headers = this.requestHeaders(req, base.host, peer.requestId, body);
    const options = {
      protocol: base.protocol,
      hostname: base.hostname.replace(/^\[|\]$/g, ''),
      port: base.port || (https ? 443 : 80),
      method: req.method ?? 'POST',
      path,
      headers,
      agent: https ? this.https : this.http,
    };
    return new Promise<PeerOutcome>((resolve) => {
      const attempt = (retried: boolean) => {
        let acknowledged = false;
        const out: ClientRequest = (https ? httpsRequest : httpRequest)(options);
        const timer = setTimeout(
          () => out.destroy(new AcknowledgementTimeout(`no acknowledgement within ${this.options.timeoutMs} ms`)),
          this.options.timeoutMs,
        );
        const settle = (outcome: PeerOutcome) => {
          clearTimeout(timer);
          peer.signal.removeEventListener('abort', onAbort);
          resolve(outcome);
        };
        // The client left: so does the peer request (the owner sees its client gone and cancels the turn).
        const onAbort = () => {
          out.destroy();
          settle({ kind: 'relayed', status: 499 });
        };
        peer.signal.addEventListener('abort', onAbort, { once: true });
        out.on('information', () => {
          acknowledged = true;
          clearTimeout(timer);
        });
        out.on('response', (incoming) => {
          clearTimeout(timer);
          const status = incoming.statusCode ?? 502;
          // A 503 before any acknowledgement: the owner refused at its door (draining) and runs nothing.
          if (!acknowledged && status === 503) {
            incoming.resume();
            return settle({ kind: 'failed', reason: 'refused', detail: 'the owner answered 503' });
          }
          acknowledged = true;
          void this.relay(incoming, res, status, peer.signal).then(settle);
        });
        out.on('error', (error: NodeJS.ErrnoException) => {
          if (peer.signal.aborted) return settle({ kind: 'relayed', status: 499 }); // the client left first
          if (acknowledged) {
            if (res.headersSent) res.destroy();
            return settle({ kind: 'lost', detail: error.message });
          }
          // A pooled connection the peer had closed meanwhile: once more on a fresh one (node's documented pattern).
          if (out.reusedSocket && !retried && error.code === 'ECONNRESET') {
            clearTimeout(timer);
            peer.signal.removeEventListener('abort', onAbort);
            return attempt(true);
          }
          const reason = error instanceof AcknowledgementTimeout ? 'timeout' : 'unreachable';
          settle({ kind: 'failed', reason, detail: error.message });
        });
        out.end(body ?? undefined);
      };
      if (peer.signal.aborted) return resolve({ kind: 'relayed', status: 499 });
      attempt(false);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }

  /** The owner's status, headers and bytes, as they come; a client that leaves destroys the peer response. */
  private async relay(
    incoming: IncomingMessage,
    res: ServerResponse,
    status: number,
    gone: AbortSignal,
  ): Promise<PeerOutcome> {
    const raw = incoming.rawHeaders;
    const listed = connectionListed(incoming.headers.connection);
    const values = new Map<string, { name: string; values: string[] }>();
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toLowerCase();
      if (HOP_BY_HOP.has(name) || listed.has(name) || name === FORWARDED_HEADER) continue;
      const entry = values.get(name);
      if (entry) entry.values.push(raw[i + 1]);
      else values.set(name, { name: raw[i], values: [raw[i + 1]] });
    }
    // The owner's head replaces the one this instance set (the same gateway head: security headers, request id).
    for (const { name, values: list } of values.values()) res.setHeader(name, list.length === 1 ? list[0] : list);
    res.writeHead(status, incoming.statusMessage);
    res.flushHeaders();
    try {
      await pipeline(incoming, res);
      return { kind: 'relayed', status };
    } catch (error) {
      // The client left: pipeline destroyed the peer response, which aborts the owner's turn.
      if (gone.aborted) return { kind: 'relayed', status };
      res.destroy(); // the owner went away mid-answer: the client sees its response cut, as from the owner itself
      return { kind: 'lost', detail: (error as Error).message };
    }
  }

  private requestHeaders(
    req: IncomingMessage,
    host: string,
    requestId: string,
    body: Buffer | null,
  ): OutgoingHttpHeaders {
    const listed = connectionListed(req.headers.connection);
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name) || REWRITTEN.has(name) || listed.has(name)) continue;
      headers[name] = value;
    }
    headers.host = host;
    headers['x-request-id'] = requestId;
    headers[FORWARDED_HEADER] = forwardProof(this.options.secret, this.now(), requestId);
    if (body) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(body.length);
    }
    return headers;
  }
}

/** The FORWARDED_HEADER value for a request of id `requestId` sent at `at` (unix ms). */
export function forwardProof(secret: string, at: number, requestId: string): string {
  return `${at}.${sign(secret, at, requestId).toString('hex')}`;
}

/** When the proof says its request was sent (unix ms), or null for a malformed proof. */
function sentAt(proof: string): number | null {
  const dot = proof.indexOf('.');
  const at = Number(proof.slice(0, dot));
  return dot > 0 && Number.isSafeInteger(at) ? at : null;
}

function sign(secret: string, at: number, requestId: string): Buffer {
  return createHmac('sha256', secret).update(`${at}\n${requestId}`, 'utf8').digest();
}

/** Names a `Connection` header lists: hop-by-hop as well (RFC 9110 §7.6.1). */
function connectionListed(value: string | undefined): Set<string> {
  if (!value) return new Set();
  return new Set(
    value
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}
