// X-Request-Id: take a sane client id or make one, echo it, and open the request context.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  initRequestContext,
  OpenedRequestContext,
  type RequestContext,
  type StreamCounter,
} from './request-context.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The one place a request's context is opened; its id goes out in X-Request-Id with the gateway head. */
export function openRequestContext(
  req: IncomingMessage,
  res: ServerResponse,
  streams: StreamCounter | null = null,
): RequestContext {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  const ctx = new OpenedRequestContext(id, res, streams);
  initRequestContext(res, ctx);
  return ctx;
}
