import { expect } from 'chai';
import { booleanBodyFields, boolish, coerceBoolish } from '../../lib/http/boolish-fields.js';
import { loadContract } from '../../lib/http/contract.js';

describe('bool-ish body fields (reference §3.1)', () => {
  const contract = loadContract();
  const fieldsOf = (operationId: string) => {
    const op = contract.operations.find((o) => o.operationId === operationId)!;
    return booleanBodyFields(contract, op.body!.schema).sort();
  };

  it('reads the boolean fields of each body schema from the contract', () => {
    expect(fieldsOf('createChatCompletion')).to.deep.equal(['stream']);
    expect(fieldsOf('createResponse')).to.include.members(['store', 'stream']);
    expect(fieldsOf('respondRunApproval')).to.deep.equal(['all', 'resolve_all']);
  });

  it('coerces as Hermes does: the words trimmed and case-insensitive, numbers by truthiness, the rest false', () => {
    for (const value of [true, '1', 'true', ' YES ', 'On', 1, -1, 0.5])
      expect(boolish(value), String(value)).to.equal(true);
    for (const value of [false, '0', 'false', 'No', 'off', 0, null, '', 'maybe', {}, [], undefined]) {
      expect(boolish(value), JSON.stringify(value)).to.equal(false);
    }
  });

  it('copies a body it changes and leaves absent fields absent', () => {
    const body = { stream: 'true', model: 'm' };
    expect(coerceBoolish(body, ['stream', 'store'])).to.deep.equal({ stream: true, model: 'm' });
    expect(body.stream).to.equal('true');
    const untouched = { stream: false };
    expect(coerceBoolish(untouched, ['stream'])).to.equal(untouched);
  });
});
