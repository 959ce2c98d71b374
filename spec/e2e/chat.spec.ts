import { expect } from 'chai';
import OpenAI from 'openai';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../support/gateway.js';
import { parseEcho } from '../agents/scripted-agent-config.js';
import { expectOpenAiSchema } from '../support/openai-schema.js';
import { collectSse, isSseComment, readSse, sseJson } from '../support/sse.js';

const echoOf = parseEcho;

describe('POST /v1/chat/completions (scripted ACP agent, openai SDK)', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  let client: OpenAI;
  before(async () => {
    gw = await startTestGateway({ agents: [scriptedAgentConfig()] });
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key, maxRetries: 0 });
  });
  after(() => gw.stop());

  const chat = (messages: Array<{ role: string; content: unknown }>, extra: Record<string, unknown> = {}) =>
    gw.request('/v1/chat/completions', { method: 'POST', json: { model: 'scripted-agent', messages, ...extra } });

  it('answers chat.completions.create with the agent text, a chat.completion object and the session header (case 10)', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'scripted-agent',
        messages: [{ role: 'user', content: '[[text "Hello from the agent" chunks=3]]' }],
      })
      .withResponse();
    expect(data.choices[0].message.content).to.equal('Hello from the agent');
    expect(data.id).to.match(/^chatcmpl-[0-9a-f]{29}$/);
    expect(data.object).to.equal('chat.completion');
    expect(data.choices).to.have.length(1);
    expect(data.choices[0].finish_reason).to.equal('stop');
    expect(response.headers.get('x-hermes-session-id')).to.match(/^api-[0-9a-f]{16}$/);
    expect(response.headers.get('x-hermes-completed')).to.equal(null);
    expect(data).to.not.have.property('hermes');
    expectOpenAiSchema('CreateChatCompletionResponse', data);
  });

  it('maps the agent usage onto prompt/completion/total tokens (case 11)', async () => {
    const data = await client.chat.completions.create({
      model: 'scripted-agent',
      messages: [{ role: 'user', content: '[[text "ok"]] [[usage input=200 output=80 total=280]]' }],
    });
    expect(data.usage).to.deep.equal({ prompt_tokens: 200, completion_tokens: 80, total_tokens: 280 });
  });

  it('streams the text in order through chat.completions.create({stream:true})', async () => {
    const stream = await client.chat.completions.create({
      model: 'scripted-agent',
      stream: true,
      messages: [{ role: 'user', content: '[[text "one two three four five" chunks=5]]' }],
    });
    const contents: string[] = [];
    const finishes: string[] = [];
    for await (const chunk of stream) {
      expectOpenAiSchema('CreateChatCompletionStreamResponse', chunk);
      const choice = chunk.choices[0];
      if (choice?.delta.content) contents.push(choice.delta.content);
      if (choice?.finish_reason) finishes.push(choice.finish_reason);
    }
    expect(contents).to.have.length(5);
    expect(contents.join('')).to.equal('one two three four five');
    expect(finishes).to.deep.equal(['stop']);
  });

  it('feeds the chat.completions.stream() helper, tool progress and reasoning included', async () => {
    const stream = client.chat.completions.stream({
      model: 'scripted-agent',
      messages: [
        {
          role: 'user',
          content:
            '[[think "pondering"]] [[tool name=terminal title="terminal: ls -la" kind=execute input=\'{"command":"ls -la"}\' output="README.md"]] [[text "Your project has a README." chunks=4]]',
        },
      ],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0].message.content).to.equal('Your project has a README.');
    expect(final.choices[0].finish_reason).to.equal('stop');
    expect((final.choices[0].message as { reasoning_content?: string }).reasoning_content).to.equal('pondering');
  });

  it('sends tool progress as named events, running then completed, never as content (cases 22, 23)', async () => {
    const res = await chat(
      [
        {
          role: 'user',
          content: '[[tool name=terminal id=call_terminal_1 title="ls -la" kind=execute output="x"]] [[text "done"]]',
        },
      ],
      { stream: true },
    );
    expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
    expect(res.headers.get('x-accel-buffering')).to.equal('no');
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('x-hermes-session-id')).to.match(/^api-/);
    const items = await collectSse(res);
    const progress = items
      .filter((i) => !isSseComment(i) && i.event === 'hermes.tool.progress')
      .map((i) => JSON.parse((i as { data: string }).data));
    expect(progress.map((p) => [p.toolCallId, p.status])).to.deep.equal([
      ['call_terminal_1', 'running'],
      ['call_terminal_1', 'completed'],
    ]);
    expect(progress[0]).to.include({ tool: 'terminal', label: 'ls -la' });
    const content = sseJson(items.filter((i) => !isSseComment(i) && !i.event))
      .filter((c): c is any => c !== '[DONE]')
      .map((c) => c.choices[0]?.delta?.content ?? '')
      .join('');
    expect(content).to.equal('done');
  });

  it('keeps one ACP session across a three-turn conversation sent with full history, as Open WebUI sends it', async () => {
    const system = { role: 'system', content: 'Be terse.' };
    const u1 = { role: 'user', content: 'turn one [[echo]]' };
    const r1 = await bodyOf(await chat([system, u1]));
    const a1 = { role: 'assistant', content: r1.choices[0].message.content };
    const u2 = { role: 'user', content: 'turn two [[echo]]' };
    const r2 = await bodyOf(await chat([system, u1, a1, u2]));
    const a2 = { role: 'assistant', content: r2.choices[0].message.content };
    const r3 = await bodyOf(await chat([system, u1, a1, u2, a2, { role: 'user', content: 'turn three [[echo]]' }]));
    const echoes = [r1, r2, r3].map((r) => echoOf(r.choices[0].message.content));
    expect(echoes.map((e) => e.promptIndex)).to.deep.equal([1, 2, 3]);
    expect(new Set(echoes.map((e) => e.session)).size).to.equal(1);
    // Turns 2 and 3 reach the agent as the new message alone: it keeps its own context.
    expect(echoes[2].blocks).to.deep.equal([{ type: 'text', text: 'turn three [[echo]]' }]);

    // A regenerated answer (edited history) no longer matches: a new session, seeded with the earlier turns.
    const edited = await bodyOf(
      await chat([
        system,
        u1,
        { role: 'assistant', content: 'a different answer' },
        { role: 'user', content: 'again [[echo]]' },
      ]),
    );
    const seeded = echoOf(edited.choices[0].message.content);
    expect(seeded.session).to.not.equal(echoes[0].session);
    expect(seeded.promptIndex).to.equal(1);
    const seedText = seeded.blocks.map((b) => b.text ?? '').join('\n');
    expect(seedText).to.include('Be terse.');
    expect(seedText).to.include('User: turn one [[echo]]');
    expect(seedText).to.include('Assistant: a different answer');
  });

  it('starts a new seeded session when turn 1 is edited and the conversation resent', async () => {
    const u1 = { role: 'user', content: 'original first [[echo]]' };
    const r1 = await bodyOf(await chat([u1]));
    const a1 = { role: 'assistant', content: r1.choices[0].message.content };
    const res = await chat([{ role: 'user', content: 'edited first' }, a1, { role: 'user', content: 'next [[echo]]' }]);
    expect(res.headers.get('x-hermes-session-id')).to.not.equal(null);
    const echo = echoOf((await bodyOf(res)).choices[0].message.content);
    expect(echo.session).to.not.equal(echoOf(a1.content).session);
    expect(echo.blocks[0].text).to.include('User: edited first');
  });

  it('continues an explicit X-Hermes-Session-Id from the gateway record, ignoring the body history (case 25)', async () => {
    const headers = { 'x-hermes-session-id': 'my-session-1' };
    const first = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers,
      json: { model: 'scripted-agent', messages: [{ role: 'user', content: 'one [[echo]]' }] },
    });
    expect(first.headers.get('x-hermes-session-id')).to.equal('my-session-1');
    const second = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers,
      json: {
        model: 'scripted-agent',
        messages: [
          { role: 'user', content: 'something else entirely' },
          { role: 'assistant', content: 'ignored' },
          { role: 'user', content: 'two [[echo]]' },
        ],
      },
    });
    const [e1, e2] = [await bodyOf(first), await bodyOf(second)].map((b) => echoOf(b.choices[0].message.content));
    expect(e2.session).to.equal(e1.session);
    expect(e2.promptIndex).to.equal(2);
    expect(e2.blocks).to.deep.equal([{ type: 'text', text: 'two [[echo]]' }]);
  });

  it('echoes X-Hermes-Session-Key and refuses a bad session id', async () => {
    const ok = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'x-hermes-session-key': 'webui:user-42' },
      json: { model: 'scripted-agent', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(ok.headers.get('x-hermes-session-key')).to.equal('webui:user-42');
    await ok.arrayBuffer();
    const bad = await gw.request('/v1/chat/completions', {
      method: 'POST',
      headers: { 'x-hermes-session-id': '../victim' },
      json: { model: 'scripted-agent', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(bad.status).to.equal(400);
    expect((await bodyOf(bad)).error).to.include({ code: 'invalid_session_id', message: 'Invalid session ID' });
  });

  it('passes images to an agent that takes them', async () => {
    const res = await chat([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look [[echo]]' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ]);
    const echo = echoOf((await bodyOf(res)).choices[0].message.content);
    expect(echo.blocks.map((b) => b.type)).to.deep.equal(['text', 'image']);
    expect(echo.blocks[1].mimeType).to.equal('image/png');
  });

  it('returns reasoning_content with the answer when the turn had thoughts', async () => {
    const body = await bodyOf(await chat([{ role: 'user', content: '[[think "weighing options"]] [[text "42"]]' }]));
    expect(body.choices[0].message).to.include({ content: '42', reasoning_content: 'weighing options' });
  });

  it('answers a permission request with the deny option under the default policy', async () => {
    const body = await bodyOf(
      await chat([
        { role: 'user', content: '[[permission title="rm -rf /tmp/x" command="rm -rf /tmp/x" options=hermes]]' },
      ]),
    );
    expect(body.choices[0].message.content).to.equal('permission: deny');
  });

  it('refuses an empty messages array and a body without messages (case 8)', async () => {
    for (const json of [{ model: 'scripted-agent', messages: [] }, { model: 'test' }]) {
      const res = await gw.request('/v1/chat/completions', { method: 'POST', json });
      expect(res.status).to.equal(400);
      const { error } = await bodyOf(res);
      expect(error.param).to.equal('messages');
      expect(error.message).to.include('messages');
    }
  });

  it('answers an agent error without text with 502 agent_incomplete (cases 15, 17)', async () => {
    const res = await chat([{ role: 'user', content: '[[error code=-32603 message="Provider failed"]]' }]);
    expect(res.status).to.equal(502);
    expect(res.headers.get('x-hermes-completed')).to.equal('false');
    const { error } = await bodyOf(res);
    expect(error.code).to.equal('agent_incomplete');
    expect(error.message).to.include('Provider failed');
    expect(error.hermes).to.deep.equal({ completed: false, partial: false, failed: true });
  });

  it('answers a truncated turn with 200, finish_reason length and the hermes extras (case 16)', async () => {
    const res = await chat([{ role: 'user', content: '[[text "cut off here"]] [[stop reason=max_tokens]]' }]);
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-hermes-completed')).to.equal('false');
    expect(res.headers.get('x-hermes-partial')).to.equal('true');
    const body = await bodyOf(res);
    expect(body.choices[0]).to.include({ finish_reason: 'length' });
    expect(body.hermes).to.include({ completed: false, partial: true, error_code: 'output_truncated' });
  });

  it('answers a refusal with finish_reason content_filter', async () => {
    const body = await bodyOf(await chat([{ role: 'user', content: '[[text "no"]] [[stop reason=refusal]]' }]));
    expect(body.choices[0].finish_reason).to.equal('content_filter');
  });

  it('answers file parts with 400 unsupported_content_type and runs an unknown model on the only agent, echoing it', async () => {
    const file = await chat([{ role: 'user', content: [{ type: 'file', file: { file_id: 'f1' } }] }]);
    expect(file.status).to.equal(400);
    expect((await bodyOf(file)).error).to.include({
      code: 'unsupported_content_type',
      param: 'messages[0].content[0]',
    });
    const model = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'gpt-4o', messages: [{ role: 'user', content: '[[text "hi"]]' }] },
    });
    // One agent and no routes: Hermes' rule (reference §3.1); spec/e2e/hermes-fidelity.spec.ts covers the 404 cases.
    expect(model.status).to.equal(200);
    expect(await bodyOf(model)).to.deep.include({ model: 'gpt-4o', object: 'chat.completion' });
  });

  it('runs identical Idempotency-Key requests once, concurrent ones included', async () => {
    const send = (key: string) =>
      gw.request('/v1/chat/completions', {
        method: 'POST',
        headers: { 'idempotency-key': key },
        json: {
          model: 'scripted-agent',
          messages: [{ role: 'user', content: 'idem [[text "x" delay=100]] [[echo]]' }],
        },
      });
    const [a, b] = await Promise.all([send('k-1'), send('k-1')]);
    const c = await send('k-1');
    const [ba, bb, bc] = [await bodyOf(a), await bodyOf(b), await bodyOf(c)];
    expect(bb.choices[0].message.content).to.equal(ba.choices[0].message.content);
    expect(bc.choices[0].message.content).to.equal(ba.choices[0].message.content);
    expect(bc.id).to.not.equal(ba.id);
    const other = await bodyOf(await send('k-2'));
    expect(echoOf(other.choices[0].message.content).session).to.not.equal(
      echoOf(ba.choices[0].message.content).session,
    );
  });

  it('ends a stream with an error chunk and [DONE] within a second when the agent dies, then serves the next request', async () => {
    const res = await chat([{ role: 'user', content: '[[text "before the crash"]] [[crash]]' }], { stream: true });
    const started = Date.now();
    const items = await collectSse(res);
    expect(Date.now() - started).to.be.lessThan(1500);
    const data = sseJson(items.filter((i) => !isSseComment(i) && !i.event));
    expect(data.at(-1)).to.equal('[DONE]');
    const last = data.at(-2) as any;
    expect(last.choices[0].finish_reason).to.equal('error');
    expect(last.error.type).to.equal('agent_crashed');
    expect(last.hermes).to.include({ failed: true, partial: true });
    const next = await bodyOf(await chat([{ role: 'user', content: '[[text "back again"]]' }]));
    expect(next.choices[0].message.content).to.equal('back again');
  });
});

