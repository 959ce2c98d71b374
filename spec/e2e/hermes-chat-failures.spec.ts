// Hermes fidelity (issue 13): an empty truncated reply is a hard failure (reference §3.6), and a message with an
// unknown role is refused naming that role (item 9).
import { expect } from 'chai';
import OpenAI, { APIError } from 'openai';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../support/gateway.js';
import { collectSse, isSseComment, sseJson } from '../support/sse.js';

describe('Hermes fidelity: chat failures and refusals', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ agents: [scriptedAgentConfig()] });
  });
  after(() => gw.stop());

  const chat = (messages: Array<{ role: string; content: unknown }>, extra: Record<string, unknown> = {}) =>
    gw.request('/v1/chat/completions', { method: 'POST', json: { model: 'scripted-agent', messages, ...extra } });

  describe('an empty truncated reply (reference §3.6)', () => {
    for (const reason of ['max_tokens', 'max_turn_requests']) {
      it(`answers 502 agent_incomplete with the hermes flags and X-Hermes-* headers for stop reason ${reason}`, async () => {
        const res = await chat([{ role: 'user', content: `[[stop reason=${reason}]]` }]);
        expect(res.status).to.equal(502);
        expect(res.headers.get('x-hermes-completed')).to.equal('false');
        expect(res.headers.get('x-hermes-partial')).to.equal('true');
        expect(res.headers.get('x-hermes-session-id')).to.match(/^api-[0-9a-f]{16}$/);
        expect(await bodyOf(res)).to.deep.equal({
          error: {
            message: `Output truncated: the agent stopped with ${reason}.`,
            type: 'server_error',
            param: null,
            code: 'agent_incomplete',
            hermes: { completed: false, partial: true, failed: false },
          },
        });
      });
    }

    it('keeps a truncated reply with text a 200 soft partial (case 16)', async () => {
      const res = await chat([{ role: 'user', content: '[[text "some"]] [[stop reason=max_tokens]]' }]);
      expect(res.status).to.equal(200);
      expect((await bodyOf(res)).choices[0]).to.include({ finish_reason: 'length' });
    });

    it('ends the stream with finish_reason length, the hermes flags and a top-level error (streaming)', async () => {
      const res = await chat([{ role: 'user', content: '[[stop reason=max_tokens]]' }], { stream: true });
      expect(res.status).to.equal(200);
      const data = sseJson(await collectSse(res).then((items) => items.filter((i) => !isSseComment(i) && !i.event)));
      expect(data.at(-1)).to.equal('[DONE]');
      const last = data.at(-2) as Record<string, any>;
      expect(last.choices[0]).to.deep.include({ delta: {}, finish_reason: 'length' });
      expect(last.error).to.deep.equal({
        message: 'Output truncated: the agent stopped with max_tokens.',
        type: 'agent_incomplete',
      });
      expect(last.hermes).to.include({
        completed: false,
        partial: true,
        failed: false,
        error_code: 'output_truncated',
      });
    });

    it("makes the SDK's stream helper throw the gateway's error", async () => {
      const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key, maxRetries: 0 });
      const error = await client.chat.completions
        .stream({ model: 'scripted-agent', messages: [{ role: 'user', content: '[[stop reason=max_tokens]]' }] })
        .finalChatCompletion()
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).to.be.instanceOf(APIError);
      expect((error as APIError).message).to.include('Output truncated');
    });
  });

  describe('a message with an unknown role', () => {
    it('answers 400 naming messages[i].role, wherever the message sits', async () => {
      for (const [messages, at] of [
        [[{ role: 'robot', content: 'beep' }], 0],
        [
          [
            { role: 'system', content: 'Be terse.' },
            { role: 'robot', content: 'beep' },
            { role: 'user', content: 'hello' },
          ],
          1,
        ],
      ] as const) {
        const res = await chat([...messages]);
        expect(res.status).to.equal(400);
        const { error } = await bodyOf(res);
        expect(error).to.include({ type: 'invalid_request_error', param: `messages[${at}].role` });
        expect(error.message).to.include(`messages[${at}].role`);
        expect(error.message).to.not.include('No user message');
      }
    });

    it('still drops the known roles Hermes ignores (tool, function, developer)', async () => {
      const res = await chat([
        { role: 'developer', content: 'note' },
        { role: 'user', content: 'question' },
        { role: 'tool', content: 'ignored' },
        { role: 'function', content: 'ignored' },
        { role: 'user', content: '[[text "answered"]]' },
      ]);
      expect(res.status).to.equal(200);
      expect((await bodyOf(res)).choices[0].message.content).to.equal('answered');
    });
  });
});
