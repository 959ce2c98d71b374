import { expect } from 'chai';
import nock from 'nock';
import { bodyOf, startTestGateway, type TestGateway } from '../support/gateway.js';

// Importing nock turns interception on for the whole process, and mocha imports every spec before running any:
// keep it off until this suite runs.
nock.restore();

const UPSTREAM = 'http://upstream.nock.test';
const chat = { model: 'up-model', messages: [{ role: 'user', content: 'hi' }] };

/** nock's mock socket stays open, so a reply without Content-Length would never end (real servers frame theirs). */
function framed(body: unknown, type = 'application/json'): [string, Record<string, string>] {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return [text, { 'content-type': type, 'content-length': String(Buffer.byteLength(text)) }];
}

describe('proxy faults injected with nock', () => {
  let gw: TestGateway;
  before(async () => {
    if (!nock.isActive()) nock.activate();
    gw = await startTestGateway({
      upstreams: [{ name: 'default', baseUrl: `${UPSTREAM}/v1`, key: 'sk-up-nock-0123456789', timeoutSeconds: 0.3 }],
    });
  });
  after(async () => {
    await gw.stop();
    nock.cleanAll();
    nock.restore(); // nock intercepts every http request of the process until restored: later specs need real sockets
  });
  afterEach(() => nock.cleanAll());

  // The gateway keeps serving after each fault: every case ends with one good request.
  async function expectStillServing() {
    nock(UPSTREAM)
      .post('/v1/chat/completions')
      .reply(200, ...framed({ ok: true }));
    const res = await gw.request('/v1/chat/completions', { method: 'POST', json: chat });
    expect(res.status).to.equal(200);
    expect(await bodyOf(res)).to.deep.equal({ ok: true });
  }

  it('answers 502 upstream_unavailable for a connection reset', async () => {
    nock(UPSTREAM)
      .post('/v1/chat/completions')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const res = await gw.request('/v1/chat/completions', { method: 'POST', json: chat });
    expect(res.status).to.equal(502);
    expect(await bodyOf(res)).to.deep.equal({
      error: {
        message: 'Upstream unavailable: default: ECONNRESET (socket hang up)',
        type: 'server_error',
        param: null,
        code: 'upstream_unavailable',
      },
    });
    await expectStillServing();
  });

  it('answers 504 upstream_timeout when the upstream answers after the idle timeout', async () => {
    nock(UPSTREAM)
      .post('/v1/chat/completions')
      .reply(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1500)); // silent far past the 300 ms idle timeout
        return [200, ...framed({ late: true })];
      });
    const res = await gw.request('/v1/chat/completions', { method: 'POST', json: chat });
    expect(res.status).to.equal(504);
    const body = await bodyOf(res);
    expect(body.error).to.deep.include({ type: 'server_error', code: 'upstream_timeout', param: null });
    expect(body.error.message).to.match(/^Upstream timed out: default: no data for 300 ms/);
    await expectStillServing();
  });

  it('answers 502 upstream_invalid_response for a malformed JSON body', async () => {
    nock(UPSTREAM)
      .post('/v1/chat/completions')
      .reply(200, ...framed('{"id":"chatcmpl-1","choices":[{'));
    const res = await gw.request('/v1/chat/completions', { method: 'POST', json: chat });
    expect(res.status).to.equal(502);
    expect(await bodyOf(res)).to.deep.equal({
      error: {
        message: 'Upstream sent an invalid response: default: 200 body is not valid JSON',
        type: 'server_error',
        param: null,
        code: 'upstream_invalid_response',
      },
    });
    await expectStillServing();
  });

  it('retries a GET after a refused connection but never a POST', async () => {
    const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    nock(UPSTREAM)
      .get('/v1/files')
      .replyWithError(refused())
      .get('/v1/files')
      .reply(200, ...framed({ data: [] }));
    const get = await gw.request('/v1/files');
    expect(get.status).to.equal(200);
    expect(await bodyOf(get)).to.deep.equal({ data: [] });

    const scope = nock(UPSTREAM)
      .post('/v1/chat/completions')
      .replyWithError(refused())
      .post('/v1/chat/completions')
      .reply(200, ...framed({ ok: true }));
    const post = await gw.request('/v1/chat/completions', { method: 'POST', json: chat });
    expect(post.status).to.equal(502);
    expect((await bodyOf(post)).error.code).to.equal('upstream_unavailable');
    expect(scope.pendingMocks()).to.have.length(1); // the second answer was never asked for
  });

  it('never retries a POST whose connection was reset after it was sent', async () => {
    const scope = nock(UPSTREAM)
      .post('/v1/embeddings')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .post('/v1/embeddings')
      .reply(200, ...framed({ second: true }));
    const res = await gw.request('/v1/embeddings', { method: 'POST', json: { model: 'up-model', input: 'a' } });
    expect(res.status).to.equal(502);
    expect(scope.pendingMocks()).to.have.length(1);
  });
});
