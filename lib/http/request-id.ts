// X-Request-Id: take a sane client id or make one, echo it, and open the request context.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { initRequestContext, type RequestContext } from './request-context.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Used by the middleware and by the proxy fast path: the one place a request's context is opened. */
export function openRequestContext(req: IncomingMessage, res: ServerResponse): RequestContext {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  // The client left before we finished: let handlers cancel agent work. The controller (and its listener on the
  // response) is made the first time a handler asks for the signal: most requests never do.
  let gone: AbortController | null = null;
  const ctx: RequestContext = {
    requestId: id,
    keyName: null,
    keyHash: null,
    allowedModels: null,
    operationId: null,
    get signal() {
      if (gone) return gone.signal;
      const controller = new AbortController();
      gone = controller;
      if (res.closed) {
        if (!res.writableFinished) controller.abort(); // it left already
      } else {
        res.once('close', () => {
          if (!res.writableFinished) controller.abort();
        });
      }
      return controller.signal;
    },
  };
  initRequestContext(res, ctx);
  return ctx;
}

export function requestId(): RequestHandler {
  return function requestId(req, res, next) {
    openRequestContext(req, res);
    next();
  };
}
