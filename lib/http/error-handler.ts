// The one place an error becomes a response: the error envelope, never a stack trace.
import type { ServerResponse } from 'node:http';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { isStoreConnectionError } from '../store/keyv.js';
import type { RequestContext } from './request-context.js';
import type { ResponseChecker } from './response-check.js';
import { applyGatewayHead } from './security-headers.js';
import { writeJson } from './write-json.js';

/** Logs the failure and picks the answer: a GatewayError as it is, a client error as a 4xx, anything else a 500. */
export function errorReply(error: unknown, logger: Logger, requestId: string): GatewayError {
  const known = asGatewayError(error);
  if (!known) logger.error({ err: error, requestId }, 'unhandled error');
  else if (known.status >= 500) logger.warn({ code: known.code, detail: known.message, requestId }, 'request failed');
  return known ?? GatewayError.internal(requestId);
}

/** The envelope on a raw response. */
export function writeEnvelope(res: ServerResponse, reply: GatewayError): void {
  writeJson(res, reply.status, reply.toEnvelope(), reply.headers);
}

/**
 * Answers a failed request, whoever failed it (a gate, the forwarder, an operation handler). Once a stream's head
 * is out, the error travels inside the stream; all that is left here is to end it.
 */
export function errorResponder(logger: Logger, check: ResponseChecker | null) {
  return function answerError(res: ServerResponse, ctx: RequestContext, error: unknown): void {
    const reply = errorReply(error, logger, ctx.requestId);
    ctx.code ??= reply.code ?? reply.type; // the access log says why
    if (res.headersSent) return void (res.writableEnded ? undefined : res.end());
    applyGatewayHead(res, ctx.requestId);
    check?.(ctx.operationId, reply.status, reply.toEnvelope());
    writeEnvelope(res, reply);
  };
}

function asGatewayError(error: unknown): GatewayError | null {
  if (error instanceof GatewayError) return error;
  // A store call that no repository wrapped (the Redis client rejects at once while disconnected): still a 503.
  if (isStoreConnectionError(error)) return GatewayError.storeUnavailable((error as Error).message);
  // body-parser style errors carry an HTTP status and are safe to expose as a client error.
  const status = (error as { status?: number })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new GatewayError(status, 'invalid_request_error', 'invalid_request', (error as Error).message);
  }
  return null;
}
