// X-Request-Id: take a sane client id or make one, echo it, and open the request context.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { initRequestContext } from './request-context.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(): RequestHandler {
  return function requestId(req, res, next) {
    const given = req.get('x-request-id');
    const id = given && SAFE_ID.test(given) ? given : randomUUID();
    res.set('X-Request-Id', id);
    const gone = new AbortController();
    // The client left before we finished: let handlers cancel agent work.
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    initRequestContext(res, {
      requestId: id,
      keyName: null,
      keyHash: null,
      allowedModels: null,
      operationId: null,
      signal: gone.signal,
    });
    next();
  };
}
