// Security headers on every response (errors and SSE included): set before anything is written.
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

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

/** Used by the middleware and by the proxy fast path alike. */
export function applySecurityHeaders(res: ServerResponse): void {
  for (let i = 0; i < NAMES.length; i++) res.setHeader(NAMES[i], VALUES[i]);
}

/**
 * The same headers as a fresh raw list (name, value…) with X-Request-Id, for a response head written in one
 * `writeHead` (the proxy fast path): node then validates the list once instead of a setHeader per field.
 */
export function securityHead(requestId: string): string[] {
  const head: string[] = [];
  for (let i = 0; i < NAMES.length; i++) head.push(NAMES[i], VALUES[i]);
  head.push('X-Request-Id', requestId);
  return head;
}

export function securityHeaders(): RequestHandler {
  return function securityHeaders(_req, res, next) {
    applySecurityHeaders(res);
    next();
  };
}
