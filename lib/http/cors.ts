// CORS gate: a disallowed Origin gets 403 with an empty body on every route; preflights never need auth.
import type { RequestHandler } from 'express';

export const CORS_ALLOW_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
export const CORS_ALLOW_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Hermes-Session-Id',
  'X-Hermes-Session-Key',
  'Last-Event-ID',
  'X-Request-Id',
];
export const CORS_EXPOSE_HEADERS = [
  'X-Hermes-Session-Id',
  'X-Hermes-Session-Key',
  'Idempotency-Replayed',
  'Retry-After',
  'X-Request-Id',
  'X-Hermes-Completed',
  'X-Hermes-Partial',
  'X-Hermes-Error',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
];

export interface CorsOptions {
  origins: readonly string[];
}

export function cors({ origins }: CorsOptions): RequestHandler {
  const any = origins.includes('*');
  const allowed = new Set(origins.map((o) => o.replace(/\/$/, '')));

  return function cors(req, res, next) {
    const origin = req.get('origin');
    const preflight = req.method === 'OPTIONS';
    if (origin === undefined) {
      // Non-browser client. A preflight without Origin is not a CORS request we can answer.
      if (preflight) return void res.status(403).end();
      return next();
    }
    if (!any && !allowed.has(origin)) return void res.status(403).end();

    res.set('Access-Control-Allow-Origin', any ? '*' : origin);
    if (!any) res.vary('Origin');
    res.set('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS.join(', '));
    if (!preflight) return next();

    // Also echo x-stainless-* and any other header the SDKs ask for that we know of.
    const requested = (req.get('access-control-request-headers') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => /^x-stainless-[a-z0-9-]+$/i.test(h));
    res.set({
      'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
      'Access-Control-Allow-Headers': [...CORS_ALLOW_HEADERS, ...requested].join(', '),
      'Access-Control-Max-Age': '600',
    });
    res.status(200).end();
  };
}
