import { expect } from 'chai';
import OpenAI from 'openai';
import { type FakeUpstream, startFakeUpstream } from '../../fixtures/upstream/openai-upstream.js';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';

const UP_KEY = 'sk-upstream-sdk-0123456789';

describe('proxy mode through the official openai SDK', () => {
  let up: FakeUpstream;
  let gw: TestGateway;
  let client: OpenAI;
  before(async () => {
    up = await startFakeUpstream({ key: UP_KEY, text: 'Proxied hello there' });
    gw = await startTestGateway({ upstreams: [{ name: 'default', baseUrl: up.baseUrl, key: UP_KEY }] });
    client = new OpenAI({ apiKey: gw.key, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  });
  after(async () => {
    await gw.stop();
    await up.close();
  });
  afterEach(() => {
    // The upstream sees its own key on every request, never the gateway key.
    for (const request of up.requests) {
      expect(request.headers.authorization).to.equal(`Bearer ${UP_KEY}`);
      expect(JSON.stringify(request.headers)).not.to.include(TEST_KEY);
    }
    up.requests.length = 0;
  });

  it('completes a chat', async () => {
    const completion = await client.chat.completions.create({
      model: 'up-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0].message.content).to.equal('Proxied hello there');
    expect(up.requests).to.have.length(1);
  });

  it('streams a chat through chat.completions.stream()', async () => {
    const stream = client.chat.completions.stream({ model: 'up-model', messages: [{ role: 'user', content: 'hi' }] });
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const final = await stream.finalChatCompletion();
    expect(deltas.join('')).to.equal('Proxied hello there');
    expect(final.choices[0].message.content).to.equal('Proxied hello there');
  });

  it('creates a response, and streams one through responses.stream()', async () => {
    const response = await client.responses.create({ model: 'up-model', input: 'hi' });
    expect(response.output_text).to.equal('Proxied hello there');

    const stream = client.responses.stream({ model: 'up-model', input: 'hi' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.join('')).to.equal('Proxied hello there');
    expect(final.output_text).to.equal('Proxied hello there');
  });

  it('lists the upstream models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).to.deep.equal(['up-model']);
  });

  it('raises the upstream error for an upstream 4xx', async () => {
    const bad = new OpenAI({ apiKey: gw.key, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    up.handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: 'bad things', type: 'invalid_request_error', param: null, code: 'x' } }),
      );
      return true;
    };
    try {
      await bad.chat.completions.create({ model: 'up-model', messages: [{ role: 'user', content: 'hi' }] });
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).to.include('bad things');
    } finally {
      up.handler = null;
    }
  });
});

describe('model routing between agents and upstreams', () => {
  let up: FakeUpstream;
  let gw: TestGateway;
  before(async () => {
    up = await startFakeUpstream({ key: UP_KEY, models: ['gpt-real'] });
    gw = await startTestGateway({
      agents: [{ ...scriptedAgentConfig(), name: 'scripted' }],
      upstreams: [{ name: 'openai', baseUrl: up.baseUrl, key: UP_KEY }],
      routes: [
        { model: 'fast', upstream: 'openai', upstreamModel: 'gpt-real' },
        { model: 'helper', agent: 'scripted' },
      ],
      keys: [
        { name: 'all', key: TEST_KEY },
        { name: 'limited', key: 'sk-limited-0123456789abcdef', models: ['helper'] },
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

  const chat = (model: string, key = TEST_KEY) =>
    gw.request('/v1/chat/completions', {
      method: 'POST',
      json: { model, messages: [{ role: 'user', content: 'hello' }] },
      headers: { authorization: `Bearer ${key}` },
    });

  it('proxies a routed model with the upstream model name written into the body', async () => {
    const res = await chat('fast');
    expect(res.status).to.equal(200);
    expect(JSON.parse(up.requests[0].body).model).to.equal('gpt-real');
  });

  it('runs agent models and agent aliases on the agent', async () => {
    for (const model of ['scripted', 'helper']) {
      const res = await chat(model);
      expect(res.status, model).to.equal(200);
      expect((await bodyOf(res)).object).to.equal('chat.completion');
    }
    expect(up.requests).to.have.length(0);
  });

  it('answers 404 model_not_found for an unknown model and proxies nothing else', async () => {
    const res = await chat('nope');
    expect(res.status).to.equal(404);
    expect((await bodyOf(res)).error.code).to.equal('model_not_found');
    const other = await gw.request('/v1/embeddings', { method: 'POST', json: { model: 'nope', input: 'x' } });
    expect(other.status).to.equal(404);
    expect(up.requests).to.have.length(0);
  });

  it('forwards an unowned /v1 route whose model is routed to an upstream', async () => {
    const res = await gw.request('/v1/embeddings', { method: 'POST', json: { model: 'fast', input: 'x' } });
    expect(res.status).to.equal(200);
    expect(JSON.parse(up.requests[0].body).model).to.equal('gpt-real');
  });

  it('answers 403 model_not_allowed for a model outside the key list, alias or upstream alike', async () => {
    const proxied = await chat('fast', 'sk-limited-0123456789abcdef');
    expect(proxied.status).to.equal(403);
    expect((await bodyOf(proxied)).error.code).to.equal('model_not_allowed');
    const agent = await chat('scripted', 'sk-limited-0123456789abcdef');
    expect(agent.status).to.equal(403);
    const alias = await chat('helper', 'sk-limited-0123456789abcdef');
    expect(alias.status).to.equal(200);
    expect(up.requests).to.have.length(0);
  });

  it('lists agents and routes at /v1/models, not the upstream catalogue', async () => {
    const res = await gw.request('/v1/models');
    const ids = (await bodyOf(res)).data.map((m: { id: string }) => m.id);
    expect(ids).to.deep.equal(['scripted', 'fast', 'helper']);
  });
});
