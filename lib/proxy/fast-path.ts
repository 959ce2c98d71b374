// The proxy fast path: requests the gateway will forward, served on the raw node:http request without express.
// It runs the gates of lib/http/app.ts in the same order through the same functions (request id, security headers,
// CORS, Content-Length limit, bearer auth, drain, rate limits), then the same body reading, validation and model
// routing as the operations. Everything else (owned routes, 404/405, preflights, gzip or non-UTF-8 JSON) goes to
// express untouched; a model op whose model turns out to be an agent's is handed on with its gates passed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import { createAuthenticator, type ApiKeyEntry } from '../http/bearer-auth.js';
import { checkContentLength } from '../http/body-limit.js';
import { checkDrain } from '../http/app.js';
import type { Contract } from '../http/contract.js';
import { answerCors, corsPolicy } from '../http/cors.js';
import { errorReply, writeEnvelope } from '../http/error-handler.js';
import { GatewayError } from '../errors.js';
import { hasBody, isJsonType, isPlainJson, parseJson, readBody } from '../http/json-body.js';
import { matchRoute } from '../http/operation.js';
import type { RequestContext, RequestGate } from '../http/request-context.js';
import { openRequestContext } from '../http/request-id.js';
import { compileResponseChecks, type ResponseViolation } from '../http/response-check.js';
import { applySecurityHeaders, securityHead } from '../http/security-headers.js';
import type { RequestParts, RequestValidator } from '../http/validate.js';
import type { Logger } from '../log.js';
import type { ModelRouter } from './model-router.js';
import { type JsonBody, routeToUpstream } from './routed-operations.js';

/** The operations whose `model` may send them upstream (wrapped by routeByModel in lib/api/operations.ts). */
const MODEL_ROUTED = new Set(['createChatCompletion', 'createResponse']);

export interface FastPathOptions {
  /** Where every request the fast path does not serve goes. */
  app: Express;
  contract: Contract;
  validators: Map<string, RequestValidator>;
  router: ModelRouter;
  keys: readonly ApiKeyEntry[];
  corsOrigins: readonly string[];
  bodyLimitBytes: number;
  isDraining(): boolean;
  afterAuth: readonly RequestGate[];
  logger: Logger;
  onResponseViolation?: (violation: ResponseViolation) => void;
}

/** Returns false, having touched nothing, for a request it leaves to express. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

export function proxyFastPath(options: FastPathOptions): FastPath {
  const { app, contract, router, bodyLimitBytes, isDraining, afterAuth, logger, onResponseViolation } = options;
  const checkCors = corsPolicy({ origins: options.corsOrigins });
  const authenticate = createAuthenticator(options.keys);
  const publicPaths = new Set(contract.operations.filter((op) => op.isPublic).map((op) => op.path));
  const modelOps = new Map(
    contract.operations
      .filter((op) => MODEL_ROUTED.has(op.operationId) && op.method === 'POST')
      .map((op) => [op.path, { operationId: op.operationId, validate: options.validators.get(op.operationId)! }]),
  );
  const checkResponse = onResponseViolation ? compileResponseChecks(contract) : null;

  /** The head the fast path defers (security headers, X-Request-Id), set for an answer not written by forward. */
  function setHead(res: ServerResponse, ctx: RequestContext): void {
    applySecurityHeaders(res);
    res.setHeader('X-Request-Id', ctx.requestId);
  }

  function fail(res: ServerResponse, ctx: RequestContext, error: unknown): void {
    const reply = errorReply(error, logger, ctx.requestId);
    if (res.headersSent) return void (res.writableEnded ? undefined : res.end());
    setHead(res, ctx);
    const envelope = reply.toEnvelope();
    const problem = checkResponse?.(ctx.operationId, reply.status, envelope);
    if (problem) onResponseViolation!({ operationId: ctx.operationId, status: reply.status, problem, body: envelope });
    writeEnvelope(res, reply);
  }

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    modelOp: { operationId: string; validate: RequestValidator } | undefined,
    json: boolean,
  ): Promise<void> {
    // X-Request-Id and the security headers go out with the upstream's in one writeHead (or with an error).
    const ctx = openRequestContext(req, res, false);
    const verdict = checkCors(res, req.method, req.headers.origin, undefined); // never a preflight here
    if (verdict !== 'pass') {
      setHead(res, ctx);
      return answerCors(res, verdict); // 403, empty
    }
    try {
      checkContentLength(req.method, req.headers['content-length'], bodyLimitBytes); // 413, 400
      authenticate(req.headers.authorization, ctx); // 401: no path the fast path takes is public
      checkDrain(isDraining(), req.method, path, publicPaths); // 503
      for (const gate of afterAuth) {
        const pending = gate(res, ctx); // 429
        if (pending) await pending;
      }
      // The classification below let through only UTF-8 identity JSON (`json`), non-JSON bodies (fallback) or none.
      const raw = json ? await readBody(req, bodyLimitBytes) : undefined; // 413 while reading
      const body = raw && (parseJson(raw) as JsonBody); // 400 invalid_json
      if (modelOp) {
        ctx.operationId = modelOp.operationId;
        modelOp.validate({ body, query: {}, headers: req.headers } as RequestParts, []); // 400 validation
      }
      const routed = routeToUpstream(router, ctx, body); // 403 model_not_allowed
      if (!routed) {
        if (!modelOp) throw GatewayError.notFound(req.method ?? 'GET', path);
        // An agent's model: the operation runs behind express, which sees the gates passed (the context is open).
        (req as IncomingMessage & { body?: unknown }).body = body;
        setHead(res, ctx);
        return void app(req, res);
      }
      // The client's bytes as they came, unless the route writes the upstream's model name into them.
      const bytes = routed.rewritten ? Buffer.from(JSON.stringify(routed.rewritten), 'utf8') : raw;
      const { requestId } = ctx;
      const head = securityHead(requestId);
      await routed.upstream.forward(req, res, { body: bytes, streaming: routed.streaming, requestId, head });
    } catch (error) {
      fail(res, ctx, error);
    }
  }

  return function proxyFastPath(req, res) {
    const url = req.url ?? '';
    const method = req.method;
    if (!url.startsWith('/v1/') || method === 'OPTIONS' || method === 'HEAD') return false;
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    // A model op with a query string goes the long way: its query would need parsing for validation.
    const modelOp = method === 'POST' && query < 0 ? modelOps.get(path) : undefined;
    let json: boolean;
    if (modelOp) {
      // No body (400 missing_body), not JSON (415), gzip or another charset (body-parser): express answers.
      if (!hasBody(req.headers) || !isPlainJson(req.headers)) return false;
      json = true;
    } else {
      const match = matchRoute(contract, method ?? 'GET', path);
      if (match.op || match.allowed.length > 0) return false; // an owned route, or its 405
      if (hasBody(req.headers) && isJsonType(req.headers['content-type'])) {
        if (!isPlainJson(req.headers)) return false;
        json = true;
      } else json = false;
    }
    void serve(req, res, path, modelOp, json);
    return true;
  };
}
