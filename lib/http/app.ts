// The middleware order, and nothing else. Each step may answer with the status in its comment.
import express, { type RequestHandler } from 'express';
import type { Logger } from '../log.js';
import { type ApiKeyEntry, bearerAuth } from './bearer-auth.js';
import { bodyLimit } from './body-limit.js';
import type { Contract } from './contract.js';
import { cors } from './cors.js';
import { errorHandler } from './error-handler.js';
import { GatewayError } from '../errors.js';
import { jsonBody } from './json-body.js';
import { dispatch, matchRoute, type OperationHandler } from './operation.js';
import { openedContext, type RequestGate, requestContext } from './request-context.js';
import { requestId } from './request-id.js';
import { type ResponseViolation, responseAudit } from './response-check.js';
import { securityHeaders } from './security-headers.js';
import { compileRequestValidators, type RequestValidator } from './validate.js';

export interface AppOptions {
  contract: Contract;
  handlers: Readonly<Record<string, OperationHandler>>;
  keys: readonly ApiKeyEntry[];
  corsOrigins: readonly string[];
  bodyLimitBytes: number;
  logger: Logger;
  isDraining(): boolean;
  /** Per-key rate limits and similar gates that run after auth (the proxy fast path runs the same list). */
  afterAuth?: RequestGate[];
  /** The request validators, when the caller compiled them (to share them with the proxy fast path). */
  validators?: Map<string, RequestValidator>;
  /** Serves requests no operation matches (proxy mode). */
  fallback?: RequestHandler;
  /** Test mode: report JSON bodies that do not match the contract. */
  onResponseViolation?: (violation: ResponseViolation) => void;
}

export function createApp(options: AppOptions): express.Express {
  const { contract } = options;
  const publicPaths = new Set(contract.operations.filter((op) => op.isPublic).map((op) => op.path));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  if (options.onResponseViolation) app.use(responseAudit(contract, options.onResponseViolation));
  // The gates, in order. The proxy fast path (lib/proxy/fast-path.ts) runs the same rules, through the same
  // functions, on the requests it serves; one it hands on arrives with its context open and skips them here.
  const gates = express.Router();
  gates.use(requestId()); //                        echoes X-Request-Id
  gates.use(securityHeaders()); //                  first, so every answer below carries them
  gates.use(cors({ origins: options.corsOrigins })); // 403 disallowed Origin (empty body); 200 preflight
  gates.use(bodyLimit({ maxBytes: options.bodyLimitBytes })); // 413 body_too_large, 400 invalid_content_length
  gates.use(bearerAuth({ keys: options.keys, isPublic: (path) => publicPaths.has(path) })); // 401
  gates.use(drainGate(options.isDraining, publicPaths)); // 503 gateway_draining
  for (const gate of options.afterAuth ?? []) gates.use(gateMiddleware(gate)); // 429 rate limits
  app.use(function gatesOnce(req, res, next) {
    if (openedContext(res)) return next();
    gates(req, res, next);
  });
  const unmatched = (req: express.Request) => !matchRoute(contract, req.method, req.path).op;
  // 415, 400 invalid_json, 413 while reading; proxy mode streams non-JSON bodies of unmatched routes unread
  app.use(jsonBody({ maxBytes: options.bodyLimitBytes, passRaw: options.fallback ? unmatched : undefined }));
  app.use(
    dispatch({
      //                                            404, 405, 400 validation, then the handler
      contract,
      validators: options.validators ?? compileRequestValidators(contract),
      handlers: options.handlers,
      fallback: options.fallback,
    }),
  );
  app.use(errorHandler(options.logger)); //         the error envelope, never a stack
  return app;
}

/** 503 while draining, except the health probes. Shared with the proxy fast path. */
export function checkDrain(
  draining: boolean,
  method: string | undefined,
  path: string,
  publicPaths: Set<string>,
): void {
  if (draining && !(method === 'GET' && (publicPaths.has(path) || path === '/health/detailed'))) {
    throw GatewayError.draining();
  }
}

function drainGate(isDraining: () => boolean, publicPaths: Set<string>): RequestHandler {
  return function drainGate(req, _res, next) {
    checkDrain(isDraining(), req.method, req.path, publicPaths);
    next();
  };
}

function gateMiddleware(gate: RequestGate): RequestHandler {
  return function afterAuthGate(_req, res, next) {
    const pending = gate(res, requestContext(res));
    if (pending) pending.then(() => next(), next);
    else next();
  };
}
