// X-Request-Id: take a sane client id or make one, echo it, and open the request context.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { initRequestContext, OpenedRequestContext, type RequestContext } from './request-context.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Used by the middleware and by the proxy fast path: the one place a request's context is opened. The id is echoed
 * in X-Request-Id here unless the caller writes it with the rest of its head (`echo: false`).
 */
export function openRequestContext(req: IncomingMessage, res: ServerResponse, echo = true): RequestContext {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  if (echo) res.setHeader('X-Request-Id', id);
  const ctx = new OpenedRequestContext(id, res);
  initRequestContext(res, ctx);
  return ctx;
}

export function requestId(): RequestHandler {
  return function requestId(req, res, next) {
    openRequestContext(req, res);
    next();
  };
}
