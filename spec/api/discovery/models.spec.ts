import { expect } from 'chai';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../../support/gateway.js';

const ONE_MODEL_KEY = 'sk-one-model-0123456789';
const NO_MODEL_KEY = 'sk-no-model-01234567890';

describe('GET /v1/models and /v1/models/{model}', function () {
  this.timeout(20_000);
  let gw: TestGateway;
  const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
  before(async () => {
    gw = await startTestGateway({
      agents: [scriptedAgentConfig(), scriptedAgentConfig({ name: 'second-agent' })],
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'one', key: ONE_MODEL_KEY, models: ['scripted-agent'] },
        { name: 'none', key: NO_MODEL_KEY, models: [] },
      ],
    });
  });
  after(() => gw.stop());

  it('answers GET /v1/models/{model} with the entry the list holds', async () => {
    const list = await bodyOf(await gw.request('/v1/models'));
    const res = await gw.request('/v1/models/second-agent');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(await bodyOf(res)).to.deep.equal(list.data[1]);
    expect(list.data[1]).to.deep.equal({
      id: 'second-agent',
      object: 'model',
      created: list.data[1].created,
      owned_by: 'agent-gateway',
      permission: [],
      root: 'second-agent',
      parent: null,
    });
  });

  it('answers 404 model_not_found in the error envelope for an unknown id', async () => {
    const res = await gw.request('/v1/models/nope');
    expect(res.status).to.equal(404);
    expect(await bodyOf(res)).to.deep.equal({
      error: {
        message: "The model 'nope' does not exist.",
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
  });

  it('answers 401 without a key', async () => {
    const res = await gw.request('/v1/models/scripted-agent', { auth: false });
    expect(res.status).to.equal(401);
  });

  it('lists only the allowed models of a limited key, and hides the others from GET by id', async () => {
    const list = await bodyOf(await gw.request('/v1/models', as(ONE_MODEL_KEY)));
    expect(list.data.map((m: { id: string }) => m.id)).to.deep.equal(['scripted-agent']);
    expect((await gw.request('/v1/models/scripted-agent', as(ONE_MODEL_KEY))).status).to.equal(200);
    const hidden = await gw.request('/v1/models/second-agent', as(ONE_MODEL_KEY));
    expect(hidden.status).to.equal(404);
    expect((await bodyOf(hidden)).error.code).to.equal('model_not_found');
  });

  it('lists nothing for a key allowed no model', async () => {
    expect(await bodyOf(await gw.request('/v1/models', as(NO_MODEL_KEY)))).to.deep.equal({ object: 'list', data: [] });
  });
});
