// The proxy fast path (lib/proxy/fast-path.ts) answers like the express chain: each gate on a proxied route.
import { expect } from 'chai';
import { type FakeUpstream, startFakeUpstream } from '../../fixtures/upstream/openai-upstream.js';
import { SECURITY_HEADERS } from '../../lib/http/security-headers.js';
import { bodyOf, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';
import { rawPost } from '../support/raw-http.js';

const LIMITED = 'sk-fast-limited-0123456789';
const NARROW = 'sk-fast-narrow-0123456789';
const chat = (model: string, extra: object = {}) => ({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('proxy fast path: the gates on proxied routes', () => {
  let up: FakeUpstream;
  let gw: TestGateway;
  before(async () => {
    up = await startFakeUpstream();
    gw = await startTestGateway({
      corsOrigins: ['https://app.example'],
      bodyLimitBytes: 4096,
      upstreams: [{ name: 'default', baseUrl: up.baseUrl }],
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'limited', key: LIMITED, requestsPerMinute: 2 },
        { name: 'narrow', key: NARROW, models: ['up-model'] },
      ],
    });
  });
  after(async () => {
    await gw.stop();
    await up.close();
  });
  beforeEach(() => {
    up.requests.length = 0;
  });

  it('answers a disallowed Origin with 403, an empty body and the security headers, and forwards nothing', async () => {
    for (const path of ['/v1/chat/completions', '/v1/embeddings']) {
      const res = await gw.request(path, {
        method: 'POST',
        json: chat('up-model'),
        headers: { origin: 'https://evil.example' },
      });
      expect(res.status).to.equal(403);
      expect(await res.text()).to.equal('');
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name)).to.equal(value);
      expect(res.headers.get('x-request-id')).to.be.a('string');
    }
    expect(up.requests).to.have.length(0);
  });

  it('adds the CORS headers for an allowed Origin to a proxied answer', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chat('up-model'),
      headers: { origin: 'https://app.example' },
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('access-control-allow-origin')).to.equal('https://app.example');
    expect(res.headers.get('vary')).to.match(/Origin/);
    expect(res.headers.get('access-control-expose-headers')).to.include('X-Request-Id');
  });

  it('answers 401 in the envelope without a key, echoing the request id', async () => {
    for (const path of ['/v1/chat/completions', '/v1/embeddings']) {
      const res = await gw.request(path, {
        method: 'POST',
        json: chat('up-model'),
        auth: false,
        headers: { 'x-request-id': 'fast-401' },
      });
      expect(res.status).to.equal(401);
      expect(res.headers.get('x-request-id')).to.equal('fast-401');
      expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
      expect(await bodyOf(res)).to.deep.equal({
        error: {
          message: 'Invalid gateway API key (API_SERVER_KEY)',
          type: 'gateway_auth_error',
          param: null,
          code: 'gateway_auth_failed',
        },
      });
    }
    expect(up.requests).to.have.length(0);
  });

  it('answers 413 for a Content-Length past the limit and for a chunked JSON body that grows past it', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chat('up-model', { pad: 'x'.repeat(5000) }),
    });
    expect(res.status).to.equal(413);
    expect((await bodyOf(res)).error).to.deep.equal({
      message: 'Request body too large (limit 4096 bytes).',
      type: 'invalid_request_error',
      param: null,
      code: 'body_too_large',
    });
    const chunked = await rawPost(
      `${gw.url}/v1/chat/completions`,
      { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      ['{"model":"up-model","pad":"', 'x'.repeat(3000), 'x'.repeat(3000), '"}'],
    );
    expect(chunked.status).to.equal(413);
    expect(JSON.parse(chunked.body).error.code).to.equal('body_too_large');
    expect(up.requests).to.have.length(0);
  });

  it('answers 400 invalid_json and 400 naming the field for a routed model, before the upstream sees it', async () => {
    const broken = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"model":',
    });
    expect(broken.status).to.equal(400);
    expect((await bodyOf(broken)).error).to.include({ code: 'invalid_json', type: 'invalid_request_error' });
    const invalid = await gw.request('/v1/chat/completions', { method: 'POST', json: { model: 'up-model' } });
    expect(invalid.status).to.equal(400);
    expect((await bodyOf(invalid)).error).to.deep.equal({
      message: "Invalid request: 'messages' is required.",
      type: 'invalid_request_error',
      param: 'messages',
      code: 'invalid_request',
    });
    expect(up.requests).to.have.length(0);
  });

  it('answers 403 model_not_allowed for a model outside the key list and forwards the allowed one', async () => {
    const narrow = { authorization: `Bearer ${NARROW}` };
    const refused = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chat('up-other'),
      headers: narrow,
    });
    expect(refused.status).to.equal(403);
    expect((await bodyOf(refused)).error).to.include({ code: 'model_not_allowed', param: 'model' });
    const allowed = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: chat('up-model'),
      headers: narrow,
    });
    expect(allowed.status).to.equal(200);
    expect(up.requests).to.have.length(1);
  });

  it('puts the x-ratelimit headers on proxied answers of a limited key, then answers 429 with Retry-After', async () => {
    const limited = { authorization: `Bearer ${LIMITED}` };
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const res = await gw.request('/v1/chat/completions', {
        method: 'POST',
        json: chat('up-model'),
        headers: limited,
      });
      seen.push([
        res.status,
        res.headers.get('x-ratelimit-limit-requests'),
        res.headers.get('x-ratelimit-remaining-requests'),
      ]);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).to.match(/^\d+$/);
        expect((await bodyOf(res)).error.code).to.equal('rate_limit_exceeded');
      } else await res.arrayBuffer();
    }
    expect(seen).to.deep.equal([
      [200, '2', '1'],
      [200, '2', '0'],
      [429, '2', '0'],
    ]);
    expect(up.requests).to.have.length(2);
  });

  it('forwards the client bytes unchanged when the route does not rename the model', async () => {
    const text = '{ "model": "up-model",  "messages": [{"role": "user", "content": "hi"}] }';
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    expect(res.status).to.equal(200);
    expect(up.requests[0].body).to.equal(text);
  });
});
