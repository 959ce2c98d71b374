import { expect } from 'chai';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

describe('CORS', () => {
  describe('with no origins configured', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway();
    });
    after(() => gw.stop());

    it('answers 403 with an empty body to any Origin, /health included', async () => {
      for (const path of ['/health', '/v1/models', '/v1/nowhere']) {
        const res = await gw.request(path, { headers: { origin: 'http://evil.example' } });
        expect(res.status, path).to.equal(403);
        expect(await res.text()).to.equal('');
        expect(res.headers.get('access-control-allow-origin')).to.equal(null);
        expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      }
    });

    it('refuses a preflight', async () => {
      const res = await gw.request('/v1/chat/completions', {
        method: 'OPTIONS',
        auth: false,
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
      });
      expect(res.status).to.equal(403);
    });

    it('lets a request without Origin through', async () => {
      expect((await gw.request('/health')).status).to.equal(200);
    });
  });

  describe('with http://localhost:3000 allowed', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({ corsOrigins: ['http://localhost:3000'] });
    });
    after(() => gw.stop());

    it('adds the allow-origin, Vary and expose headers for the allowed origin', async () => {
      const res = await gw.request('/health', { headers: { origin: 'http://localhost:3000' } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('access-control-allow-origin')).to.equal('http://localhost:3000');
      expect(res.headers.get('vary')).to.match(/Origin/);
      const exposed = res.headers.get('access-control-expose-headers') ?? '';
      for (const h of [
        'X-Hermes-Session-Id',
        'X-Hermes-Session-Key',
        'Idempotency-Replayed',
        'Retry-After',
        'X-Request-Id',
      ]) {
        expect(exposed).to.include(h);
      }
    });

    it('answers a preflight with 200, no auth, max-age 600 and the methods and headers clients send', async () => {
      const res = await gw.request('/v1/runs/run_x/approval', {
        method: 'OPTIONS',
        auth: false,
        headers: {
          origin: 'http://localhost:3000',
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization, idempotency-key, x-stainless-os',
        },
      });
      expect(res.status).to.equal(200);
      expect(await res.text()).to.equal('');
      expect(res.headers.get('access-control-max-age')).to.equal('600');
      const methods = res.headers.get('access-control-allow-methods') ?? '';
      for (const m of ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS']) expect(methods).to.include(m);
      const headers = res.headers.get('access-control-allow-headers') ?? '';
      for (const h of [
        'Authorization',
        'Content-Type',
        'Idempotency-Key',
        'X-Hermes-Session-Id',
        'X-Hermes-Session-Key',
        'Last-Event-ID',
        'x-stainless-os',
      ]) {
        expect(headers).to.include(h);
      }
    });

    it('still answers 403 to another origin', async () => {
      const res = await gw.request('/health', { headers: { origin: 'http://localhost:3001' } });
      expect(res.status).to.equal(403);
    });

    it('still requires the key on the actual request', async () => {
      const res = await gw.request('/v1/models', { auth: false, headers: { origin: 'http://localhost:3000' } });
      expect(res.status).to.equal(401);
      expect(res.headers.get('access-control-allow-origin')).to.equal('http://localhost:3000');
    });
  });

  it('answers any origin with * and no Vary when * is configured', async () => {
    const gw = await startTestGateway({ corsOrigins: ['*'] });
    try {
      const res = await gw.request('/health', { headers: { origin: 'https://anything.example' } });
      expect(res.headers.get('access-control-allow-origin')).to.equal('*');
      expect(res.headers.get('vary')).to.equal(null);
    } finally {
      await gw.stop();
    }
  });
});
