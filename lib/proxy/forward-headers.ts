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

/** Names a `Connection` header lists are hop-by-hop too (RFC 9110 §7.6.1). */
function connectionListed(value: string | string[] | number | undefined): string[] {
  if (value === undefined) return [];
  return String(value)
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
}

export interface OutgoingHeaderOptions {
  /** Upstream bearer key; absent = the request goes without Authorization. */
  key: string | null;
  requestId: string;
  extra: Readonly<Record<string, string>>;
  /** A streaming request: ask for an identity body so chunks pass through as they come. */
  streaming: boolean;
}

/**
 * The changes to make to the request headers http-proxy copied from the client: names to remove and values to set.
 * The client's Authorization never leaves the gateway.
 */
export function outgoingHeaderChanges(
  headers: IncomingHttpHeaders,
  { key, requestId, extra, streaming }: OutgoingHeaderOptions,
): { remove: string[]; set: Record<string, string> } {
  const remove = new Set<string>(['authorization', ...connectionListed(headers.connection)]);
  for (const name of Object.keys(headers)) if (HOP_BY_HOP.has(name)) remove.add(name);
  if (streaming) remove.add('accept-encoding');
  const set: Record<string, string> = { ...extra, 'x-request-id': requestId };
  if (key) set.authorization = `Bearer ${key}`;
  for (const name of Object.keys(set)) remove.delete(name.toLowerCase());
  return { remove: [...remove], set };
}

export interface ResponseHeaderOptions {
  /** Headers already on the gateway's response (CORS, security, rate limits, request id). */
  has(name: string): boolean;
}

/**
 * The upstream response headers to copy onto the client response: hop-by-hop ones dropped, CORS and the gateway's
 * own headers kept as the gateway set them, the upstream's request id renamed to x-upstream-request-id.
 */
export function responseHeadersToCopy(
  headers: IncomingHttpHeaders,
  { has }: ResponseHeaderOptions,
): OutgoingHttpHeaders {
  const drop = new Set(connectionListed(headers.connection));
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || drop.has(name)) continue;
    if (name.startsWith('access-control-')) continue; // the gateway's CORS policy, never the upstream's
    if (name === 'x-request-id') {
      out['x-upstream-request-id'] = value;
      continue;
    }
    if (GATEWAY_OWNED.has(name)) continue;
    if (RATE_LIMIT_HEADERS.includes(name) && has(name)) continue; // a limited key sees the gateway's limits
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
