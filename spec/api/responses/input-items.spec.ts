import { expect } from 'chai';
import OpenAI, { NotFoundError } from 'openai';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../../support/gateway.js';

const OTHER_KEY = 'sk-other-0123456789abcdef';
const FIRST_INPUT = `[[tool id=call_1 name=read_file input='{"path":"a.txt"}' output="alpha"]] [[text "first answer"]]`;
const SECOND_INPUT = '[[text "second answer"]]';

describe('GET /v1/responses/{response_id}/input_items', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  let client: OpenAI;
  let first: OpenAI.Responses.Response;
  let second: OpenAI.Responses.Response;
  /** The first turn echoed back as input items (a client that keeps its own history), then a new message. */
  let echoed: OpenAI.Responses.Response;
  before(async () => {
    gw = await startTestGateway({
      agents: [scriptedAgentConfig()],
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'other', key: OTHER_KEY },
      ],
    });
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
    first = await client.responses.create({ model: 'scripted-agent', input: FIRST_INPUT });
    second = await client.responses.create({
      model: 'scripted-agent',
      input: SECOND_INPUT,
      previous_response_id: first.id,
    });
    echoed = await client.responses.create({
      model: 'scripted-agent',
      input: [
        { role: 'user', content: FIRST_INPUT },
        { type: 'function_call', call_id: 'call_1', name: 'read_file', arguments: '{"path":"a.txt"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'alpha' },
        { role: 'assistant', content: 'first answer' },
        { role: 'user', content: SECOND_INPUT },
      ],
    });
  });
  after(() => gw.stop());

  const list = (id: string, query = '', key = TEST_KEY) =>
    gw.request(`/v1/responses/${id}/input_items${query}`, { headers: { authorization: `Bearer ${key}` } });

  it("lists a response's input message in the OpenAI list shape", async () => {
    const res = await list(first.id);
    expect(res.status).to.equal(200);
    const body = await bodyOf(res);
    const id = body.data[0]?.id;
    expect(id).to.match(/^msg_[0-9a-f]{24}$/);
    expect(body).to.deep.equal({
      object: 'list',
      data: [
        {
          id,
          type: 'message',
          role: 'user',
          status: 'completed',
          content: [{ type: 'input_text', text: FIRST_INPUT }],
        },
      ],
      first_id: id,
      last_id: id,
      has_more: false,
    });
  });

  it('lists only what a chained response was sent, not the turns it chained from', async () => {
    const page = await client.responses.inputItems.list(second.id);
    expect(page.data.map((item) => JSON.parse(JSON.stringify(item)).content)).to.deep.equal([
      [{ type: 'input_text', text: SECOND_INPUT }],
    ]);
  });

  it('lists the items a request echoed before its message, tool call and result included, newest first', async () => {
    const page = await client.responses.inputItems.list(echoed.id);
    const items = page.data.map((item) => JSON.parse(JSON.stringify(item)));
    expect(items.map((item) => `${item.type}${item.role ? `:${item.role}` : ''}`)).to.deep.equal([
      'message:user',
      'message:assistant',
      'function_call_output',
      'function_call',
      'message:user',
    ]);
    expect(items[0].content).to.deep.equal([{ type: 'input_text', text: SECOND_INPUT }]);
    expect(items[1].content).to.deep.equal([{ type: 'output_text', text: 'first answer', annotations: [] }]);
    expect(items[2]).to.include({
      type: 'function_call_output',
      call_id: 'call_1',
      output: 'alpha',
      status: 'completed',
    });
    expect(items[3]).to.include({ type: 'function_call', call_id: 'call_1', name: 'read_file', status: 'completed' });
    expect(JSON.parse(items[3].arguments)).to.deep.equal({ path: 'a.txt' });
    expect(items[4].content).to.deep.equal([{ type: 'input_text', text: FIRST_INPUT }]);
    expect(page.has_more).to.equal(false);
  });

  it('pages with limit and after (the SDK auto-paginates), in either order, with stable ids', async () => {
    const all = (await bodyOf(await list(echoed.id, '?order=asc'))).data.map((item: { id: string }) => item.id);
    expect(all).to.have.length(5);
    const paged: string[] = [];
    for await (const item of client.responses.inputItems.list(echoed.id, { order: 'asc', limit: 2 })) {
      paged.push(item.id);
    }
    expect(paged).to.deep.equal(all);

    const page = await bodyOf(await list(echoed.id, `?order=desc&limit=2&after=${all[3]}`));
    expect(page.data.map((item: { id: string }) => item.id)).to.deep.equal([all[2], all[1]]);
    expect(page).to.include({ first_id: all[2], last_id: all[1], has_more: true });
    const last = await bodyOf(await list(echoed.id, `?order=desc&after=${all[0]}`));
    expect(last).to.deep.equal({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });

  it('accepts include as the SDK sends it', async () => {
    const page = await client.responses.inputItems.list(first.id, { include: ['message.input_image.image_url'] });
    expect(page.data).to.have.length(1);
  });

  it('answers 400 for a bad order, limit or include, and for an after id the response does not have', async () => {
    for (const query of ['?order=sideways', '?limit=0', '?limit=101', '?limit=two', '?include=nonsense']) {
      const res = await list(first.id, query);
      expect(res.status, query).to.equal(400);
      expect((await bodyOf(res)).error.type, query).to.equal('invalid_request_error');
    }
    const res = await list(first.id, '?after=msg_000000000000000000000000');
    expect(res.status).to.equal(400);
    expect((await bodyOf(res)).error).to.include({ param: 'after', code: 'invalid_request' });
  });

  it("answers 404 response_not_found for another key's response and for an unknown id", async () => {
    for (const [id, key] of [
      [first.id, OTHER_KEY],
      ['resp_unknown', TEST_KEY],
    ]) {
      const res = await list(id, '', key);
      expect(res.status).to.equal(404);
      expect(await bodyOf(res)).to.deep.equal({
        error: {
          message: `Response not found: ${id}`,
          type: 'invalid_request_error',
          param: null,
          code: 'response_not_found',
        },
      });
    }
    const other = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: OTHER_KEY, maxRetries: 0 });
    const error = await other.responses.inputItems.list(first.id).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NotFoundError);
  });

  it('lists the input of a streamed response once it has completed', async () => {
    const stream = await client.responses.create({
      model: 'scripted-agent',
      input: 'streamed [[text "ok"]]',
      stream: true,
    });
    let id = '';
    for await (const event of stream) if (event.type === 'response.completed') id = event.response.id;
    const body = await bodyOf(await list(id));
    expect(body.data.map((item: { content: unknown }) => item.content)).to.deep.equal([
      [{ type: 'input_text', text: 'streamed [[text "ok"]]' }],
    ]);
  });

  it('answers 404 for a response created with store: false', async () => {
    const unstored = await client.responses.create({ model: 'scripted-agent', input: 'hi', store: false });
    expect((await list(unstored.id)).status).to.equal(404);
  });
});
