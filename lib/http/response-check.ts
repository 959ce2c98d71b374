// Test-mode check: every JSON body the gateway sends must match what openapi.yaml declares for its status.
import type { ValidateFunction } from 'ajv';
import type { RequestHandler } from 'express';
import type { Contract } from './contract.js';
import { requestContext } from './request-context.js';
import { createAjv } from './validate.js';

export type ResponseViolation = { operationId: string | null; status: number; problem: string; body: unknown };

export function compileResponseChecks(contract: Contract) {
  const ajv = createAjv(contract, false);
  const envelope = ajv.compile({ $ref: 'https://agent-gateway.dev/schemas/common.json#/$defs/ErrorEnvelope' });
  const checks = new Map<string, Map<string, ValidateFunction | null>>();
  for (const op of contract.operations) {
    checks.set(
      op.operationId,
      new Map(Object.entries(op.responses).map(([status, r]) => [status, r.json ? ajv.compile(r.json) : null])),
    );
  }

  return function checkResponse(operationId: string | null, status: number, body: unknown): string | null {
    if (operationId === null) {
      // Answered before any route matched (auth, CORS, 404): it must be the error envelope.
      return status >= 400 && !envelope(body) ? ajv.errorsText(envelope.errors) : null;
    }
    const byStatus = checks.get(operationId)!;
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => byStatus.has(k));
    if (!key) return `status ${status} is not declared for ${operationId}`;
    const check = byStatus.get(key);
    if (!check) return `status ${status} of ${operationId} declares no JSON body`;
    return check(body) ? null : ajv.errorsText(check.errors, { dataVar: 'response' });
  };
}

/** Wraps res.json so each JSON body is checked before it is sent; violations go to the callback. */
export function responseAudit(contract: Contract, onViolation: (v: ResponseViolation) => void): RequestHandler {
  const check = compileResponseChecks(contract);
  return function responseAudit(_req, res, next) {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const operationId = requestContext(res).operationId;
      const problem = check(operationId, res.statusCode, body);
      if (problem) onViolation({ operationId, status: res.statusCode, problem, body });
      return json(body);
    };
    next();
  };
}
