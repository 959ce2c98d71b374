import { expect } from 'chai';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../../support/gateway.js';
import { collectSse, isSseComment, readSse, type SseEvent } from '../../support/sse.js';
import { type Echo, echoOf, expectResponse, expectStreamEvent, outputText, promptText } from './responses-support.js';

describe('POST /v1/responses', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({
      agents: [scriptedAgentConfig()],
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'limited', key: 'sk-limited-0123456789', models: ['other-model'] },
      ],
    });
  });
  after(() => gw.stop());

  const create = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    gw.request('/v1/responses', { method: 'POST', json: { model: 'scripted-agent', ...body }, headers });

  async function ok(body: Record<string, unknown>, headers: Record<string, string> = {}) {
    const res = await create(body, headers);
    const json = await bodyOf(res);
    expect(res.status, JSON.stringify(json)).to.equal(200);
    expectResponse(json);
    return json;
  }

  describe('validation (case 29)', () => {
    it('answers 400 naming input when input is missing', async () => {
      const res = await gw.request('/v1/responses', { method: 'POST', json: { model: 'test' } });
      expect(res.status).to.equal(400);
      expect((await bodyOf(res)).error.message).to.contain('input');
    });

    it('answers 400 for input 42 and for a body that is not JSON', async () => {
      expect((await create({ input: 42 })).status).to.equal(400);
      const res = await gw.request('/v1/responses', {
        method: 'POST',
        body: 'not json',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).to.equal(400);
      expect((await bodyOf(res)).error.message).to.contain('Invalid JSON');
    });

    it('answers 400 unsupported_content_type for input_file, image file_id and non-image data URLs', async () => {
      const file = await create({
        input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file_1' }] }],
      });
      expect(file.status).to.equal(400);
      expect((await bodyOf(file)).error).to.include({ code: 'unsupported_content_type', param: 'input[0].content[0]' });
      const fileId = await create({
        input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_2', detail: 'auto' }] }],
      });
      expect((await bodyOf(fileId)).error).to.include({
        code: 'unsupported_content_type',
        param: 'input[0].content[0]',
      });
      const pdf = await create({
        input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'data:application/pdf;base64,AAAA' }] }],
      });
      expect((await bodyOf(pdf)).error.code).to.equal('unsupported_content_type');
    });

    it('answers 400 when the last input item is not a user message', async () => {
      const res = await create({ input: [{ role: 'assistant', content: 'I spoke last' }] });
      expect(res.status).to.equal(400);
      expect((await bodyOf(res)).error.param).to.equal('input');
    });

    it('answers 400 for conversation together with previous_response_id (case 38)', async () => {
      const res = await create({ input: 'hi', conversation: 'c1', previous_response_id: 'resp_x' });
      expect(res.status).to.equal(400);
      expect((await bodyOf(res)).error.message).to.contain('Cannot use both');
    });

    it('answers 404 previous_response_not_found for an unknown previous_response_id (case 35)', async () => {
      const res = await create({ input: 'hi', previous_response_id: 'resp_nonexistent' });
      expect(res.status).to.equal(404);
      expect(await bodyOf(res)).to.deep.equal({
        error: {
          message: 'Previous response not found: resp_nonexistent',
          type: 'invalid_request_error',
          param: 'previous_response_id',
          code: 'previous_response_not_found',
        },
      });
    });

    it('answers 403 model_not_allowed for a key restricted to other models', async () => {
      const res = await create({ input: 'hi' }, { authorization: 'Bearer sk-limited-0123456789' });
      expect(res.status).to.equal(403);
      expect((await bodyOf(res)).error.code).to.equal('model_not_allowed');
    });
  });

  it('answers a string input with a completed Response holding one message (case 30)', async () => {
    const res = await create({ input: '[[text "Hello there" chunks=3]] [[usage input=50 output=200 total=250]]' });
    const json = await bodyOf(res);
    expect(res.status).to.equal(200);
    expectResponse(json);
    expect(json.id).to.match(/^resp_[0-9a-f]{28}$/);
    expect(json).to.include({ object: 'response', status: 'completed', model: 'scripted-agent', store: true });
    expect(json.output).to.have.length(1);
    expect(json.output[0]).to.deep.include({ type: 'message', role: 'assistant', status: 'completed' });
    expect(json.output[0].id).to.match(/^msg_[0-9a-f]{24}$/);
    expect(json.output[0].content).to.deep.equal([
      { type: 'output_text', text: 'Hello there', annotations: [], logprobs: [] },
    ]);
    expect(json.usage).to.deep.include({ input_tokens: 50, output_tokens: 200, total_tokens: 250 });
    expect(res.headers.get('x-hermes-session-id')).to.equal(json.id);
  });

  it('takes the last array item as the input and the earlier ones as history (case 31)', async () => {
    const json = await ok({
      input: [
        { role: 'user', content: 'u1 earlier' },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: '[[echo]]' }] },
      ],
    });
    const echo = echoOf(json);
    expect(promptText(echo)).to.contain('User: u1 earlier');
    expect(echo.blocks.at(-1)!.text).to.equal('[[echo]]');
  });

  it('layers instructions as the system prompt and inherits them along a chain (case 32)', async () => {
    const first = await ok({ input: '[[echo]]', instructions: 'Be terse.' });
    expect(promptText(echoOf(first))).to.contain('Be terse.');
    expect(first.instructions).to.equal('Be terse.');
    const second = await ok({ input: '[[echo]]', previous_response_id: first.id });
    expect(second.instructions).to.equal('Be terse.');
    expect(second.previous_response_id).to.equal(first.id);
    // Same instructions, so the chain's live session is reused: the agent already has them.
    expect(echoOf(second).session).to.equal(echoOf(first).session);
  });

  it('continues a previous_response_id chain in the same ACP session, one prompt per turn (case 33)', async () => {
    const one = await ok({ input: '[[text "first answer"]]' });
    const two = await ok({ input: '[[echo]]', previous_response_id: one.id });
    const three = await ok({ input: '[[echo]]', previous_response_id: two.id });
    const [e2, e3] = [echoOf(two), echoOf(three)];
    expect(e3.session).to.equal(e2.session);
    expect([e2.promptIndex, e3.promptIndex]).to.deep.equal([2, 3]);
    // Reused session: the agent gets only the new message, no replayed history.
    expect(e3.blocks.map((b) => b.text)).to.deep.equal(['[[echo]]']);
    const stored = await bodyOf(await gw.request(`/v1/responses/${three.id}`));
    expect(stored.id).to.equal(three.id);
  });

  it('gives a branch from an older turn its own session, seeded with the transcript, and keeps the chain session', async () => {
    const one = await ok({ input: '[[text "root answer"]]' });
    const two = await ok({ input: '[[echo]]', previous_response_id: one.id });
    const branch = await ok({ input: '[[echo]]', previous_response_id: one.id });
    const eb = echoOf(branch);
    expect(eb.session).to.not.equal(echoOf(two).session);
    expect(eb.promptIndex).to.equal(1);
    expect(promptText(eb)).to.contain('Assistant: root answer');
    // The chain goes on in its own session: prompt 3 there.
    const three = await ok({ input: '[[echo]]', previous_response_id: two.id });
    expect(echoOf(three)).to.include({ session: echoOf(two).session, promptIndex: 3 });
  });

  it('outputs only the new turn tool calls in a chain (case 34) and seeds tool calls into a new session', async () => {
    const one = await ok({
      input: `[[tool id=call_old name=calculator input='{"expression":"6*7"}' output="42"]] [[text "It is 42."]]`,
    });
    const two = await ok({
      input: `[[tool id=call_new name=lookup input='{"q":"x"}' output="found"]] [[text "done"]]`,
      previous_response_id: one.id,
    });
    const ids = two.output.filter((i: { type: string }) => i.type === 'function_call').map((i: any) => i.call_id);
    expect(ids).to.deep.equal(['call_new']);
    // A branch from turn one is seeded: the seed spells out the old tool call and its result.
    const branch = await ok({ input: '[[echo]]', previous_response_id: one.id });
    expect(promptText(echoOf(branch))).to.contain('[tool call calculator {"expression":"6*7"} -> 42]');
  });

  it('maps agent tool calls onto function_call and function_call_output items (case 40)', async () => {
    const json = await ok({
      input: `[[tool id=call_abc123 name=calculator input='{"expression": "6*7"}' output="42"]] [[text "The answer is 42."]]`,
    });
    expect(json.output.map((i: { type: string }) => i.type)).to.deep.equal([
      'function_call',
      'function_call_output',
      'message',
    ]);
    expect(json.output[0]).to.deep.include({
      name: 'calculator',
      arguments: '{"expression":"6*7"}',
      call_id: 'call_abc123',
      status: 'completed',
    });
    // reference §4.3: the result as an input_text part array, in the non-streaming Response too
    expect(json.output[1]).to.deep.include({
      call_id: 'call_abc123',
      output: [{ type: 'input_text', text: '42' }],
      status: 'completed',
    });
    expect(outputText(json)).to.equal('The answer is 42.');
  });

  it('keeps the last 100 history messages with truncation auto, all of them without (case 39)', async () => {
    const history = Array.from({ length: 150 }, (_, i) => ({
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: `message ${i}`,
    }));
    const count = (echo: Echo) => (promptText(echo).match(/^(User|Assistant): message /gm) ?? []).length;
    const truncated = await ok({ input: '[[echo]]', conversation_history: history, truncation: 'auto' });
    expect(count(echoOf(truncated))).to.equal(100);
    expect(truncated.truncation).to.equal('auto');
    const full = await ok({ input: '[[echo]]', conversation_history: history });
    expect(count(echoOf(full))).to.equal(150);
  });

  it('lets explicit conversation_history win over previous_response_id', async () => {
    const one = await ok({ input: '[[text "stored answer"]]' });
    const json = await ok({
      input: '[[echo]]',
      previous_response_id: one.id,
      conversation_history: [
        { role: 'user', content: 'explicit question' },
        { role: 'assistant', content: 'explicit answer' },
      ],
    });
    const prompt = promptText(echoOf(json));
    expect(prompt).to.contain('explicit answer');
    expect(prompt).to.not.contain('stored answer');
  });

  it('reports max_tokens as incomplete with max_output_tokens and refusal as content_filter', async () => {
    const truncated = await ok({ input: '[[text "partial"]] [[stop reason=max_tokens]]' });
    expect(truncated).to.deep.include({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    const refused = await ok({ input: '[[stop reason=refusal]]' });
    expect(refused).to.deep.include({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } });
  });

  it('reports an agent error as a failed Response with a server_error, stored for GET', async () => {
    const json = await ok({ input: '[[text "half"]] [[error code=-32603 message="Provider failed"]]' });
    expect(json.status).to.equal('failed');
    expect(json.error.code).to.equal('server_error');
    expect(json.error.message).to.contain('Provider failed');
    expect((await bodyOf(await gw.request(`/v1/responses/${json.id}`))).status).to.equal('failed');
  });

  it('echoes metadata and the requested model', async () => {
    const json = await ok({ input: '[[text "x"]]', metadata: { user: 'u-42' } });
    expect(json.metadata).to.deep.equal({ user: 'u-42' });
  });

  it('replays the agent result for the same Idempotency-Key and body, with a new id, and runs once', async () => {
    const body = {
      input: '[[echo]]',
      conversation_history: [
        { role: 'user', content: 'idem' },
        { role: 'assistant', content: 'x' },
      ],
    };
    const headers = { 'idempotency-key': `idem-${Date.now()}` };
    const [a, b] = await Promise.all([ok(body, headers), ok(body, headers)]);
    expect(a.id).to.not.equal(b.id);
    expect(outputText(a)).to.equal(outputText(b));
    const c = await ok({ ...body, input: '[[echo]] again' }, headers);
    expect(echoOf(c).session).to.not.equal(echoOf(a).session);
  });

  it('continues the session named by X-Hermes-Session-Id, with the gateway record as history', async () => {
    const session = `resp-header-${Date.now()}`;
    const one = await ok({ input: '[[text "header turn one"]]' }, { 'x-hermes-session-id': session });
    const two = await ok({ input: '[[echo]]' }, { 'x-hermes-session-id': session });
    expect(echoOf(two).promptIndex).to.equal(2);
    expect(one.id).to.not.equal(two.id);
  });

  describe('streaming', () => {
    async function stream(body: Record<string, unknown>) {
      const res = await create({ ...body, stream: true });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.contain('text/event-stream');
      const items = await collectSse(res);
      const events = items.filter((i): i is SseEvent => !isSseComment(i));
      const payloads = events.map((e) => JSON.parse(e.data));
      events.forEach((e, i) => {
        expect(e.event).to.equal(payloads[i].type);
        expectStreamEvent(payloads[i]);
      });
      expect(payloads.map((p) => p.sequence_number)).to.deep.equal(payloads.map((_, i) => i));
      return payloads;
    }

    it('streams created, in_progress, text deltas, done events and completed (case 41)', async () => {
      const payloads = await stream({ input: '[[text "one two three" chunks=3]]' });
      const types = payloads.map((p) => p.type);
      expect(types.slice(0, 4)).to.deep.equal([
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
      ]);
      expect(types.filter((t) => t === 'response.output_text.delta')).to.have.length(3);
      expect(types.slice(-4)).to.deep.equal([
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]);
      expect(payloads.find((p) => p.type === 'response.output_text.delta').logprobs).to.deep.equal([]);
      expectResponse(payloads.at(-1).response);
      expect(outputText(payloads.at(-1).response)).to.equal('one two three');
    });

    it('streams tool calls as function_call and function_call_output items (case 42)', async () => {
      const payloads = await stream({
        input: `[[tool id=call_123 name=read_file input='{"path":"README.md"}' output="# Title"]] [[text "ok"]]`,
      });
      const added = payloads.filter((p) => p.type === 'response.output_item.added').map((p) => p.item.type);
      const done = payloads.filter((p) => p.type === 'response.output_item.done').map((p) => p.item);
      expect(added).to.deep.equal(['function_call', 'function_call_output', 'message']);
      expect(done.length).to.be.greaterThanOrEqual(2);
      expect(done[0]).to.deep.include({ type: 'function_call', call_id: 'call_123', status: 'completed' });
      expect(done[1]).to.deep.include({
        type: 'function_call_output',
        call_id: 'call_123',
        output: [{ type: 'input_text', text: '# Title' }],
      });
      const final = payloads.at(-1).response.output.find((i: { type: string }) => i.type === 'function_call_output');
      expect(final.output).to.deep.equal([{ type: 'input_text', text: '# Title' }]);
    });

    it('streams thoughts as a reasoning item with the reasoning summary events', async () => {
      const payloads = await stream({ input: '[[think "hmm" chunks=2]] [[text "answer"]]' });
      const types = payloads.map((p) => p.type);
      expect(types).to.include.members([
        'response.reasoning_summary_part.added',
        'response.reasoning_summary_text.delta',
        'response.reasoning_summary_text.done',
        'response.reasoning_summary_part.done',
      ]);
      expect(payloads.at(-1).response.output[0]).to.deep.include({
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'hmm' }],
      });
    });

    it('ends with response.failed on an agent error and response.incomplete on max_tokens', async () => {
      const failed = await stream({ input: '[[text "half"]] [[error message="boom"]]' });
      expect(failed.at(-1)).to.deep.include({ type: 'response.failed' });
      expect(failed.at(-1).response.error).to.deep.equal({ code: 'server_error', message: 'boom' });
      const incomplete = await stream({ input: '[[text "cut"]] [[stop reason=max_tokens]]' });
      expect(incomplete.at(-1).type).to.equal('response.incomplete');
      expect(incomplete.at(-1).response.incomplete_details).to.deep.equal({ reason: 'max_output_tokens' });
    });

    it('stores the streamed response for GET with the streamed text (case 43)', async () => {
      const payloads = await stream({ input: '[[text "streamed words" chunks=2]]' });
      const id = payloads[0].response.id;
      const res = await gw.request(`/v1/responses/${id}`);
      const stored = await bodyOf(res);
      expect(res.status).to.equal(200);
      expect(stored.status).to.equal('completed');
      expect(outputText(stored)).to.equal('streamed words');
      expect(stored).to.deep.equal(payloads.at(-1).response);
    });

    it('has an in_progress snapshot from response.created on', async () => {
      const res = await create({ input: '[[text "slow" chunks=2 delay=400]]', stream: true });
      const reader = readSse(res.body!);
      const first = (await reader.next()).value as SseEvent;
      const id = JSON.parse(first.data).response.id;
      const snapshot = await bodyOf(await gw.request(`/v1/responses/${id}`));
      expect(snapshot).to.include({ id, status: 'in_progress' });
      expectResponse(snapshot);
      for await (const _ of reader) {
        // drain to the end
      }
      expect((await bodyOf(await gw.request(`/v1/responses/${id}`))).status).to.equal('completed');
    });

    it('cancels the agent turn on disconnect and leaves an incomplete snapshot with the partial text (case 44)', async () => {
      const controller = new AbortController();
      const res = await gw.request('/v1/responses', {
        method: 'POST',
        json: { model: 'scripted-agent', input: '[[text "partial words" chunks=2]] [[sleep ms=20000]]', stream: true },
        signal: controller.signal,
      });
      const reader = readSse(res.body!);
      let id = '';
      let text = '';
      for await (const item of reader) {
        if (isSseComment(item)) continue;
        const payload = JSON.parse(item.data);
        if (payload.type === 'response.created') id = payload.response.id;
        if (payload.type === 'response.output_text.delta') text += payload.delta;
        if (text === 'partial words') break;
      }
      controller.abort();
      const started = Date.now();
      let stored: any;
      do {
        await new Promise((r) => setTimeout(r, 50));
        stored = await bodyOf(await gw.request(`/v1/responses/${id}`));
      } while (stored.status === 'in_progress' && Date.now() - started < 10_000);
      expect(stored.status).to.equal('incomplete');
      expect(outputText(stored)).to.equal('partial words');
      expect(Date.now() - started).to.be.lessThan(10_000); // the 20 s sleep was cancelled
    });
  });
});

describe('POST /v1/responses under the concurrency cap', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ agents: [scriptedAgentConfig()], maxConcurrentRuns: 1 });
  });
  after(() => gw.stop());

  it('answers 429 with Retry-After while another turn holds the only slot', async () => {
    const controller = new AbortController();
    const slow = await gw.request('/v1/responses', {
      method: 'POST',
      json: { model: 'scripted-agent', input: '[[text "busy"]] [[sleep ms=20000]]', stream: true },
      signal: controller.signal,
    });
    const reader = readSse(slow.body!);
    await reader.next(); // response.created: the turn holds the slot
    const res = await gw.request('/v1/responses', { method: 'POST', json: { model: 'scripted-agent', input: 'x' } });
    expect(res.status).to.equal(429);
    expect(res.headers.get('retry-after')).to.equal('1');
    expect((await bodyOf(res)).error.code).to.equal('rate_limit_exceeded');
    controller.abort();
  });
});
