// The middleware order, and nothing else. Each step may answer with the status in its comment.
import express, { type RequestHandler } from 'express';
import type { Logger } from '../log.js';
import { type ApiKeyEntry, bearerAuth } from './bearer-auth.js';
import { bodyLimit } from './body-limit.js';
import type { Contract } from './contract.js';
import { cors } from './cors.js';
import { errorHandler } from './error-handler.js';
import { GatewayError } from './errors.js';
import { jsonBody } from './json-body.js';
import { dispatch, matchRoute, type OperationHandler } from './operation.js';
import { requestId } from './request-id.js';
import { type ResponseViolation, responseAudit } from './response-check.js';
import { securityHeaders } from './security-headers.js';
import { compileRequestValidators } from './validate.js';

export interface AppOptions {
  contract: Contract;
  handlers: Readonly<Record<string, OperationHandler>>;
  keys: readonly ApiKeyEntry[];
  corsOrigins: readonly string[];
  bodyLimitBytes: number;
  logger: Logger;
  isDraining(): boolean;
  /** Per-key rate limits and similar gates that run after auth. */
  afterAuth?: RequestHandler[];
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

  app.use(requestId()); //                          echoes X-Request-Id
  if (options.onResponseViolation) app.use(responseAudit(contract, options.onResponseViolation));
  app.use(securityHeaders()); //                    first, so every answer below carries them
  app.use(cors({ origins: options.corsOrigins })); // 403 disallowed Origin (empty body); 200 preflight
  app.use(bodyLimit({ maxBytes: options.bodyLimitBytes })); // 413 body_too_large, 400 invalid_content_length
  app.use(bearerAuth({ keys: options.keys, isPublic: (path) => publicPaths.has(path) })); // 401
  app.use(drainGate(options.isDraining, publicPaths)); // 503 gateway_draining
  for (const gate of options.afterAuth ?? []) app.use(gate); // 429 rate limits, 403 model not allowed
  const unmatched = (req: express.Request) => !matchRoute(contract, req.method, req.path).op;
  // 415, 400 invalid_json, 413 while reading; proxy mode streams non-JSON bodies of unmatched routes unread
  app.use(jsonBody({ maxBytes: options.bodyLimitBytes, passRaw: options.fallback ? unmatched : undefined }));
  app.use(
    dispatch({
      //                                            404, 405, 400 validation, then the handler
      contract,
      validators: compileRequestValidators(contract),
      handlers: options.handlers,
      fallback: options.fallback,
    }),
  );
  app.use(errorHandler(options.logger)); //         the error envelope, never a stack
  return app;
}

function drainGate(isDraining: () => boolean, publicPaths: Set<string>): RequestHandler {
  return function drainGate(req, _res, next) {
    if (isDraining() && !(req.method === 'GET' && (publicPaths.has(req.path) || req.path === '/health/detailed'))) {
      throw GatewayError.draining();
    }
    next();
  };
}
