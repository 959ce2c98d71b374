// Header rules for forwarding: what leaves for the upstream and what comes back to the client. Pure functions over
// node's raw header lists (name, value, name, value…): the wire's own spelling is kept, and no header object is
// built per request on either side (node:http takes such a list whole, without a setHeader per field).
import type { IncomingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1 connection-specific fields, plus the proxy-* ones no end-to-end peer should see. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
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

const RATE_LIMIT_HEADERS = new Set([
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
]);

/** A raw header list as node gives it (`IncomingMessage.rawHeaders`) and takes it (`writeHead`, `request`). */
export type RawHeaders = readonly string[];

/** The first value of a header in a raw list (names compared case-insensitively), or undefined. */
export function rawHeader(raw: RawHeaders, name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === name.length && raw[i].toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

/**
 * Names a `Connection` header lists are hop-by-hop too (RFC 9110 §7.6.1); null when it lists none beyond HOP_BY_HOP
 * (no header, or the everyday `keep-alive`).
 */
function connectionListed(value: string | undefined): Set<string> | null {
  if (value === undefined || value.toLowerCase() === 'keep-alive' || value.toLowerCase() === 'close') return null;
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  return new Set(names);
}

export interface OutgoingHeaderOptions {
  /** `host[:port]` of the upstream. */
  host: string;
  /** Upstream bearer key; absent = the request goes without Authorization. */
  key: string | null;
  requestId: string;
  /** Configured extra headers, lower-cased names. */
  extra: Readonly<Record<string, string>>;
  /** A streaming request: ask for an identity body so chunks pass through as they come. */
  streaming: boolean;
  /** The body is replaced by these many bytes of JSON (parsed, maybe rewritten); absent = the client's body as is. */
  bodyLength?: number;
  /**
   * The replacing bytes are the client's own body in its own type (read by middleware in front of the gateway), not
   * JSON the gateway wrote: its Content-Type stays. Either way the bytes are decoded (no Content-Encoding).
   */
  keepType?: boolean;
}

/**
 * The headers to send upstream, from the client's: the client's Authorization never leaves the gateway, hop-by-hop
 * fields stay behind, Host becomes the upstream's, then the upstream key, X-Request-Id and the configured extra
 * headers (each replacing a client header of that name).
 */
export function outgoingHeaders(raw: RawHeaders, options: OutgoingHeaderOptions): string[] {
  const { host, key, requestId, extra, streaming, bodyLength, keepType = false } = options;
  const listed = connectionListed(rawHeader(raw, 'connection'));
  const replacesBody = bodyLength !== undefined;
  const out: string[] = ['Host', host];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name === 'authorization' || name === 'host' || name === 'x-request-id' || HOP_BY_HOP.has(name)) continue;
    if (name === 'expect') continue; // 100-continue was answered by the gateway's own server
    if (listed?.has(name) || Object.hasOwn(extra, name)) continue;
    if (replacesBody && (name === 'content-length' || name === 'content-encoding')) continue;
    if (replacesBody && name === 'content-type' && !keepType) continue;
    if (streaming && name === 'accept-encoding') continue;
    out.push(raw[i], raw[i + 1]);
  }
  if (replacesBody && !keepType) out.push('Content-Type', 'application/json');
  if (replacesBody) out.push('Content-Length', String(bodyLength));
  for (const name in extra) out.push(name, extra[name]);
  out.push('X-Request-Id', requestId);
  if (key) out.push('Authorization', `Bearer ${key}`);
  return out;
}

/** The gateway's response (a ServerResponse will do): the headers already on it (CORS, rate limits). */
export interface ResponseHeaderOptions {
  getHeader(name: string): number | string | string[] | undefined;
}

/**
 * The upstream response headers for the client, appended to `out`: hop-by-hop ones dropped, CORS and the gateway's
 * own headers kept as the gateway set them, the upstream's request id renamed to x-upstream-request-id, a Vary the
 * gateway set (CORS) merged with the upstream's.
 */
export function responseHeadersToCopy(raw: RawHeaders, response: ResponseHeaderOptions, out: string[]): string[] {
  const drop = connectionListed(rawHeader(raw, 'connection'));
  let ours = response.getHeader('vary'); // merged into the upstream's first Vary
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = raw[i + 1];
    if (HOP_BY_HOP.has(name) || drop?.has(name)) continue;
    if (name.startsWith('access-control-')) continue; // the gateway's CORS policy, never the upstream's
    if (name === 'x-request-id') {
      out.push('x-upstream-request-id', value);
      continue;
    }
    if (GATEWAY_OWNED.has(name)) continue;
    if (RATE_LIMIT_HEADERS.has(name) && response.getHeader(name) !== undefined) continue; // the gateway's limits
    if (name === 'vary' && ours !== undefined) {
      out.push(raw[i], `${ours}, ${value}`);
      ours = undefined;
      continue;
    }
    out.push(raw[i], value);
  }
  return out;
}

/** Whether a request carries a body (a length above zero, or chunked). */
export function hasBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function isEventStream(contentType: string | undefined): boolean {
  return contentType !== undefined && /^text\/event-stream\b/i.test(contentType);
}

export function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/([\w.+-]+\+)?json\b/i.test(contentType);
}
