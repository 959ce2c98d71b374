// The door: ONE gate chain for every request, whatever its target, then the routing decision and the hand-off.
//
//   request id -> security headers -> CORS -> path guard -> body limit -> auth -> drain -> rate limits
//   -> body parse -> validation -> routing decision -> an operation handler (express) or an upstream (forwarder)
//
// Each gate is written once, in its own module; what depends on the operation (public or not, its validator, how
// its `model` is routed) is compiled once per operation at start-up, as fastify compiles a route's chain.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { GatewayMetrics } from '../metrics.js';
import type { StreamLimits } from '../sse.js';
import { checkContentLength } from './body-limit.js';
import type { ApiKeyEntry } from './bearer-auth.js';
import { createAuthenticator } from './bearer-auth.js';
import type { Contract, OperationSpec } from './contract.js';
import { answerCors, corsPolicy, crossOrigin } from './cors.js';
import { errorResponder } from './error-handler.js';
import { type ReadBody, readJsonBody } from './json-body.js';
import { compileRouteMatcher, type OperationHandler } from './operation.js';
import { createOperationHost, handOver } from './operation-host.js';
import { checkPath } from './path-guard.js';
import { type RequestContext, type RequestGate, requestContext } from './request-context.js';
import { openRequestContext } from './request-id.js';
import { compileResponseChecks, type ResponseViolation } from './response-check.js';
import { checkAllowed, type ModelRouter, type RouteTarget } from './routing.js';
import { applyGatewayHead, securityHead } from './security-headers.js';
import { compileRequestValidators, type RequestValidator, type ValidatedInput } from './validate.js';

/** How an operation's `model` picks its target (operations not listed serve every request themselves). */
const MODEL_ROUTING: Readonly<Record<string, Routing>> = {
  createChatCompletion: 'model', // an agent or an upstream
  createResponse: 'model',
  createRun: 'agent', // an agent only
  chatSession: 'agent',
  streamSessionChat: 'agent',
  getResponse: 'upstream-state', // in upstream-only mode the stored responses live upstream
  deleteResponse: 'upstream-state',
  listResponseInputItems: 'upstream-state',
};

type Routing = 'model' | 'agent' | 'upstream-state' | 'none';

/**
 * Operations whose boolean body fields Hermes coerces (`"false"`, `1`, `null`…; reference §3.1, §4.1, §6.6): the
 * fields themselves come from each body schema. Jobs and sessions keep strict booleans, as Hermes does (§8: the
 * session flags must be booleans).
 */
const BOOLISH_BODIES: ReadonlySet<string> = new Set([
  'createChatCompletion',
  'createResponse',
  'createRun',
  'respondRunApproval',
]);

/** An operation's chain, compiled once. */
interface CompiledRoute {
  op: OperationSpec;
  isPublic: boolean;
  /** Still served while draining (health probes). */
  drainExempt: boolean;
  validate: RequestValidator;
  routing: Routing;
}

export interface PipelineOptions {
  contract: Contract;
  handlers: Readonly<Record<string, OperationHandler>>;
  router: ModelRouter;
  keys: readonly ApiKeyEntry[];
  corsOrigins: readonly string[];
  bodyLimitBytes: number;
  logger: Logger;
  isDraining(): boolean;
  /** Gates after auth (per-key rate limits). */
  afterAuth: readonly RequestGate[];
  /** Test mode: report JSON bodies that do not match the contract. */
  onResponseViolation?: (violation: ResponseViolation) => void;
  /** Counts requests, forwards and open streams (GET /metrics). */
  metrics?: GatewayMetrics;
  /** Operations answered without a key although the contract secures them (`metrics.public` makes getMetrics one). */
  publicOperations?: ReadonlySet<string>;
  /** What an agent stream may hold for a client that does not read (the SSE writer reads it off the context). */
  streamLimits?: StreamLimits;
}

/** A node:http handler; also an express-compatible one (`app.use('/prefix', handler)`): it answers every request. */
export type GatewayHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

type BodyCarrier = IncomingMessage & { body?: unknown };

