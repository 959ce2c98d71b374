// Operation handlers by operationId: the typed call they receive, the reply they return, and the dispatcher.
import type { Request, RequestHandler, Response } from 'express';
import type { Contract, OperationSpec } from './contract.js';
import { GatewayError } from '../errors.js';
import { type RequestContext, requestContext } from './request-context.js';
import type { RequestValidator, ValidatedInput } from './validate.js';

export interface OperationCall<Body = any> extends ValidatedInput {
  body: Body;
  req: Request;
  res: Response;
  ctx: RequestContext;
  op: OperationSpec;
}

/** Returns a JSON value (sent as 200), a Reply, or undefined once it has written the response itself (SSE). */
export type OperationHandler<Body = any> = (call: OperationCall<Body>) => unknown | Promise<unknown>;

export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

export const notImplemented: OperationHandler = ({ op }) => {
  throw GatewayError.notImplemented(op.operationId);
};

export interface RouteMatch {
  op: OperationSpec | null;
  pathValues: string[];
  /** Methods the path allows, when the path exists but the method does not. */
  allowed: string[];
}

export function matchRoute(contract: Contract, method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const op of contract.operations) {
    const m = op.pattern.exec(path);
    if (!m) continue;
    if (op.method === method || (method === 'HEAD' && op.method === 'GET')) {
      return { op, pathValues: m.slice(1), allowed: [] };
    }
    allowed.push(op.method);
  }
  return { op: null, pathValues: [], allowed };
}

export interface DispatchOptions {
  contract: Contract;
  validators: Map<string, RequestValidator>;
  handlers: Readonly<Record<string, OperationHandler>>;
  /** Serves requests no operation matches (proxy mode); 404/405 otherwise. */
  fallback?: RequestHandler;
}

export function dispatch({ contract, validators, handlers, fallback }: DispatchOptions): RequestHandler {
  const missing = contract.operations.filter((op) => !handlers[op.operationId]).map((op) => op.operationId);
  if (missing.length > 0) throw new Error(`dispatch: no handler for ${missing.join(', ')}`);

  return async function dispatchOperation(req, res, next) {
    const match = matchRoute(contract, req.method, req.path);
    if (!match.op) {
      if (fallback) return fallback(req, res, next);
      if (match.allowed.length > 0) throw GatewayError.methodNotAllowed(req.method, req.path, match.allowed);
      throw GatewayError.notFound(req.method, req.path);
    }
    const op = match.op;
    const ctx = requestContext(res);
    ctx.operationId = op.operationId;
    const input = validators.get(op.operationId)!(req, match.pathValues);
    const result = await handlers[op.operationId]({ ...input, req, res, ctx, op });
    if (res.headersSent || result === undefined) return;
    if (result instanceof Reply) return void res.status(result.status).set(result.headers).json(result.body);
    res.status(200).json(result);
  };
}
