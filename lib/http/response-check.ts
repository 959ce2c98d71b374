// Test mode: every JSON body the gateway sends must match what openapi.yaml declares for its status.
import type { ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { Contract } from './contract.js';
import { createAjv } from './validate.js';

export type ResponseViolation = { operationId: string | null; status: number; problem: string; body: unknown };

/** Checks one JSON body; a violation goes to the callback. */
export type ResponseChecker = (operationId: string | null, status: number, body: unknown) => void;

export function compileResponseChecks(
  contract: Contract,
  onViolation: (v: ResponseViolation) => void,
): ResponseChecker {
  // Built on the first check, each schema compiled the first time a body is checked against it.
  let compiler: Ajv2020 | null = null;
  const ajv = () => (compiler ??= createAjv(contract, false));
  let envelope: ValidateFunction | null = null;
  const operations = new Map(contract.operations.map((op) => [op.operationId, op]));
  const checks = new Map<string, Map<string, ValidateFunction | null>>();
  const checkFor = (operationId: string, status: string): ValidateFunction | null => {
    let byStatus = checks.get(operationId);
    if (!byStatus) {
      byStatus = new Map();
      checks.set(operationId, byStatus);
    }
    let check = byStatus.get(status);
    if (check === undefined) {
      const json = operations.get(operationId)!.responses[status].json;
      check = json ? ajv().compile(json) : null;
      byStatus.set(status, check);
    }
    return check;
  };

  function problemOf(operationId: string | null, status: number, body: unknown): string | null {
    if (operationId === null) {
      // Answered before any route matched (auth, CORS, 404): it must be the error envelope.
      if (status < 400) return null;
      envelope ??= ajv().compile({ $ref: 'https://agent-gateway.dev/schemas/common.json#/$defs/ErrorEnvelope' });
      return envelope(body) ? null : ajv().errorsText(envelope.errors);
    }
    const responses = operations.get(operationId)!.responses;
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => Object.hasOwn(responses, k));
    if (!key) return `status ${status} is not declared for ${operationId}`;
    const check = checkFor(operationId, key);
    if (!check) return `status ${status} of ${operationId} declares no JSON body`;
    return check(body) ? null : ajv().errorsText(check.errors, { dataVar: 'response' });
  }

  return function checkResponse(operationId, status, body) {
    const problem = problemOf(operationId, status, body);
    if (problem) onViolation({ operationId, status, problem, body });
  };
}
