// Test mode: every JSON body the gateway sends must match what openapi.yaml declares for its status.
import type { ValidateFunction } from 'ajv';
import type { Contract } from './contract.js';
import { createAjv } from './validate.js';

export type ResponseViolation = { operationId: string | null; status: number; problem: string; body: unknown };

/** Checks one JSON body; a violation goes to the callback. */
export type ResponseChecker = (operationId: string | null, status: number, body: unknown) => void;

export function compileResponseChecks(
  contract: Contract,
  onViolation: (v: ResponseViolation) => void,
): ResponseChecker {
  const ajv = createAjv(contract, false);
  const envelope = ajv.compile({ $ref: 'https://agent-gateway.dev/schemas/common.json#/$defs/ErrorEnvelope' });
  const checks = new Map<string, Map<string, ValidateFunction | null>>();
  for (const op of contract.operations) {
    checks.set(
      op.operationId,
      new Map(Object.entries(op.responses).map(([status, r]) => [status, r.json ? ajv.compile(r.json) : null])),
    );
  }

  function problemOf(operationId: string | null, status: number, body: unknown): string | null {
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
  }

  return function checkResponse(operationId, status, body) {
    const problem = problemOf(operationId, status, body);
    if (problem) onViolation({ operationId, status, problem, body });
  };
}
