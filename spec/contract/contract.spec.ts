import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { OPERATION_IDS } from '../../lib/api/operation-types.js';
import { GatewayError } from '../../lib/errors.js';
import { loadContract } from '../../lib/http/contract.js';
import { compileRequestValidators } from '../../lib/http/validate.js';
import { generatedFiles } from '../../scripts/generate-types.js';

describe('the contract', () => {
  it('is what lib/generated was generated from (run `npm run generate` after editing it)', async () => {
    for (const file of await generatedFiles()) {
      expect(readFileSync(file.path, 'utf8'), file.path).to.equal(file.content);
    }
  });

  it('has one handler slot per operation and no slot without an operation', () => {
    const ids = loadContract().operations.map((op) => op.operationId);
    expect(new Set(ids).size).to.equal(ids.length);
    expect([...OPERATION_IDS].sort()).to.deep.equal([...ids].sort());
  });

  it('compiles a request validator for every operation', () => {
    const contract = loadContract();
    // eager: the gateway compiles each on first use; here every schema must compile (and pass the meta-schema) now.
    expect(compileRequestValidators(contract, { eager: true }).size).to.equal(contract.operations.length);
  });

  it('declares every error code the catalogue can produce', () => {
    // Call each named factory with placeholder arguments and collect the codes it produces.
    const factories = Object.getOwnPropertyNames(GatewayError).filter(
      (name) => typeof (GatewayError as unknown as Record<string, unknown>)[name] === 'function',
    );
    const codes = factories
      .map((name) =>
        (GatewayError as unknown as Record<string, (...a: unknown[]) => GatewayError>)[name]('x', 'y', ['z']),
      )
      .map((error) => error.code)
      .filter((code): code is string => code !== null);
    expect(codes.length).to.be.greaterThan(20);
    const spec = readFileSync('openapi.yaml', 'utf8') + readFileSync('schemas/common.json', 'utf8');
    const missing = [...new Set(codes)].filter((code) => !spec.includes(code));
    expect(missing, 'codes missing from openapi.yaml / schemas/common.json').to.deep.equal([]);
  });
});
