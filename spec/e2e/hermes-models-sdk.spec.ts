import { expect } from 'chai';
import OpenAI, { NotFoundError } from 'openai';
import { scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';
import { expectOpenAiSchema } from '../support/openai-schema.js';

const NARROW_KEY = 'sk-narrow-0123456789abcdef';

describe('models through the openai SDK (models.list, models.retrieve)', function () {
  this.timeout(20_000);
  let gw: TestGateway;
  let client: OpenAI;
  let narrow: OpenAI;
  before(async () => {
    gw = await startTestGateway({
      agents: [scriptedAgentConfig(), scriptedAgentConfig({ name: 'second-agent' })],
      routes: [{ model: 'fast', agent: 'second-agent' }],
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'narrow', key: NARROW_KEY, models: ['second-agent'] },
      ],
    });
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
    narrow = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: NARROW_KEY, maxRetries: 0 });
  });
  after(() => gw.stop());

  it('retrieves the same entry models.list gives, for an agent and for a route alias', async () => {
    const listed = [];
    for await (const model of client.models.list()) listed.push(model);
    expect(listed.map((m) => m.id)).to.deep.equal(['scripted-agent', 'second-agent', 'fast']);
    for (const entry of listed) {
      const model = await client.models.retrieve(entry.id);
      expectOpenAiSchema('Model', JSON.parse(JSON.stringify(model)));
      expect(model).to.deep.equal(entry);
    }
  });

  it('answers models.retrieve of an unknown id with a NotFoundError carrying model_not_found', async () => {
    const error = await client.models.retrieve('no-such-model').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NotFoundError);
    expect((error as NotFoundError).code).to.equal('model_not_found');
    expect((error as NotFoundError).error).to.deep.equal({
      message: "The model 'no-such-model' does not exist.",
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    });
  });

  it('lists only the models a key limited to one model may use', async () => {
    const listed = [];
    for await (const model of narrow.models.list()) listed.push(model.id);
    expect(listed).to.deep.equal(['second-agent']);
    expect((await narrow.models.retrieve('second-agent')).id).to.equal('second-agent');
  });

  it('answers a limited key 404 model_not_found for a model outside its list, alias included', async () => {
    for (const id of ['scripted-agent', 'fast']) {
      const error = await narrow.models.retrieve(id).catch((e: unknown) => e);
      expect(error, id).to.be.instanceOf(NotFoundError);
      expect((error as NotFoundError).code, id).to.equal('model_not_found');
    }
  });
});
