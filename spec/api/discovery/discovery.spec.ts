import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { expectOpenAiSchema } from '../../support/openai-schema.js';

describe('discovery and health', function () {
  this.timeout(20_000);
  let gw: TestGateway;
  before(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agw-disc-'));
    gw = await startTestGateway({
      dataDir,
      store: `sqlite://${join(dataDir, 'gw.sqlite')}`,
      agents: [scriptedAgentConfig(), scriptedAgentConfig({ name: 'second-agent' })],
    });
  });
  after(() => gw.stop());

  it('lists one model per configured agent, named by agentInfo unless configured (case 3)', async () => {
    const res = await gw.request('/v1/models');
    expect(res.status).to.equal(200);
    const body = await bodyOf(res);
    expectOpenAiSchema('ListModelsResponse', body);
    expect(body.object).to.equal('list');
    expect(body.data.map((m: { id: string }) => m.id)).to.deep.equal(['scripted-agent', 'second-agent']);
    expect(body.data[0]).to.include({
      object: 'model',
      owned_by: 'agent-gateway',
      root: 'scripted-agent',
      parent: null,
    });
  });

  it('routes a request to the agent its model names', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'second-agent', messages: [{ role: 'user', content: 'who? [[echo]]' }] },
    });
    const body = await bodyOf(res);
    expect(body.model).to.equal('second-agent');
  });

  it('describes the gateway in /v1/capabilities, flagging only what is built (case 6)', async () => {
    const body = await bodyOf(await gw.request('/v1/capabilities'));
    expect(body).to.include({
      object: 'hermes.api_server.capabilities',
      platform: 'agent-gateway',
      model: 'scripted-agent',
    });
    expect(body.auth).to.deep.equal({ type: 'bearer', required: true });
    expect(body.runtime.mode).to.equal('server_agent');
    expect(body.features).to.include({
      chat_completions: true,
      chat_completions_streaming: true,
      session_continuity_header: 'X-Hermes-Session-Id',
      session_key_header: 'X-Hermes-Session-Key',
      jobs_admin: true,
      cors: false,
    });
    expect(body.endpoints.chat_completions).to.deep.equal({ method: 'POST', path: '/v1/chat/completions' });
    expect(body.endpoints.health).to.deep.equal({ method: 'GET', path: '/health' });
    expect(body.endpoints.model).to.deep.equal({ method: 'GET', path: '/v1/models/{model}' });
    expect(body.endpoints.response_input_items).to.deep.equal({
      method: 'GET',
      path: '/v1/responses/{response_id}/input_items',
    });
    for (const [name, endpoint] of Object.entries<{ path: string }>(body.endpoints)) {
      expect(endpoint.path, name).to.match(/^\/(v1|health|api)/);
    }
  });

  it('reports readiness in /health/detailed: store, agents, disk, runs', async () => {
    const res = await gw.request('/health/detailed');
    expect(res.status).to.equal(200);
    const body = await bodyOf(res);
    expect(body.status).to.equal('ok');
    expect(body.readiness.checks.store).to.include({ status: 'ok', backend: 'sqlite' });
    expect(body.readiness.checks.agents.status).to.equal('ok');
    expect(body.readiness.checks.agents.agents.map((a: { id: string }) => a.id)).to.deep.equal([
      'scripted-agent',
      'second-agent',
    ]);
    expect(body.readiness.checks.disk.free_bytes).to.be.greaterThan(0);
    expect(body.readiness.checks.runs).to.include({ active_runs: 0, max_concurrent_runs: 10 });
    expect(body.pid).to.equal(process.pid);
  });

  it('stays 200 but degraded when the store fails, and agent routes answer 503 store_unavailable instead of hanging', async () => {
    await gw.services.store.close();
    const health = await gw.request('/health/detailed');
    expect(health.status).to.equal(200);
    const body = await bodyOf(health);
    expect(body.status).to.equal('degraded');
    expect(body.readiness.checks.store.status).to.equal('down');
    const chat = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'scripted-agent', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(chat.status).to.equal(503);
    const { error } = await bodyOf(chat);
    expect(error).to.include({ code: 'store_unavailable', type: 'server_error' });
    expect(chat.headers.get('retry-after')).to.equal('1');
  });
});
