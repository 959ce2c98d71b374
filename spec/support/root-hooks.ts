// Mocha root hooks: a test fails when any gateway it started sent a body its contract does not declare.
import { expect } from 'chai';
import { responseViolations } from './gateway.js';

export const mochaHooks = {
  afterEach(this: Mocha.Context) {
    const seen = responseViolations.splice(0);
    if (this.currentTest?.state === 'failed') return;
    expect(seen, `responses that break openapi.yaml:\n${JSON.stringify(seen, null, 2)}`).to.deep.equal([]);
  },
};
