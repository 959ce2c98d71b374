// express hosts the operation handlers: one route per operation of openapi.yaml, mounted by operationId. Requests
// reach it through the pipeline (lib/http/pipeline.ts) with every gate passed, the body parsed and validated and
// the target decided; the route turns a handler's result into the response.
import type { ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import type { Contract, OperationSpec } from './contract.js';
import { Reply, type OperationHandler } from './operation.js';
import { requestContext } from './request-context.js';
import type { ResponseChecker } from './response-check.js';
import type { ValidatedInput } from './validate.js';
import { writeJson } from './write-json.js';

/** What the pipeline hands the host with each request. */
const INPUT = 'gatewayInput';

/** Leaves the validated input where the operation's route finds it (the request context's locals). */
export function handOver(res: ServerResponse, input: ValidatedInput): void {
  (res as ServerResponse & { locals: Record<string, unknown> }).locals[INPUT] = input;
}

export interface OperationHostOptions {
  contract: Contract;
  handlers: Readonly<Record<string, OperationHandler>>;
  answerError(res: Response, error: unknown): void;
  /** Test mode: each JSON body a handler sends is checked against the contract. */
  check: ResponseChecker | null;
}

export function createOperationHost({ contract, handlers, answerError, check }: OperationHostOptions): express.Express {
  const missing = contract.operations.filter((op) => !handlers[op.operationId]).map((op) => op.operationId);
  if (missing.length > 0) throw new Error(`operation host: no handler for ${missing.join(', ')}`);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // One router per operation, picked by the operation the pipeline matched: express matches one route, not each
  // route before it in turn (measured, that walk was most of the host's ~0.1 ms per request).
  const routers = new Map<string, express.Router>();
  for (const op of contract.operations) {
    const method = op.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    const router = express.Router();
    router[method](expressPath(op.path), runOperation(op, handlers[op.operationId], check));
    routers.set(op.operationId, router);
  }
  app.use((req, res, next) => {
    const router = routers.get(requestContext(res).operationId ?? '');
    if (router) router(req, res, next);
    else next();
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => answerError(res, error);
  app.use(onError);
  return app;
}

/** `/v1/runs/{run_id}` -> `/v1/runs/:run_id` */
const expressPath = (template: string) => template.replace(/\{(\w+)\}/g, ':$1');

function runOperation(op: OperationSpec, handler: OperationHandler, check: ResponseChecker | null): RequestHandler {
  return async function operation(req: Request, res: Response) {
    const input = res.locals[INPUT] as ValidatedInput;
    const ctx = requestContext(res);
    const result = await handler({ ...input, req, res, ctx, op });
    if (res.headersSent || result === undefined) return;
    const [status, body, headers] =
      result instanceof Reply ? [result.status, result.body, result.headers] : [200, result];
    check?.(ctx.operationId, status, body);
    writeJson(res, status, body, headers);
  };
}
