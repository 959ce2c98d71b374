import { expect } from 'chai';
import OpenAI from 'openai';
import { echoOf, expectResponse, expectStreamEvent } from '../api/responses/responses-support.js';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';

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
    // Hermes' part array (reference §4.3) is one of the SDK's own shapes for a function call output.
    expect(final.output[2]).to.deep.include({ call_id: 'call_1', output: [{ type: 'input_text', text: 'alpha' }] });
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

describe('Responses API approvals on a stream (scripted ACP agent)', function () {
  this.timeout(30_000);
  const OTHER_KEY = 'sk-other-0123456789abcdef';
  let gw: TestGateway;
  let client: OpenAI;
  before(async () => {
    gw = await startTestGateway({
      agents: [scriptedAgentConfig()],
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'other', key: OTHER_KEY },
      ],
      approvals: { policy: 'deny', timeoutSeconds: 30 },
    });
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key, maxRetries: 0 });
  });
  after(() => gw.stop());

  const approve = (id: string, json: Record<string, unknown>, key = TEST_KEY) =>
    gw.request(`/v1/runs/${id}/approval`, { method: 'POST', json, headers: { authorization: `Bearer ${key}` } });

  it('shows a permission request as an mcp_approval_request item that POST /v1/runs/{resp id}/approval answers', async () => {
    let responseId = '';
    const answers: Array<{ status: number; body: unknown }> = [];
    const items: unknown[] = [];
    const stream = client.responses
      .stream({
        model: 'scripted-agent',
        input: '[[permission title="rm -rf build" command="rm -rf build" options=hermes]] [[text " done"]]',
      })
      .on('response.created', (event) => {
        responseId = event.response.id;
      })
      .on('response.output_item.added', async (event) => {
        if (event.item.type !== 'mcp_approval_request') return;
        items.push(event.item);
        // Another key cannot answer it; the owner can, by the item id.
        const other = await approve(responseId, { choice: 'once' }, OTHER_KEY);
        answers.push({ status: other.status, body: await bodyOf(other) });
        const res = await approve(responseId, { choice: 'once', request_id: event.item.id });
        answers.push({ status: res.status, body: await bodyOf(res) });
      });
    const events: Array<{ type: string }> = [];
    stream.on('event', (event) => events.push(event));
    const final = await stream.finalResponse();

    expect(items).to.deep.equal([
      {
        id: 'perm-check-1',
        type: 'mcp_approval_request',
        server_label: 'scripted-agent',
        name: 'rm -rf build',
        arguments: '{"command":"rm -rf build","description":"rm -rf build"}',
      },
    ]);
    expect(answers[0].status).to.equal(404);
    expect(answers[1]).to.deep.equal({
      status: 200,
      body: {
        object: 'hermes.run.approval_response',
        run_id: responseId,
        choice: 'once',
        request_id: 'perm-check-1',
        resolved: 1,
      },
    });
    for (const event of events) expectStreamEvent(JSON.parse(JSON.stringify(event)));
    expect(final.status).to.equal('completed');
    expect(final.output_text).to.equal('permission: allow_once done');
    expect(final.output.map((item) => item.type)).to.include('mcp_approval_request');

    // The turn is over: nothing is pending any more, and the stored response keeps the item.
    const late = await approve(responseId, { choice: 'once' });
    expect(late.status).to.equal(409);
    expect((await bodyOf(late)).error.code).to.equal('approval_not_pending');
    const stored = await client.responses.retrieve(responseId);
    expect(stored.output.find((item) => item.type === 'mcp_approval_request')).to.deep.include({ id: 'perm-check-1' });
  });

  it('accepts its own response output, approval item included, echoed back as input', async () => {
    let responseId = '';
    const first = await client.responses
      .stream({ model: 'scripted-agent', input: '[[permission command=ls]]' })
      .on('response.created', (event) => {
        responseId = event.response.id;
      })
      .on('response.output_item.added', (event) => {
        if (event.item.type === 'mcp_approval_request') void approve(responseId, { choice: 'deny' });
      })
      .finalResponse();
    expect(first.output_text).to.equal('permission: deny');
    const next = await client.responses.create({
      model: 'scripted-agent',
      input: [...(first.output as OpenAI.Responses.ResponseInputItem[]), { role: 'user', content: 'thanks' }],
    });
    expect(next.status).to.equal('completed');
  });

  it('keeps the headless policy for a non-streaming request: no approval item, the policy answers', async () => {
    const response = await client.responses.create({
      model: 'scripted-agent',
      input: '[[permission command=ls]] [[text " after"]]',
    });
    expect(response.output_text).to.equal('permission: deny after');
    expect(response.output.map((item) => item.type)).to.not.include('mcp_approval_request');
  });
});
