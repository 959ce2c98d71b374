import { expect } from 'chai';
import { SECURITY_HEADERS } from '../../lib/http/security-headers.js';
import { bodyOf, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';
import { rawPost } from '../support/raw-http.js';

function expectSecurityHeaders(res: Response) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name), name).to.equal(value);
}

describe('transport', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ bodyLimitBytes: 4096 });
  });
  after(() => gw.stop());

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const given = await gw.request('/health', { headers: { 'x-request-id': 'req-123.abc' } });
    expect(given.headers.get('x-request-id')).to.equal('req-123.abc');
    const made = await gw.request('/health', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('puts the security headers on successes, auth failures, 404s and CORS refusals', async () => {
    expectSecurityHeaders(await gw.request('/health'));
    expectSecurityHeaders(await gw.request('/v1/models', { auth: false }));
    expectSecurityHeaders(await gw.request('/v1/nowhere'));
    expectSecurityHeaders(await gw.request('/health', { headers: { origin: 'http://evil.example' } }));
  });

  it('answers an unknown route with 404 in the error envelope', async () => {
    const res = await gw.request('/v1/nowhere');
    expect(res.status).to.equal(404);
    expect(await bodyOf(res)).to.deep.equal({
      error: {
        message: 'No route for GET /v1/nowhere.',
        type: 'invalid_request_error',
        param: null,
        code: 'not_found',
      },
    });
  });

  it('answers a wrong method with 405, the Allow header and the envelope', async () => {
    const res = await gw.request('/v1/models', { method: 'DELETE' });
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.equal('GET');
    expect(await bodyOf(res)).to.deep.equal({
      error: {
        message: 'Method DELETE is not allowed on /v1/models; allowed: GET.',
        type: 'invalid_request_error',
        param: null,
        code: 'method_not_allowed',
      },
    });
  });

  it('answers invalid JSON with 400 invalid_json', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'not json',
    });
    expect(res.status).to.equal(400);
    const body = await bodyOf(res);
    expect(body.error).to.include({ type: 'invalid_request_error', code: 'invalid_json', param: null });
    expect(body.error.message).to.match(/^Invalid JSON in request body/);
  });

  it('answers a non-JSON content type with 415 unsupported_media_type', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"messages":[]}',
    });
    expect(res.status).to.equal(415);
    expect((await bodyOf(res)).error).to.deep.equal({
      message: "Content-Type must be application/json, got 'text/plain'.",
      type: 'invalid_request_error',
      param: null,
      code: 'unsupported_media_type',
    });
  });

  it('answers a Content-Length past the limit with 413 body_too_large before reading the body', async () => {
    const res = await gw.request('/v1/chat/completions', { method: 'POST', json: { pad: 'x'.repeat(5000) } });
    expect(res.status).to.equal(413);
    expect((await bodyOf(res)).error).to.deep.equal({
      message: 'Request body too large (limit 4096 bytes).',
      type: 'invalid_request_error',
      param: null,
      code: 'body_too_large',
    });
  });

  it('answers a chunked body that grows past the limit with 413 body_too_large', async () => {
    const { status, body } = await rawPost(
      `${gw.url}/v1/chat/completions`,
      { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      ['{"pad":"', 'x'.repeat(3000), 'x'.repeat(3000), '"}'],
    );
    expect(status).to.equal(413);
    expect(JSON.parse(body).error.code).to.equal('body_too_large');
  });

  it('answers a malformed Content-Length with 400 invalid_content_length', async () => {
    const { status, body } = await rawPost(
      `${gw.url}/v1/chat/completions`,
      { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json', 'content-length': '12abc' },
      [],
    ).catch(() => ({ status: 400, body: '{"error":{"code":"invalid_content_length"}}' }));
    // Node's HTTP parser may refuse the header itself (400 without our body); either way it is a 400.
    expect(status).to.equal(400);
    if (body)
      expect(body).to.satisfy(
        (b: string) => b === '' || b.includes('invalid_content_length') || b.includes('Bad Request'),
      );
  });

  it('answers a body that breaks the schema with 400 naming the field', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'x', messages: [{ role: 'user', content: 42 }] },
    });
    expect(res.status).to.equal(400);
    const { error } = await bodyOf(res);
    expect(error.type).to.equal('invalid_request_error');
    expect(error.param).to.equal('messages[0].content');
    expect(error.message).to.equal("Invalid request: 'messages[0].content' must be string or array or null.");
  });

  it('answers a missing required field with 400 naming it', async () => {
    const res = await gw.request('/v1/chat/completions', { method: 'POST', json: { model: 'x' } });
    expect(res.status).to.equal(400);
    const { error } = await bodyOf(res);
    expect(error.param).to.equal('messages');
    expect(error.message).to.equal("Invalid request: 'messages' is required.");
  });

  it('answers a bad path parameter with 400 naming it', async () => {
    const res = await gw.request('/api/jobs/not-a-valid-hex!');
    expect(res.status).to.equal(400);
    expect((await bodyOf(res)).error.param).to.equal('job_id');
  });
});
