import { expect } from 'chai';
import OpenAI from 'openai';
import { echoOf, expectResponse, expectStreamEvent } from '../api/responses/responses-support.js';
import { scriptedAgentConfig, startTestGateway, type TestGateway } from '../support/gateway.js';

describe('Responses API through the openai SDK (scripted ACP agent)', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  let client: OpenAI;
  before(async () => {
    gw = await startTestGateway({ agents: [scriptedAgentConfig()] });
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key, maxRetries: 0 });
  });
  after(() => gw.stop());

  it('answers responses.create with a Response the SDK parses, output_text included', async () => {
    const { data, response } = await client.responses
      .create({ model: 'scripted-agent', input: '[[text "Hello from the agent" chunks=3]]' })
      .withResponse();
    expect(data.output_text).to.equal('Hello from the agent');
    expect(data.status).to.equal('completed');
    expect(data.id).to.match(/^resp_[0-9a-f]{28}$/);
    expect(response.headers.get('x-hermes-session-id')).to.equal(data.id);
    expectResponse(JSON.parse(JSON.stringify({ ...data, output_text: undefined })));
  });

  it('streams responses.create({stream:true}) events that all validate, in sequence', async () => {
    const stream = await client.responses.create({
      model: 'scripted-agent',
      input:
        '[[think "thinking"]] [[tool name=terminal input=\'{"command":"ls"}\' output="README.md"]] [[text "a b c" chunks=3]]',
      stream: true,
    });
    const types: string[] = [];
    let sequence = 0;
    for await (const event of stream) {
      expectStreamEvent(event);
      expect(event.sequence_number).to.equal(sequence++);
      types.push(event.type);
    }
    expect(types[0]).to.equal('response.created');
    expect(types.at(-1)).to.equal('response.completed');
    expect(types.filter((t) => t === 'response.output_text.delta')).to.have.length(3);
  });

  it('feeds responses.stream() and finalResponse() with reasoning, tool items and text', async () => {
    const deltas: string[] = [];
    const stream = client.responses
      .stream({
        model: 'scripted-agent',
        input: `[[think "hmm"]] [[tool id=call_1 name=read_file input='{"path":"a.txt"}' output="alpha"]] [[text "The file says alpha." chunks=4]]`,
      })
      .on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.join('')).to.equal('The file says alpha.');
    expect(final.output_text).to.equal('The file says alpha.');
    expect(final.output.map((item) => item.type)).to.deep.equal([
      'reasoning',
      'function_call',
      'function_call_output',
      'message',
    ]);
    expect(final.status).to.equal('completed');
  });

  it('retrieves and deletes a stored response', async () => {
    const created = await client.responses.create({ model: 'scripted-agent', input: '[[text "stored"]]' });
    const retrieved = await client.responses.retrieve(created.id);
    expect(retrieved.id).to.equal(created.id);
    expect(retrieved.output_text).to.equal('stored');
    await client.responses.delete(created.id);
    let status = 0;
    await client.responses.retrieve(created.id).catch((error: InstanceType<typeof OpenAI.APIError>) => {
      status = error.status ?? 0;
    });
    expect(status).to.equal(404);
  });

  it('runs a three-turn previous_response_id chain as three prompts in one ACP session', async () => {
    const one = await client.responses.create({ model: 'scripted-agent', input: '[[echo]]' });
    const two = await client.responses.create({
      model: 'scripted-agent',
      input: '[[echo]]',
      previous_response_id: one.id,
    });
    const three = await client.responses.create({
      model: 'scripted-agent',
      input: '[[echo]]',
      previous_response_id: two.id,
    });
    const echoes = [one, two, three].map(echoOf);
    expect(echoes.map((e) => e.promptIndex)).to.deep.equal([1, 2, 3]);
    expect(new Set(echoes.map((e) => e.session)).size).to.equal(1);
    expect(three.previous_response_id).to.equal(two.id);
  });

  it('chains a streamed turn through responses.stream() too', async () => {
    const one = await client.responses.create({ model: 'scripted-agent', input: '[[echo]]' });
    const final = await client.responses
      .stream({ model: 'scripted-agent', input: '[[echo]]', previous_response_id: one.id })
      .finalResponse();
    expect(echoOf(final)).to.include({ session: echoOf(one).session, promptIndex: 2 });
  });

  it('surfaces an agent failure as response.failed, which the stream helper reports', async () => {
    const stream = client.responses.stream({
      model: 'scripted-agent',
      input: '[[text "half"]] [[error message="Provider failed"]]',
    });
    const failed: string[] = [];
    stream.on('response.failed', (event) => failed.push(event.response.error?.message ?? ''));
    await stream.done().catch(() => undefined);
    expect(failed).to.deep.equal(['Provider failed']);
  });
});
