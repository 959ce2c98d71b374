// Security headers on every response (errors and SSE included): set before anything is written.
import type { ServerResponse } from 'node:http';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'X-XSS-Protection': '0',
  'Referrer-Policy': 'no-referrer',
};

const NAMES = Object.keys(SECURITY_HEADERS);
const VALUES = Object.values(SECURITY_HEADERS);

/**
 * The gateway head (security headers and X-Request-Id) on a response the gateway writes itself. Decided by the
 * first gate for every request; written with the answer, so a forwarded answer takes it as a raw list instead
 * (`securityHead`) in the one writeHead that also carries the upstream's headers.
 */
export function applyGatewayHead(res: ServerResponse, requestId: string): void {
  for (let i = 0; i < NAMES.length; i++) res.setHeader(NAMES[i], VALUES[i]);
  res.setHeader('X-Request-Id', requestId);
}

/**
 * The same headers as a fresh raw list (name, value…) with X-Request-Id, for a response head written in one
 * `writeHead` (a forwarded answer): node then validates the list once instead of a setHeader per field.
 */
export function securityHead(requestId: string): string[] {
  const head: string[] = [];
  for (let i = 0; i < NAMES.length; i++) head.push(NAMES[i], VALUES[i]);
  head.push('X-Request-Id', requestId);
  return head;
}
