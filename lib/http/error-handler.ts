// The one place an error becomes a response body: the error envelope, never a stack trace.
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../log.js';
import { GatewayError } from '../errors.js';
import { openedContext } from './request-context.js';

/** Logs the failure and picks the answer: a GatewayError as it is, a client error as a 4xx, anything else a 500. */
export function errorReply(error: unknown, logger: Logger, requestId: string): GatewayError {
  const known = asGatewayError(error);
  if (!known) logger.error({ err: error, requestId }, 'unhandled error');
  else if (known.status >= 500) logger.warn({ code: known.code, msg: known.message, requestId }, 'request failed');
  return known ?? GatewayError.internal(requestId);
}

/** The envelope on a raw response (the proxy fast path): the bytes and headers express's res.json would send. */
export function writeEnvelope(res: ServerResponse, reply: GatewayError): void {
  const body = JSON.stringify(reply.toEnvelope());
  res.statusCode = reply.status;
  for (const name in reply.headers) res.setHeader(name, reply.headers[name]);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return function errorHandler(error, _req, res, _next) {
    const reply = errorReply(error, logger, openedContext(res)?.requestId ?? 'unknown');
    // Once SSE headers are out, the error travels inside the stream; all we can do here is end it.
    if (res.headersSent) return void (res.writableEnded ? undefined : res.end());
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
