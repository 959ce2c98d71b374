// Hermes fidelity (issue 13): an unknown model runs the only agent and is echoed (reference §3.1, §11), bool-ish
// request fields (§3.1, §4.1, §6.6), runs on a route alias with `provider` ignored (§6.1).
import { expect } from 'chai';
import { parseEcho } from '../agents/scripted-agent-config.js';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';
import { collectSse, readSse, sseJson } from '../support/sse.js';

const OTHER_KEY = 'sk-other-0123456789abcdef';
const user = (content: string) => [{ role: 'user', content }];

async function waitForRun(gw: TestGateway, runId: string, statuses: string[], timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await bodyOf(await gw.request(`/v1/runs/${runId}`));
    if (statuses.includes(status.status)) return status;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${status.status}, wanted ${statuses.join('|')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Hermes' proxy-mode client (reference §11, `_run_agent_via_proxy`): posts `hermes-agent`, streams, and keeps only
 * `choices[0].delta.content` until `data: [DONE]`; named events and every other chunk field are ignored.
 */
async function proxyModeTurn(gw: TestGateway, sessionId: string, messages: unknown[]): Promise<string> {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${gw.key}`,
      'X-Hermes-Session-Id': sessionId,
    },
    body: JSON.stringify({ model: 'hermes-agent', messages, stream: true }),
  });
  if (res.status !== 200) throw new Error(`Proxy error (${res.status}): ${(await res.text()).slice(0, 300)}`);
  let text = '';
  for await (const item of readSse(res.body!)) {
    if (!('data' in item) || item.event) continue;
    if (item.data === '[DONE]') return text;
    const delta = JSON.parse(item.data).choices?.[0]?.delta?.content;
    if (typeof delta === 'string') text += delta;
  }
  throw new Error(`stream ended without [DONE] after ${JSON.stringify(text)}`);
}

describe('Hermes fidelity: unknown model, bool-ish fields, runs on an alias', function () {
  this.timeout(30_000);

  describe('one agent, no routes (default settings)', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({
        agents: [scriptedAgentConfig()],
        keys: [
          { name: 'test', key: TEST_KEY },
          { name: 'other', key: OTHER_KEY, models: ['some-other-model'] },
        ],
        approvals: { policy: 'deny', timeoutSeconds: 30 },
      });
    });
    after(() => gw.stop());

    const chat = (json: Record<string, unknown>) => gw.request('/v1/chat/completions', { method: 'POST', json });

    it('runs the agent for an unknown model and echoes the requested name in the chat completion', async () => {
      const res = await chat({ model: 'gpt-4o', messages: user('[[text "fallback works"]]') });
      expect(res.status).to.equal(200);
      const body = await bodyOf(res);
      expect(body).to.include({ object: 'chat.completion', model: 'gpt-4o' });
      expect(body.choices[0].message.content).to.equal('fallback works');
    });

    it('echoes the requested name in every chunk of a chat stream', async () => {
      const res = await chat({ model: 'hermes-agent', stream: true, messages: user('[[text "a b c" chunks=3]]') });
      expect(res.status).to.equal(200);
      const chunks = sseJson<{ model: string }>(await collectSse(res)).filter((c) => c !== '[DONE]');
      expect(chunks.length).to.be.greaterThan(1);
      expect(new Set(chunks.map((c) => (c as { model: string }).model))).to.deep.equal(new Set(['hermes-agent']));
    });

    it('runs the agent for an unknown model and echoes the requested name in a Response', async () => {
      const res = await gw.request('/v1/responses', {
        method: 'POST',
        json: { model: 'hermes-agent', input: '[[text "from responses"]]' },
      });
      expect(res.status).to.equal(200);
      const body = await bodyOf(res);
      expect(body).to.include({ object: 'response', status: 'completed', model: 'hermes-agent' });
      expect(body.output.at(-1).content[0].text).to.equal('from responses');
    });

    it('starts a run for an unknown model and reports the requested name in its status', async () => {
      const res = await gw.request('/v1/runs', {
        method: 'POST',
        json: { model: 'hermes-agent', input: '[[text "ran"]]' },
      });
      expect(res.status).to.equal(202);
      const done = await waitForRun(gw, (await bodyOf(res)).run_id, ['completed']);
      expect(done).to.include({ model: 'hermes-agent', output: 'ran' });
    });

    it('serves Hermes’ proxy-mode client: the reply as delta.content to [DONE], one session across messages (§11)', async () => {
      const history = [{ role: 'system', content: 'local context' }];
      const first = await proxyModeTurn(gw, 's1', [...history, ...user('[[text "hello "]] [[echo]]')]);
      expect(first.startsWith('hello ')).to.equal(true);
      const one = parseEcho(first);
      // The client resends its own history; with the session header the gateway's record is the history.
      const second = await proxyModeTurn(gw, 's1', [
        ...history,
        ...user('[[text "hello "]] [[echo]]'),
        { role: 'assistant', content: first },
        ...user('[[echo]]'),
      ]);
      const two = parseEcho(second);
      expect(two.session).to.equal(one.session);
      expect([one.promptIndex, two.promptIndex]).to.deep.equal([1, 2]);
      expect(two.blocks.map((b) => b.text).join('')).to.not.include('hello');
    });

    it('lets a fallback request through only when the key’s list allows the agent that serves it', async () => {
      const res = await gw.request('/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${OTHER_KEY}` },
        json: { model: 'some-other-model-alias', messages: user('hi') },
      });
      expect(res.status).to.equal(403);
      expect((await bodyOf(res)).error.code).to.equal('model_not_allowed');
      // Naming an allowed model that nobody serves does not smuggle the request onto the agent either.
      const named = await gw.request('/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${OTHER_KEY}` },
        json: { model: 'some-other-model', messages: user('hi') },
      });
      expect(named.status).to.equal(403);
      expect((await bodyOf(named)).error.code).to.equal('model_not_allowed');
    });

    describe('bool-ish fields, coerced at the door as Hermes does (§3.1)', () => {
      const streamCases: Array<[unknown, boolean]> = [
        ['false', false],
        ['true', true],
        [' Yes ', true],
        ['ON', true],
        ['1', true],
        ['0', false],
        ['no', false],
        ['off', false],
        [1, true],
        [0, false],
        [2.5, true],
        [null, false],
        ['maybe', false],
        [{}, false],
        [[], false],
      ];
      for (const [value, streams] of streamCases) {
        it(`answers chat "stream": ${JSON.stringify(value)} with ${streams ? 'SSE' : 'JSON'}`, async () => {
          const res = await chat({ model: 'scripted-agent', stream: value, messages: user('[[text "ok"]]') });
          expect(res.status).to.equal(200);
          if (streams) {
            expect(res.headers.get('content-type')).to.include('text/event-stream');
            expect(sseJson(await collectSse(res)).at(-1)).to.equal('[DONE]');
          } else {
            expect(res.headers.get('content-type')).to.include('application/json');
            expect((await bodyOf(res)).choices[0].message.content).to.equal('ok');
          }
        });
      }

      it('honours Responses "store": "false" (not retrievable) and "stream": "true" (SSE)', async () => {
        const res = await gw.request('/v1/responses', {
          method: 'POST',
          json: { model: 'scripted-agent', input: '[[text "unstored"]]', store: 'false' },
        });
        expect(res.status).to.equal(200);
        const body = await bodyOf(res);
        expect(body.store).to.equal(false);
        expect((await gw.request(`/v1/responses/${body.id}`)).status).to.equal(404);

        const streamed = await gw.request('/v1/responses', {
          method: 'POST',
          json: { model: 'scripted-agent', input: '[[text "streamed"]]', stream: 'true', store: 'yes' },
        });
        expect(streamed.headers.get('content-type')).to.include('text/event-stream');
        const events = sseJson<{ type: string; response?: { id: string } }>(await collectSse(streamed));
        const completed = events.find((e) => e !== '[DONE]' && e.type === 'response.completed') as {
          response: { id: string };
        };
        expect((await gw.request(`/v1/responses/${completed.response.id}`)).status).to.equal(200);
      });

      it('answers a run approval with "all": "true"', async () => {
        const created = await gw.request('/v1/runs', {
          method: 'POST',
          json: { input: '[[permission command=ls]] [[text " done"]]' },
        });
        const runId = (await bodyOf(created)).run_id;
        await waitForRun(gw, runId, ['waiting_for_approval']);
        const res = await gw.request(`/v1/runs/${runId}/approval`, {
          method: 'POST',
          json: { choice: 'once', all: 'true' },
        });
        expect(res.status).to.equal(200);
        expect(await bodyOf(res)).to.deep.equal({
          object: 'hermes.run.approval_response',
          run_id: runId,
          choice: 'once',
          resolved: 1,
        });
        expect((await waitForRun(gw, runId, ['completed'])).output).to.equal('permission: allow_once done');
      });
    });
  });

  describe('strictModels and the 404 cases', () => {
    let gw: TestGateway | null = null;
    afterEach(async () => {
      await gw?.stop();
      gw = null;
    });
    const unknown = async () => {
      const res = await gw!.request('/v1/chat/completions', {
        method: 'POST',
        json: { model: 'hermes-agent', messages: user('[[text "ok"]]') },
      });
      return { status: res.status, body: await bodyOf(res) };
    };

    it('strictModels: true answers 404 model_not_found for an unknown model, even with one agent', async () => {
      gw = await startTestGateway({ agents: [scriptedAgentConfig()], strictModels: true });
      const { status, body } = await unknown();
      expect(status).to.equal(404);
      expect(body.error).to.include({ code: 'model_not_found', param: 'model' });
    });

    it('answers 404 model_not_found for an unknown model when model routes are configured', async () => {
      gw = await startTestGateway({
        agents: [scriptedAgentConfig()],
        routes: [{ model: 'helper', agent: 'scripted-agent' }],
      });
      const { status, body } = await unknown();
      expect(status).to.equal(404);
      expect(body.error).to.include({ code: 'model_not_found', param: 'model' });
    });

    it('answers 404 model_not_found for an unknown model when several agents run', async () => {
      gw = await startTestGateway({
        agents: [scriptedAgentConfig({ name: 'first' }), scriptedAgentConfig({ name: 'second' })],
      });
      const { status, body } = await unknown();
      expect(status).to.equal(404);
      expect(body.error).to.include({ code: 'model_not_found', param: 'model' });
    });

    it('strictModels: false runs the default agent for an unknown model, routes and several agents or not', async () => {
      gw = await startTestGateway({
        agents: [scriptedAgentConfig({ name: 'first' }), scriptedAgentConfig({ name: 'second' })],
        routes: [{ model: 'helper', agent: 'second' }],
        strictModels: false,
      });
      const { status, body } = await unknown();
      expect(status).to.equal(200);
      expect(body).to.include({ model: 'hermes-agent' });
      expect(body.choices[0].message.content).to.equal('ok');
      // An alias keeps its behaviour: the operation sees (and echoes) the agent it names.
      const alias = await gw.request('/v1/chat/completions', {
        method: 'POST',
        json: { model: 'helper', messages: user('[[text "ok"]]') },
      });
      expect((await bodyOf(alias)).model).to.equal('second');
    });
  });

  describe('POST /v1/runs on a route alias (§6.1)', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway({
        agents: [scriptedAgentConfig()],
        routes: [{ model: 'helper', agent: 'scripted-agent' }],
      });
    });
    after(() => gw.stop());

    it('accepts the alias /v1/models lists and chat accepts, and ignores `provider`', async () => {
      const models = await bodyOf(await gw.request('/v1/models'));
      expect(models.data.map((m: { id: string }) => m.id)).to.include('helper');
      const chat = await gw.request('/v1/chat/completions', {
        method: 'POST',
        json: { model: 'helper', provider: 'openrouter', messages: user('[[text "chat ok"]]') },
      });
      expect(chat.status).to.equal(200);

      const res = await gw.request('/v1/runs', {
        method: 'POST',
        json: { model: 'helper', provider: 'openrouter', input: '[[text "run ok"]]' },
      });
      expect(res.status).to.equal(202);
      const done = await waitForRun(gw, (await bodyOf(res)).run_id, ['completed']);
      expect(done.output).to.equal('run ok');
    });
  });
});
