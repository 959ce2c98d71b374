// Header rules for forwarding: what leaves for the upstream and what comes back to the client. Pure functions.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1 connection-specific fields, plus the proxy-* ones no end-to-end peer should see. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Headers the gateway owns on its own answers: an upstream's copy never replaces them. */
const GATEWAY_OWNED = new Set([
  'content-security-policy',
  'permissions-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'x-xss-protection',
  'referrer-policy',
  'x-request-id',
]);

const RATE_LIMIT_HEADERS = [
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
];

/**
 * Names a `Connection` header lists are hop-by-hop too (RFC 9110 §7.6.1); null when it lists none beyond HOP_BY_HOP
 * (no header, or the everyday `keep-alive`).
 */
function connectionListed(value: string | string[] | number | undefined): Set<string> | null {
  if (value === undefined || value === 'keep-alive' || value === 'Keep-Alive') return null;
  const names = String(value)
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  return new Set(names);
}

export interface OutgoingHeaderOptions {
  /** Upstream bearer key; absent = the request goes without Authorization. */
  key: string | null;
  requestId: string;
  extra: Readonly<Record<string, string>>;
  /** A streaming request: ask for an identity body so chunks pass through as they come. */
  streaming: boolean;
  /** The body is replaced by these many bytes of JSON (parsed, maybe rewritten); absent = the client's body as is. */
  bodyLength?: number;
}

/**
 * The headers to send upstream, from the client's: the client's Authorization never leaves the gateway, hop-by-hop
 * fields stay behind, Host becomes the upstream's (left to node:http), then the upstream key, X-Request-Id and the
 * configured extra headers.
 */
export function outgoingHeaders(
  headers: IncomingHttpHeaders,
  { key, requestId, extra, streaming, bodyLength }: OutgoingHeaderOptions,
): OutgoingHttpHeaders {
  const listed = connectionListed(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (name === 'authorization' || name === 'host' || HOP_BY_HOP.has(name) || listed?.has(name)) continue;
    if (streaming && name === 'accept-encoding') continue;
    out[name] = headers[name];
  }
  if (bodyLength !== undefined) {
    out['content-type'] = 'application/json';
    out['content-length'] = String(bodyLength);
  }
  for (const name in extra) out[name.toLowerCase()] = extra[name];
  out['x-request-id'] = requestId;
  if (key) out.authorization = `Bearer ${key}`;
  return out;
}

/** The gateway's response (a ServerResponse will do): the headers already on it (CORS, security, rate limits, id). */
export interface ResponseHeaderOptions {
  hasHeader(name: string): boolean;
}

/**
 * The upstream response headers to copy onto the client response: hop-by-hop ones dropped, CORS and the gateway's
 * own headers kept as the gateway set them, the upstream's request id renamed to x-upstream-request-id.
 */
export function responseHeadersToCopy(
  headers: IncomingHttpHeaders,
  response: ResponseHeaderOptions,
): OutgoingHttpHeaders {
  const drop = connectionListed(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || drop?.has(name)) continue;
    if (name.startsWith('access-control-')) continue; // the gateway's CORS policy, never the upstream's
    if (name === 'x-request-id') {
      out['x-upstream-request-id'] = value;
      continue;
    }
    if (GATEWAY_OWNED.has(name)) continue;
    if (RATE_LIMIT_HEADERS.includes(name) && response.hasHeader(name)) continue; // a limited key sees the gateway's limits
    out[name] = value;
  }
  return out;
}

export function isEventStream(contentType: string | undefined): boolean {
  return contentType !== undefined && /^text\/event-stream\b/i.test(contentType);
}

export function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/([\w.+-]+\+)?json\b/i.test(contentType);
}
