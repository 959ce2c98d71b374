import { expect } from 'chai';
import { loadContract } from '../../lib/http/contract.js';
import { bodyOf, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';

const AUTH_ENVELOPE = {
  error: {
    message: 'Invalid gateway API key (API_SERVER_KEY)',
    type: 'gateway_auth_error',
    param: null,
    code: 'gateway_auth_failed',
  },
};

/** A concrete path for an OpenAPI template: every {param} gets a syntactically valid value. */
const concrete = (path: string) =>
  path
    .replace('{job_id}', '0123456789ab')
    .replace('{run_id}', `run_${'0'.repeat(32)}`)
    .replace(/\{\w+\}/g, 'x1');

describe('bearer auth', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ keys: [{ key: TEST_KEY }, { name: 'second', key: 'séc-ret-unicode-key-42' }] });
  });
  after(() => gw.stop());

  describe('every operation in openapi.yaml', () => {
    const operations = loadContract().operations;
    it('declares the operations the mission names', () => {
      expect(operations.length).to.be.greaterThan(30);
    });
    for (const op of operations.filter((o) => !o.isPublic)) {
      it(`answers 401 without a key: ${op.method} ${op.path}`, async () => {
        const res = await gw.request(concrete(op.path), { method: op.method, auth: false });
        expect(res.status).to.equal(401);
        expect(res.headers.get('www-authenticate')).to.equal(null);
        expect(await bodyOf(res)).to.deep.equal(AUTH_ENVELOPE);
      });
    }
    it('keeps exactly /health, /v1/health, the contract, its docs and the console page public', () => {
      expect(operations.filter((o) => o.isPublic).map((o) => o.path)).to.have.members([
        '/health',
        '/v1/health',
        '/openapi.json',
        '/docs',
        '/docs/assets/{asset}',
        '/',
        '/console/assets/{asset}',
      ]);
    });
  });

  it('answers /health and /v1/health without a key', async () => {
    for (const path of ['/health', '/v1/health']) {
      const res = await gw.request(path, { auth: false });
      expect(res.status).to.equal(200);
      const body = await bodyOf(res);
      expect(body).to.include({ status: 'ok', platform: 'agent-gateway' });
      expect(body.version).to.match(/^\d+\.\d+\.\d+/);
    }
  });

  it('refuses Basic credentials, a lowercase bearer prefix and a wrong key', async () => {
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      `bearer ${TEST_KEY}`,
      'Bearer wrong-key',
      'Bearer ',
      `Bearer${TEST_KEY}`,
    ]) {
      const res = await gw.request('/v1/models', { headers: { authorization } });
      expect(res.status, authorization).to.equal(401);
      expect(await bodyOf(res)).to.deep.equal(AUTH_ENVELOPE);
    }
  });

  it('accepts every configured key, a non-ASCII one included, with surrounding spaces trimmed', async () => {
    for (const authorization of [`Bearer ${TEST_KEY}`, 'Bearer séc-ret-unicode-key-42', `Bearer   ${TEST_KEY}  `]) {
      const res = await gw.request('/v1/models', { headers: { authorization } });
      expect(res.status, authorization).to.equal(200);
    }
  });

  it('still refuses near misses of a key it has just accepted (only exact, proven values are remembered)', async () => {
    for (let round = 0; round < 2; round++) {
      expect((await gw.request('/v1/models', { headers: { authorization: `Bearer ${TEST_KEY}` } })).status).to.equal(
        200,
      );
      for (const authorization of [`Bearer ${TEST_KEY}x`, `Bearer ${TEST_KEY.slice(0, -1)}`, `bearer ${TEST_KEY}`]) {
        const res = await gw.request('/v1/models', { headers: { authorization } });
        expect(res.status, authorization).to.equal(401);
      }
    }
  });

  it('answers 401, not 500, for a non-ASCII wrong key', async () => {
    const res = await gw.request('/v1/models', { headers: { authorization: 'Bearer wröng-kéy-ünïcode' } });
    expect(res.status).to.equal(401);
  });
});
