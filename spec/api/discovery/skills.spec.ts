// GET /v1/skills (reference §9): the slash commands each agent advertises (ACP available_commands_update), per model;
// and the capabilities flags of the discovery routes.
import { expect } from 'chai';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../../support/gateway.js';

const LIMITED_KEY = 'sk-limited-0123456789abcdef';
const STEER = {
  name: 'steer',
  description: 'Inject guidance into the currently running agent turn',
  category: null,
  input_hint: 'guidance for the active turn',
  model: 'hermes-like',
};

describe('GET /v1/skills', function () {
  this.timeout(20_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({
      agents: [
        scriptedAgentConfig({ name: 'hermes-like', env: { SCRIPTED_AGENT_COMMANDS: 'hermes' } }),
        scriptedAgentConfig({
          name: 'custom',
          env: { SCRIPTED_AGENT_COMMANDS: JSON.stringify([{ name: 'deploy', description: 'Ship it', hint: 'env' }]) },
        }),
        scriptedAgentConfig({ name: 'quiet', env: { SCRIPTED_AGENT_COMMANDS: 'none' } }),
      ],
      routes: [{ model: 'alias', agent: 'custom' }],
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'limited', key: LIMITED_KEY, models: ['custom'] },
      ],
    });
  });
  after(() => gw.stop());

  it('lists every advertised command of every agent with its model, before any session was opened', async () => {
    const res = await gw.request('/v1/skills');
    expect(res.status).to.equal(200);
    const body = await bodyOf(res);
    expect(body.object).to.equal('list');
    expect(body.data.map((skill: { model: string; name: string }) => `${skill.model}:${skill.name}`)).to.deep.equal([
      'hermes-like:help',
      'hermes-like:model',
      'hermes-like:tools',
      'hermes-like:context',
      'hermes-like:reset',
      'hermes-like:compress',
      'hermes-like:steer',
      'hermes-like:queue',
      'hermes-like:version',
      'custom:deploy',
    ]);
    expect(body.data.find((skill: { name: string }) => skill.name === 'steer')).to.deep.equal(STEER);
    expect(body.data.find((skill: { name: string }) => skill.name === 'help')).to.deep.equal({
      name: 'help',
      description: 'List available commands',
      category: null,
      input_hint: null,
      model: 'hermes-like',
    });
  });

  it('filters by model, an alias naming its agent', async () => {
    const deploy = { name: 'deploy', description: 'Ship it', category: null, input_hint: 'env', model: 'custom' };
    expect(await bodyOf(await gw.request('/v1/skills?model=custom'))).to.deep.equal({ object: 'list', data: [deploy] });
    expect(await bodyOf(await gw.request('/v1/skills?model=alias'))).to.deep.equal({ object: 'list', data: [deploy] });
    expect(await bodyOf(await gw.request('/v1/skills?model=quiet'))).to.deep.equal({ object: 'list', data: [] });
  });

  it('answers 404 model_not_found for an unknown model', async () => {
    const res = await gw.request('/v1/skills?model=nope');
    expect(res.status).to.equal(404);
    expect((await bodyOf(res)).error).to.include({ code: 'model_not_found', type: 'invalid_request_error' });
  });

  it('shows a key limited to some models only their skills, and hides the others as unknown', async () => {
    const auth = { authorization: `Bearer ${LIMITED_KEY}` };
    const body = await bodyOf(await gw.request('/v1/skills', { headers: auth }));
    expect(body.data.map((skill: { model: string }) => skill.model)).to.deep.equal(['custom']);
    const hidden = await gw.request('/v1/skills?model=hermes-like', { headers: auth });
    expect(hidden.status).to.equal(404);
  });

  it('answers 401 without a key', async () => {
    expect((await gw.request('/v1/skills', { auth: false })).status).to.equal(401);
  });

  it('flags skills, toolsets and steer as built in /v1/capabilities', async () => {
    const body = await bodyOf(await gw.request('/v1/capabilities'));
    expect(body.features).to.include({ skills_api: true, toolsets_api: true, run_steer: true });
    expect(body.endpoints.skills).to.deep.equal({ method: 'GET', path: '/v1/skills' });
    expect(body.endpoints.toolsets).to.deep.equal({ method: 'GET', path: '/v1/toolsets' });
    expect(body.endpoints.run_steer).to.deep.equal({ method: 'POST', path: '/v1/runs/{run_id}/steer' });
  });
});

describe('GET /v1/skills with an agent that is down', function () {
  this.timeout(20_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ agents: [{ name: 'broken', command: '/nonexistent/acp-agent' }] });
  });
  after(() => gw.stop());

  it('lists nothing for it instead of failing', async () => {
    const res = await gw.request('/v1/skills');
    expect(res.status).to.equal(200);
    expect(await bodyOf(res)).to.deep.equal({ object: 'list', data: [] });
  });
});
