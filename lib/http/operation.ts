// Operation handlers by operationId: the typed call they receive, the reply they return, and the route matcher
// compiled from the contract once at start-up.
import type { Request, Response } from 'express';
import { GatewayError } from '../errors.js';
import type { Contract, OperationSpec } from './contract.js';
import type { RequestContext } from './request-context.js';
import type { ValidatedInput } from './validate.js';

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

const NO_VALUES: string[] = [];

/**
 * The matcher for the contract's operations: paths without parameters by one map lookup, the others by their
 * patterns. HEAD is served by the GET operation; a trailing slash is tolerated.
 */
export function compileRouteMatcher(contract: Contract): (method: string, path: string) => RouteMatch {
  const fixed = new Map<string, OperationSpec[]>();
  const templated: OperationSpec[] = [];
  for (const op of contract.operations) {
    if (op.pathParams.length > 0) templated.push(op);
    else fixed.set(op.path, [...(fixed.get(op.path) ?? []), op]);
  }
  const pick = (ops: readonly OperationSpec[], method: string, values: string[]): RouteMatch | null => {
    for (const op of ops) {
      if (op.method === method || (method === 'HEAD' && op.method === 'GET')) {
        return { op, pathValues: values, allowed: NO_VALUES };
      }
    }
    return null;
  };
  return function matchRoute(method, path) {
    const key = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const exact = fixed.get(key);
    if (exact) return pick(exact, method, NO_VALUES) ?? { op: null, pathValues: NO_VALUES, allowed: methods(exact) };
    const allowed: string[] = [];
    for (const op of templated) {
      const m = op.pattern.exec(path);
      if (!m) continue;
      const hit = pick([op], method, m.slice(1));
      if (hit) return hit;
      allowed.push(op.method);
    }
    return { op: null, pathValues: NO_VALUES, allowed };
  };
}

const methods = (ops: readonly OperationSpec[]) => ops.map((op) => op.method);