export function createPipeline(options: PipelineOptions): GatewayHandler {
  const { contract, router, bodyLimitBytes, logger, isDraining, afterAuth, metrics } = options;
  const publicOperations = options.publicOperations ?? new Set<string>();
  const observe = requestObserver(logger, metrics);
  const checkCors = corsPolicy({ origins: options.corsOrigins });
  const authenticate = createAuthenticator(options.keys);
  const check = options.onResponseViolation ? compileResponseChecks(contract, options.onResponseViolation) : null;
  const answerError = errorResponder(logger, check);
  const host = createOperationHost({
    contract,
    handlers: options.handlers,
    answerError: (res, error) => answerError(res, requestContext(res), error),
    check,
  });
  const validators = compileRequestValidators(contract, { boolishBodies: BOOLISH_BODIES });
  const routes = new Map<OperationSpec, CompiledRoute>(
    contract.operations.map((op) => [
      op,
      {
        op,
        isPublic: op.isPublic || publicOperations.has(op.operationId),
        drainExempt:
          op.method === 'GET' && (op.isPublic || op.path === '/health/detailed' || op.operationId === 'getMetrics'),
        validate: validators.get(op.operationId)!,
        routing: MODEL_ROUTING[op.operationId] ?? 'none',
      },
    ]),
  );
  const matchRoute = compileRouteMatcher(contract);
  const proxying = router.upstreams.size > 0;

  async function pass(req: BodyCarrier, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    checkPath(path); //                                                    400 invalid_path
    checkContentLength(method, req.headers['content-length'], bodyLimitBytes); // 413, 400 invalid_content_length
    const match = matchRoute(method, path);
    const route = match.op ? routes.get(match.op)! : null;
    if (route) ctx.operationId = route.op.operationId; // known from here on: refusals below are counted under it
    if (!route?.isPublic) authenticate(req.headers.authorization, ctx); // 401
    if (isDraining() && !route?.drainExempt) throw GatewayError.draining(); // 503 (GET/HEAD health probes pass)
    for (const gate of afterAuth) {
      const pending = gate(res, ctx); //                                  429
      if (pending) await pending;
    }
    // 415, 400 invalid_json, 413 while reading; an unmatched route's non-JSON body is left for the upstream
    const read = readJsonBody(req, res, bodyLimitBytes, !route && proxying);
    const sent = read instanceof Promise ? await read : read;
    const { body } = sent;

    if (!route) {
      // No operation: in proxy mode `/v1/*` goes to the upstream its body's model is routed to; else 405 or 404.
      if (match.allowed.length > 0) throw GatewayError.methodNotAllowed(method, path, match.allowed);
      const model = modelOf(body);
      ctx.model = model;
      const target = proxying && path.startsWith('/v1/') ? router.resolve(model) : null;
      if (target?.kind !== 'upstream') throw GatewayError.notFound(method, path);
      checkAllowed(target, model, ctx.allowedModels); //                  403 model_not_allowed
      return forward(req, res, ctx, target, sent);
    }
    const query = q < 0 ? {} : (parseQuery(url.slice(q + 1)) as Record<string, unknown>);
    const input = route.validate({ body, query, headers: req.headers }, match.pathValues); // 400
    switch (route.routing) {
      case 'model':
      case 'agent': {
        const model = modelOf(body);
        ctx.model = model;
        const target = router.decide(model, ctx.allowedModels, route.routing === 'agent'); // 404, 403
        if (target.kind === 'upstream') return forward(req, res, ctx, target, sent);
        ctx.target = target;
        // The operation sees the name the decision chose: an alias becomes the agent's own id (this request only); a
        // fallback keeps the name asked for, which the response echoes (reference §3.1).
        if (target.model !== model) input.body = { ...(input.body as object), model: target.model };
        break;
      }
      case 'upstream-state': {
        const upstream = router.catchAll;
        if (upstream) {
          return forward(req, res, ctx, { kind: 'upstream', upstream, model: null }, sent);
        }
        break;
      }
    }
    return operate(req, res, input);
  }

  function operate(req: BodyCarrier, res: ServerResponse, input: ValidatedInput): void {
    applyGatewayHead(res, requestContext(res).requestId);
    handOver(res, input);
    req.body = input.body;
    host(req as never, res as never, (error?: unknown) => {
      // express found no route for what the contract matched: a bug, answered as one.
      answerError(
        res,
        requestContext(res),
        error ?? new Error(`operation host did not route ${req.method} ${req.url}`),
      );
    });
  }

  /**
   * Hands the request to its upstream. Its end is reported to `forwarded` (one function for every request), not
   * through a promise chain: a stream held open for minutes keeps no closure or promise of its own for it.
   */
  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    ctx: RequestContext,
    target: RouteTarget & { kind: 'upstream' },
    { body, raw, unread, foreign = false }: ReadBody,
  ): void {
    // The client's bytes as they came, unless the route writes the upstream's model name into them.
    let bytes: Buffer | undefined;
    if (target.model !== null && isObject(body)) bytes = Buffer.from(JSON.stringify({ ...body, model: target.model }));
    else if (!unread) bytes = raw ?? (body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
    const streaming = isObject(body) && body.stream === true;
    const { requestId } = ctx;
    const head = securityHead(requestId);
    const { upstream } = target;
    ctx.upstream = upstream.name;
    if (metrics && streaming) ctx.markStream('upstream');
    if (metrics) ctx.forwardStarted = performance.now();
    upstream.forward(req, res, { body: bytes, bodyAsSent: foreign, streaming, requestId, head, settled: forwarded });
  }

  /** A forward ended: counted by upstream and status, and an error answered while nothing was sent yet. */
  function forwarded(res: ServerResponse, error: GatewayError | null): void {
    const ctx = requestContext(res);
    if (metrics) {
      const status = error === null && res.headersSent ? res.statusCode : 'error';
      metrics.upstream(ctx.upstream!, status, seconds(ctx.forwardStarted));
    }
    if (error) answerError(res, ctx, error);
  }

  return function gateway(req, res) {
    // Request id and security headers: on every answer below, written with it (applyGatewayHead / securityHead).
    const ctx = openRequestContext(req, res, metrics ?? null);
    ctx.streamLimits = options.streamLimits;
    observe(req, res, ctx);
    const verdict = checkCors(res, req.method, crossOrigin(req.headers), req.headers['access-control-request-headers']);
    if (verdict !== 'pass') {
      applyGatewayHead(res, ctx.requestId);
      if (verdict === 'refuse') ctx.code = CORS_REFUSED;
      return answerCors(res, verdict); //                                 403 (empty body), 200 preflight
    }
    pass(req, res, ctx).catch((error: unknown) => answerError(res, ctx, error));
  };
}

