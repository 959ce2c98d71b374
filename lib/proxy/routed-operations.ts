// Where proxying meets the operation table: model-routed operations, upstream-only passthrough, and the fallback
// that serves every /v1/* route the gateway does not own. The agent path is untouched for models it serves.
import type { RequestHandler } from 'express';
import type { Contract } from '../http/contract.js';
import { GatewayError } from '../errors.js';
import { matchRoute, type OperationHandler } from '../http/operation.js';
import type { RequestContext } from '../http/request-context.js';
import { requestContext } from '../http/request-context.js';
import type { ModelRouter } from './model-router.js';
import type { Upstream } from './upstream.js';

export type JsonBody = { model?: unknown; stream?: unknown; [field: string]: unknown } | undefined;

function checkAllowed(ctx: RequestContext, model: string | null): void {
  if (!ctx.allowedModels) return;
  if (model === null || !ctx.allowedModels.includes(model)) throw GatewayError.modelForbidden(model ?? '(default)');
}

const modelOf = (body: JsonBody): string | null => (typeof body?.model === 'string' ? body.model : null);

export interface UpstreamRoute {
  upstream: Upstream;
  /** The body with the upstream's model name written in; null = send the client's body unchanged. */
  rewritten: JsonBody | null;
  streaming: boolean;
}

/**
 * The one model -> upstream decision, for the operations, the fallback and the proxy fast path: the upstream the
 * body's model is routed to (403 model_not_allowed for a model outside the key's list), or null when no upstream
 * serves it.
 */
export function routeToUpstream(router: ModelRouter, ctx: RequestContext, body: JsonBody): UpstreamRoute | null {
  const model = modelOf(body);
  const target = router.resolve(model);
  if (target?.kind !== 'upstream') return null;
  checkAllowed(ctx, model); // a key limited to some models reaches no model-less upstream route either
  const rewritten = body !== undefined && target.model ? { ...body, model: target.model } : null;
  return { upstream: target.upstream, rewritten, streaming: body?.stream === true };
}

const jsonBytes = (body: unknown): Buffer | undefined =>
  body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');

/**
 * Chat completions and Responses: a model routed to an upstream is forwarded (its body re-serialised, the model
 * name rewritten when the route says so); an agent alias becomes the agent's id; anything else is the agent path.
 */
export function routeByModel(handler: OperationHandler, router: ModelRouter): OperationHandler {
  return async function routeByModel(call) {
    const body = call.body as JsonBody;
    const routed = routeToUpstream(router, call.ctx, body);
    if (routed) {
      const bytes = jsonBytes(routed.rewritten ?? body);
      await routed.upstream.forward(call.req, call.res, {
        body: bytes,
        streaming: routed.streaming,
        requestId: call.ctx.requestId,
      });
      return undefined;
    }
    const model = modelOf(body);
    const target = router.resolve(model);
    if (target?.kind === 'agent' && model !== null && target.agentId !== model) {
      // An alias: the key's list names the alias, and the agent path sees the agent's own id (this request only).
      checkAllowed(call.ctx, model);
      const { ctx } = call;
      if (ctx.allowedModels) ctx.allowedModels = [...ctx.allowedModels, target.agentId];
      return handler({ ...call, body: { ...body, model: target.agentId } });
    }
    return handler(call);
  };
}

/** In upstream-only mode an operation the upstream owns the state of (a stored response) is forwarded as is. */
export function passThroughWithoutAgents(handler: OperationHandler, router: ModelRouter): OperationHandler {
  return async function passThroughWithoutAgents(call) {
    const upstream = router.catchAll;
    if (!upstream) return handler(call);
    await upstream.forward(call.req, call.res, { requestId: call.ctx.requestId });
    return undefined;
  };
}

/**
 * Unmatched routes: `/v1/*` goes to the upstream its body's model is routed to, or in upstream-only mode to the
 * catch-all upstream. A known path with another method keeps its 405; everything else is 404.
 */
export function proxyFallback(router: ModelRouter, contract: Contract): RequestHandler {
  return async function proxyFallback(req, res) {
    const match = matchRoute(contract, req.method, req.path);
    if (match.allowed.length > 0) throw GatewayError.methodNotAllowed(req.method, req.path, match.allowed);
    if (!req.path.startsWith('/v1/')) throw GatewayError.notFound(req.method, req.path);
    const ctx = requestContext(res);
    const body = req.body as JsonBody;
    const routed = routeToUpstream(router, ctx, body);
    if (!routed) throw GatewayError.notFound(req.method, req.path);
    const bytes = jsonBytes(routed.rewritten ?? body);
    await routed.upstream.forward(req, res, {
      body: bytes,
      streaming: routed.streaming,
      requestId: ctx.requestId,
    });
  };
}
