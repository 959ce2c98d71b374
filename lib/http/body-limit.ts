// Body-size gate by Content-Length, before auth: a huge upload is refused before anything reads it.
import type { RequestHandler } from 'express';
import { GatewayError } from './errors.js';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

export function bodyLimit({ maxBytes }: { maxBytes: number }): RequestHandler {
  return function bodyLimit(req, _res, next) {
    if (!WITH_BODY.has(req.method)) return next();
    const header = req.get('content-length');
    if (header === undefined) return next(); // chunked: the JSON parser enforces the limit while reading
    if (!/^\d{1,16}$/.test(header.trim())) throw GatewayError.invalidContentLength();
    if (Number(header) > maxBytes) throw GatewayError.bodyTooLarge(maxBytes);
    next();
  };
}
