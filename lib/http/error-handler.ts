// The one place an error becomes a response body: the error envelope, never a stack trace.
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../log.js';
import { GatewayError } from './errors.js';
import { requestContext } from './request-context.js';

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return function errorHandler(error, _req, res, _next) {
    const ctx = res.locals.gatewayContext ? requestContext(res) : null;
    const requestId = ctx?.requestId ?? 'unknown';
    const known = asGatewayError(error);
    if (!known) logger.error({ err: error, requestId }, 'unhandled error');
    else if (known.status >= 500) logger.warn({ code: known.code, msg: known.message, requestId }, 'request failed');
    // Once SSE headers are out, the error travels inside the stream; all we can do here is end it.
    if (res.headersSent) return void (res.writableEnded ? undefined : res.end());
    const reply = known ?? GatewayError.internal(requestId);
    res.status(reply.status).set(reply.headers).json(reply.toEnvelope());
  };
}

function asGatewayError(error: unknown): GatewayError | null {
  if (error instanceof GatewayError) return error;
  // body-parser style errors carry an HTTP status and are safe to expose as a client error.
  const status = (error as { status?: number })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new GatewayError(status, 'invalid_request_error', 'invalid_request', (error as Error).message);
  }
  return null;
}
