// Proxy-only mode (issue 14, fault 8): with an upstream and no agent, an operation only an agent can serve is the
// request's fault, not the gateway's: 400 no_agent_configured naming the reason, never 503 agent_unavailable.
import { expect } from 'chai';
import type { FakeUpstream } from '../../fixtures/upstream/openai-upstream.js';
import { bodyOf, type TestGateway, withUpstreamGateway } from '../support/gateway.js';

const UP_KEY = 'sk-upstream-secret-0123456789';

describe('proxy-only mode: operations that need an agent', () => {
  let gw: TestGateway;
  let up: FakeUpstream;
  withUpstreamGateway(
    { key: UP_KEY, models: ['up-model'] },
    (u) => ({ upstreams: [{ name: 'default', baseUrl: u.baseUrl, key: UP_KEY }] }),
    (u, g) => {
      up = u;
      gw = g;
    },
  );

  const CASES: Array<{ name: string; path: string; json: unknown }> = [
    { name: 'a run with no model', path: '/v1/runs', json: { input: 'x' } },
    { name: 'a run naming an upstream model', path: '/v1/runs', json: { model: 'up-model', input: 'x' } },
    { name: 'a session chat', path: '/api/sessions/s1/chat', json: { message: 'hi' } },
    { name: 'a streamed session chat', path: '/api/sessions/s1/chat/stream', json: { message: 'hi' } },
  ];

  for (const { name, path, json } of CASES) {
    it(`answers 400 no_agent_configured for ${name}`, async () => {
      const res = await gw.request(path, { method: 'POST', json });
      expect(res.status).to.equal(400);
      const body = await bodyOf(res);
      expect(body).to.deep.equal({
        error: {
          message:
            'This operation needs an agent, and this gateway runs none (proxy-only mode): configure one with --agent or agents:.',
          type: 'invalid_request_error',
          param: null,
          code: 'no_agent_configured',
        },
      });
      expect(up.requests).to.have.length(0);
    });
  }

  it('still forwards what an upstream serves', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'up-model', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.status).to.equal(200);
  });
});
