// The access log: one info line per request, written when the response is over, with what was decided for it (key
// name, operation, model, target) and, for a refusal, why — never a key, never a query string, one `msg` per line.
import { expect } from 'chai';
import { type FakeUpstream, startFakeUpstream } from '../../fixtures/upstream/openai-upstream.js';
import { until } from '../agents/scripted-agent-config.js';
import { scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';
import { rawLogger } from '../support/raw-logger.js';

const LIMITED_KEY = 'sk-access-limited-0123456789';
const UP_KEY = 'sk-access-upstream-0123456789';
const WRONG_KEY = 'sk-access-wrong-0123456789';
const ORIGIN = 'https://app.example';

describe('access log', function () {
  this.timeout(30_000);
  let up: FakeUpstream;
  let gw: TestGateway;
  let lines: string[];

  /** The access line of the request with this id, once written. */
  async function accessLine(requestId: string): Promise<Record<string, unknown>> {
    const find = () => lines.filter((l) => l.includes('"msg":"request"') && l.includes(`"requestId":"${requestId}"`));
    await until(() => find().length > 0);
    await new Promise((resolve) => setTimeout(resolve, 20)); // a second line would show up now
    expect(find(), 'one access line per request').to.have.length(1);
    return JSON.parse(find()[0]);
  }

  before(async () => {
    up = await startFakeUpstream({ key: UP_KEY });
    const raw = rawLogger('info');
    lines = raw.lines;
    gw = await startTestGateway({
      agents: [scriptedAgentConfig()],
      upstreams: [{ name: 'up', baseUrl: up.baseUrl, key: UP_KEY }],
      routes: [{ model: 'up-model', upstream: 'up' }],
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'limited', key: LIMITED_KEY, requestsPerMinute: 1 },
      ],
      corsOrigins: [ORIGIN],
      options: { logger: raw.logger },
    });
  });
  after(async () => {
    await gw?.stop();
    await up?.close();
    // Every line the gateway wrote: one msg each, and no key anywhere.
    for (const line of lines) {
      expect(line.match(/"msg":/g), line).to.have.length(1);
      for (const secret of [TEST_KEY, LIMITED_KEY, UP_KEY, WRONG_KEY]) expect(line).to.not.include(secret);
    }
  });

  it('logs an agent turn with its key name, operation, model and agent', async () => {
    const res = await gw.request('/v1/chat/completions?trace=secret-query', {
      method: 'POST',
      headers: { 'x-request-id': 'access-agent-1' },
      json: { model: 'scripted-agent', messages: [{ role: 'user', content: '[[text "hi there"]]' }] },
    });
    expect(res.status).to.equal(200);
    await res.json();
    const line = await accessLine('access-agent-1');
    expect(line).to.include({
      level: 30,
      msg: 'request',
      method: 'POST',
      path: '/v1/chat/completions',
      operation: 'createChatCompletion',
      status: 200,
      key: 'test',
      model: 'scripted-agent',
      target: 'agent',
      agent: 'scripted-agent',
    });
    expect(line.durationMs).to.be.a('number').and.at.least(0);
    expect(JSON.stringify(line)).to.not.include('secret-query');
  });

  it('logs a forwarded request with its upstream', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'x-request-id': 'access-upstream-1' },
      json: { model: 'up-model', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.status).to.equal(200);
    await res.json();
    expect(await accessLine('access-upstream-1')).to.include({
      operation: 'createChatCompletion',
      status: 200,
      key: 'test',
      model: 'up-model',
      target: 'upstream',
      upstream: 'up',
    });
  });

  it('logs a refused key with its reason, and never the Authorization value', async () => {
    const res = await gw.request('/v1/models', {
      headers: { authorization: `Bearer ${WRONG_KEY}`, 'x-request-id': 'access-401' },
    });
    expect(res.status).to.equal(401);
    const line = await accessLine('access-401');
    expect(line).to.include({ operation: 'listModels', status: 401, code: 'gateway_auth_failed', key: null });
    expect(lines.join('\n')).to.not.include(WRONG_KEY);
  });

  it('logs a rate-limit refusal with its code and which limit', async () => {
    const headers = { authorization: `Bearer ${LIMITED_KEY}` };
    expect((await gw.request('/v1/models', { headers })).status).to.equal(200);
    const res = await gw.request('/v1/models', { headers: { ...headers, 'x-request-id': 'access-429' } });
    expect(res.status).to.equal(429);
    expect(await accessLine('access-429')).to.include({
      status: 429,
      key: 'limited',
      code: 'rate_limit_exceeded',
      reason: 'requests_per_minute',
    });
  });

  it('logs a CORS refusal and an unknown path', async () => {
    const refused = await gw.request('/v1/models', {
      headers: { origin: 'https://evil.example', 'x-request-id': 'access-cors' },
    });
    expect(refused.status).to.equal(403);
    expect(await accessLine('access-cors')).to.include({ status: 403, code: 'cors_origin_not_allowed' });

    const missing = await gw.request('/nowhere?x=1', { headers: { 'x-request-id': 'access-404' } });
    expect(missing.status).to.equal(404);
    expect(await accessLine('access-404')).to.include({ path: '/nowhere', operation: null, status: 404 });
  });

  it('logs a request whose client went away, once', async () => {
    const controller = new AbortController();
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'x-request-id': 'access-gone' },
      json: {
        model: 'scripted-agent',
        stream: true,
        messages: [{ role: 'user', content: '[[text "first"]] [[sleep ms=20000]]' }],
      },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.cancel().catch(() => {});
    expect(await accessLine('access-gone')).to.include({ status: 200, aborted: true, target: 'agent' });
  });
});