describe('chat completions: stream timing, cap and disconnect', function () {
  this.timeout(30_000);

  it('writes : keepalive during a long silence (case 20)', async () => {
    const gw = await startTestGateway({
      agents: [scriptedAgentConfig()],
      chat: { showReasoning: true, toolProgressEvents: true, keepaliveSeconds: 0.1 },
    });
    try {
      const res = await gw.request('/v1/chat/completions', {
        method: 'POST',
        json: {
          model: 'scripted-agent',
          stream: true,
          messages: [{ role: 'user', content: '[[sleep ms=450]] [[text "awake"]]' }],
        },
      });
      const items = await collectSse(res);
      expect(items.filter(isSseComment).map((c) => c.comment)).to.include('keepalive');
      expect(sseJson(items.filter((i) => !isSseComment(i))).at(-1)).to.equal('[DONE]');
    } finally {
      await gw.stop();
    }
  });

  it('answers 429 with Retry-After when the concurrency cap is reached, and frees the slot when a client leaves', async () => {
    const gw = await startTestGateway({ agents: [scriptedAgentConfig()], maxConcurrentRuns: 1 });
    try {
      const controller = new AbortController();
      const slow = await gw.request('/v1/chat/completions', {
        method: 'POST',
        signal: controller.signal,
        json: {
          model: 'scripted-agent',
          stream: true,
          messages: [{ role: 'user', content: '[[text "a b c d e f g h i j" chunks=10 delay=500]]' }],
        },
      });
      const reader = readSse(slow.body!);
      await reader.next(); // the role chunk: the turn holds the only slot now
      const refused = await gw.request('/v1/chat/completions', {
        method: 'POST',
        json: { model: 'scripted-agent', messages: [{ role: 'user', content: 'hi' }] },
      });
      expect(refused.status).to.equal(429);
      expect(refused.headers.get('retry-after')).to.equal('1');
      expect((await bodyOf(refused)).error).to.deep.equal({
        message: 'Too many concurrent runs (max 1)',
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_exceeded',
      });
      // Leaving cancels the agent turn (session/cancel), which frees the slot long before the 5 s stream would end.
      const left = Date.now();
      controller.abort();
      await reader.return(undefined);
      for (;;) {
        const res = await gw.request('/v1/chat/completions', {
          method: 'POST',
          json: { model: 'scripted-agent', messages: [{ role: 'user', content: 'hi' }] },
        });
        if (res.status === 200) break;
        await res.arrayBuffer();
        expect(Date.now() - left).to.be.lessThan(2000);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await gw.stop();
    }
  });
});
