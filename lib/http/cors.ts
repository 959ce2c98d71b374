// CORS gate: a disallowed Origin gets 403 with an empty body on every route; preflights never need auth.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

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

/** `pass`: go on (CORS headers set when there is an Origin); `refuse`: answer 403, empty; `preflight`: answer 200. */
export type CorsVerdict = 'pass' | 'refuse' | 'preflight';

const STAINLESS = /^x-stainless-[a-z0-9-]+$/i;

/** The CORS rules as one function, compiled once from the allowed origins. Sets the headers it decides. */
export function corsPolicy({ origins }: CorsOptions) {
  const any = origins.includes('*');
  const allowed = new Set(origins.map((o) => o.replace(/\/$/, '')));
  const expose = CORS_EXPOSE_HEADERS.join(', ');

  return function checkCors(
    res: ServerResponse,
    method: string | undefined,
    origin: string | undefined,
    requestedHeaders: string | undefined,
  ): CorsVerdict {
    const preflight = method === 'OPTIONS';
    // Non-browser client. A preflight without Origin is not a CORS request we can answer.
    if (origin === undefined) return preflight ? 'refuse' : 'pass';
    if (!any && !allowed.has(origin)) return 'refuse';

    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    if (!any) res.setHeader('Vary', 'Origin'); // first Vary of the response: nothing set one before CORS
    res.setHeader('Access-Control-Expose-Headers', expose);
    if (!preflight) return 'pass';

    // Also echo x-stainless-* and any other header the SDKs ask for that we know of.
    const requested = (requestedHeaders ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter((h) => STAINLESS.test(h));
    res.setHeader('Access-Control-Allow-Methods', CORS_ALLOW_METHODS);
    res.setHeader('Access-Control-Allow-Headers', [...CORS_ALLOW_HEADERS, ...requested].join(', '));
    res.setHeader('Access-Control-Max-Age', '600');
    return 'preflight';
  };
}

/**
 * The Origin a request is checked by: none when a page of this gateway itself sent it (the web console), i.e. its
 * Origin names the host the request was sent to. Browsers send Origin on same-origin POST, PATCH and DELETE too; such
 * a request is not a CORS request, so it needs no configured origin and gets no CORS header. The key is still
 * required: a page elsewhere cannot forge Origin, and a client that can forge it has no need of CORS.
 */
export function crossOrigin(headers: IncomingHttpHeaders): string | undefined {
  const { origin, host } = headers;
  if (origin === undefined || host === undefined || !/^https?:\/\//.test(origin)) return origin;
  try {
    return new URL(origin).host === host.toLowerCase() ? undefined : origin;
  } catch {
    return origin; // not a URL: a cross-origin request like any other
  }
}

/** Ends the response for a verdict that answers the request itself. */
export function answerCors(res: ServerResponse, verdict: Exclude<CorsVerdict, 'pass'>): void {
  res.statusCode = verdict === 'refuse' ? 403 : 200;
  res.end();
}