/** The access log's reason for a CORS refusal (answered 403 with an empty body, so no envelope code). */
const CORS_REFUSED = 'cors_origin_not_allowed';

/** A request the client left before any response head was sent: nginx's 499, in the access log and the metrics. */
const CLIENT_CLOSED = 499;

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * One access line per request (info), written once when the response is over — finished, or the client gone — and
 * the request counted in the metrics. The key's name, never the key; the path without its query. What the line
 * needs is kept on the request context, and one 'close' listener serves every response: a long stream holds no
 * closure of its own for its access line.
 */
function requestObserver(logger: Logger, metrics: GatewayMetrics | undefined) {
  function onClose(this: ServerResponse): void {
    closed(this);
  }
  function closed(res: ServerResponse): void {
    const ctx = requestContext(res);
    if (metrics && ctx.streamKind !== null) metrics.streamClosed(ctx.streamKind);
    const durationMs = Math.round((performance.now() - ctx.started) * 10) / 10;
    const aborted = !res.writableFinished;
    const status = aborted && !res.headersSent ? CLIENT_CLOSED : res.statusCode;
    metrics?.request(ctx.operationId, status, durationMs / 1000);
    const line: Record<string, unknown> = {
      requestId: ctx.requestId,
      method: ctx.method,
      path: ctx.path,
      operation: ctx.operationId,
      status,
      durationMs,
      key: ctx.keyName,
    };
    if (ctx.model !== null) line.model = ctx.model;
    if (ctx.target) {
      line.target = 'agent';
      line.agent = ctx.target.agentId;
    } else if (ctx.upstream !== null) {
      line.target = 'upstream';
      line.upstream = ctx.upstream;
    }
    if (ctx.code !== null) line.code = ctx.code;
    if (ctx.reason !== null) line.reason = ctx.reason;
    if (aborted) line.aborted = true;
    logger.info(line, 'request');
  }
  return function observe(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    ctx.started = performance.now();
    ctx.method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    ctx.path = q < 0 ? url : url.slice(0, q);
    res.on('close', onClose);
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const modelOf = (body: unknown): string | null =>
  isObject(body) && typeof body.model === 'string' ? body.model : null;

export interface NotFoundOptions {
  corsOrigins: readonly string[];
  logger: Logger;
  metrics?: GatewayMetrics;
}

/**
 * A door with no operation behind it (a profile prefix that names no profile): the first gates as the pipeline runs
 * them (request id, security headers, CORS, path guard), then the 404 envelope. No key is asked for: a key could
 * only be checked against a profile, and there is none.
 */
export function answerNotFound(options: NotFoundOptions): GatewayHandler {
  const checkCors = corsPolicy({ origins: options.corsOrigins });
  const answerError = errorResponder(options.logger, null);
  const observe = requestObserver(options.logger, options.metrics);
  return function notFound(req, res) {
    const ctx = openRequestContext(req, res, options.metrics ?? null);
    observe(req, res, ctx);
    const verdict = checkCors(res, req.method, crossOrigin(req.headers), req.headers['access-control-request-headers']);
    if (verdict !== 'pass') {
      applyGatewayHead(res, ctx.requestId);
      if (verdict === 'refuse') ctx.code = CORS_REFUSED;
      return answerCors(res, verdict);
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    try {
      checkPath(path); //                                                 400 invalid_path
      throw GatewayError.notFound(req.method ?? 'GET', path); //           404
    } catch (error) {
      answerError(res, ctx, error);
    }
  };
}
