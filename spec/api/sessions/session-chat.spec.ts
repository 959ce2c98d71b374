// POST /api/sessions/{id}/chat and POST /api/sessions/{id}/model (reference §8) against the scripted agent, on
// SQLite and (with REDIS_URL) on Redis.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { chat, createSession } from './session-stream-support.js';

const stores = [
  { name: 'SQLite', url: (dir: string) => `sqlite://${join(dir, 'gateway.sqlite')}` },
  ...(process.env.REDIS_URL ? [{ name: 'Redis', url: () => process.env.REDIS_URL! }] : []),
];

for (const backend of stores) {
  describe(`POST /api/sessions/{id}/chat on ${backend.name}`, function () {
    this.timeout(30_000);
    let dir: string;
    let gw: TestGateway;
    let other: string;
    /** A fresh session id per test: on a shared Redis, earlier runs' sessions stay. */
    const newId = () => `chat-${randomBytes(6).toString('hex')}`;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'agw-session-chat-'));
      other = `sk-other-${randomBytes(12).toString('hex')}`;
      gw = await startTestGateway({
        agents: [scriptedAgentConfig({ cancelTimeoutSeconds: 1 })],
        store: backend.url(dir),
        dataDir: dir,
        keys: [
          { name: 'test', key: 'sk-test-0123456789abcdef' },
          { name: 'other', key: other },
        ],
      });
    });
    after(async () => {
      await gw?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('continues a session from its stored messages, and lists both turns', async () => {
      const id = await createSession(gw, { id: newId(), title: `Chat ${randomBytes(3).toString('hex')}` });
      const first = await chat(gw, id, { message: 'hello there' });
      expect(first.status).to.equal(200);
      expect(first.headers.get('x-hermes-session-id')).to.equal(id);
      expect(first.headers.get('x-hermes-session-key')).to.equal(null);
      expect(first.headers.get('content-type')).to.match(/^application\/json/);
      const body = await bodyOf(first);
      // The scripted agent reports no usage: the gateway's estimate, flagged.
      expect(body.usage).to.include({ estimated: true, cache_read_tokens: 0, cache_write_tokens: 0 });
      expect(body.usage.total_tokens).to.equal(body.usage.input_tokens + body.usage.output_tokens);
      expect(body).to.deep.equal({
        object: 'hermes.session.chat.completion',
        session_id: id,
        message: { role: 'assistant', content: 'echo: hello there' },
        usage: body.usage,
        runtime: { provider: 'scripted-agent', model: 'scripted-agent', route_source: 'global' },
      });

      const second = await bodyOf(await chat(gw, id, { input: '[[text "second answer"]] again' }));
      expect(second.message).to.deep.equal({ role: 'assistant', content: 'second answer' });
      // The session now carries the model its first turn ran on.
      expect(second.runtime).to.deep.equal({
        provider: 'scripted-agent',
        model: 'scripted-agent',
        route_source: 'session_model',
      });

      const page = await bodyOf(await gw.request(`/api/sessions/${id}/messages`));
      expect(page.data.map((m: any) => [m.role, m.content])).to.deep.equal([
        ['user', 'hello there'],
        ['assistant', 'echo: hello there'],
        ['user', '[[text "second answer"]] again'],
        ['assistant', 'second answer'],
      ]);
      const { session } = await bodyOf(await gw.request(`/api/sessions/${id}`));
      expect(session).to.include({ message_count: 4, model: 'scripted-agent', has_system_prompt: false });
    });

    it('answers 404 session_not_found for a session that does not exist, or is another key’s', async () => {
      const missing = await chat(gw, 'no-such-session', { message: 'hi' });
      expect(missing.status).to.equal(404);
      expect(await bodyOf(missing)).to.deep.equal({
        error: {
          message: 'Session not found: no-such-session',
          type: 'invalid_request_error',
          param: null,
          code: 'session_not_found',
        },
      });
      const id = await createSession(gw, { id: newId() });
      const foreign = await chat(gw, id, { message: 'hi' }, { authorization: `Bearer ${other}` });
      expect(foreign.status).to.equal(404);
      expect((await bodyOf(foreign)).error.code).to.equal('session_not_found');
    });

    it('keeps the sessions of one X-Hermes-Session-Key apart from the others, and echoes the key', async () => {
      const alice = { 'X-Hermes-Session-Key': 'webui:alice' };
      const id = await createSession(gw, { id: newId() }, alice);
      const own = await chat(gw, id, { message: 'mine' }, alice);
      expect(own.status).to.equal(200);
      expect(own.headers.get('x-hermes-session-key')).to.equal('webui:alice');
      expect(own.headers.get('x-hermes-session-id')).to.equal(id);
      await own.arrayBuffer();
      for (const headers of [{ 'X-Hermes-Session-Key': 'webui:bob' }, {}] as Record<string, string>[]) {
        const res = await chat(gw, id, { message: 'theirs' }, headers);
        expect(res.status).to.equal(404);
        expect((await bodyOf(res)).error.code).to.equal('session_not_found');
      }
    });

    it('answers 400 missing_message without a visible message', async () => {
      const id = await createSession(gw, { id: newId() });
      for (const json of [
        {},
        { message: '   ' },
        { message: '', input: [] },
        { input: [{ type: 'text', text: ' ' }] },
      ]) {
        const res = await chat(gw, id, json);
        expect(res.status, JSON.stringify(json)).to.equal(400);
        expect(await bodyOf(res)).to.deep.equal({
          error: {
            message: "Missing 'message' field",
            type: 'invalid_request_error',
            param: 'message',
            code: 'missing_message',
          },
        });
      }
    });

    it('answers 400 invalid_system_message for a system_message (or instructions) that is not a string', async () => {
      const id = await createSession(gw, { id: newId() });
      for (const [json, param] of [
        [{ message: 'hi', system_message: 5 }, 'system_message'],
        [{ message: 'hi', instructions: ['be brief'] }, 'instructions'],
      ] as const) {
        const res = await chat(gw, id, json);
        expect(res.status).to.equal(400);
        expect(await bodyOf(res)).to.deep.equal({
          error: {
            message: `${param} must be a string`,
            type: 'invalid_request_error',
            param,
            code: 'invalid_system_message',
          },
        });
      }
      const parts = await chat(gw, id, { message: [{ type: 'input_file', file_id: 'f' }] });
      expect(parts.status).to.equal(400);
      expect((await bodyOf(parts)).error).to.include({ code: 'unsupported_content_type', param: 'message[0]' });
    });

    it('layers system_message over the session for its turn only, never into the stored prompt', async () => {
      const id = await createSession(gw, { id: newId() });
      const first = await bodyOf(await chat(gw, id, { message: 'first', system_message: 'Answer in French.' }));
      expect(first.message.content).to.equal(
        'echo: [System instructions from the client]\nAnswer in French.\n[End of system instructions]\nfirst',
      );
      const second = await bodyOf(await chat(gw, id, { message: 'second' }));
      expect(second.message.content).to.equal('echo: second');
      const { session } = await bodyOf(await gw.request(`/api/sessions/${id}`));
      expect(session.has_system_prompt).to.equal(false);
      const page = await bodyOf(await gw.request(`/api/sessions/${id}/messages?order=oldest`));
      expect(page.data[0].content).to.equal('first');
    });

    it('answers 502 agent_incomplete when the turn fails without text', async () => {
      const id = await createSession(gw, { id: newId() });
      const res = await chat(gw, id, { message: '[[error code=-32603 message="provider down"]]' });
      expect(res.status).to.equal(502);
      expect(res.headers.get('x-hermes-completed')).to.equal('false');
      expect(res.headers.get('x-hermes-session-id')).to.equal(id);
      const { error } = await bodyOf(res);
      expect(error).to.include({ type: 'server_error', code: 'agent_incomplete' });
      expect(error.message).to.include('provider down');
      expect(error.hermes).to.deep.equal({ completed: false, partial: false, failed: true });
    });

    it('answers 200 with hermes flags when the turn stops short after some text', async () => {
      const id = await createSession(gw, { id: newId() });
      const res = await chat(gw, id, { message: '[[text "half"]] [[stop reason=max_tokens]]' });
      expect(res.status).to.equal(200);
      expect(res.headers.get('x-hermes-completed')).to.equal('false');
      expect(res.headers.get('x-hermes-partial')).to.equal('true');
      const body = await bodyOf(res);
      expect(body.message).to.deep.equal({ role: 'assistant', content: 'half' });
      expect(body.hermes).to.deep.include({
        completed: false,
        partial: true,
        failed: true,
        error_code: 'output_truncated',
        turn_exit_reason: 'max_tokens',
      });
    });

    describe('POST /api/sessions/{id}/model', () => {
      it('locks the session to a model its later chats run on', async () => {
        const id = await createSession(gw, { id: newId() });
        const res = await gw.request(`/api/sessions/${id}/model`, {
          method: 'POST',
          json: { model: 'scripted-agent', provider: 'acp', require_model_lock: true },
        });
        expect(res.status).to.equal(200);
        const lock = {
          provider: 'scripted-agent',
          model: 'scripted-agent',
          route_source: 'session_model_lock',
          requested: { provider: 'acp', model: 'scripted-agent' },
          model_lock: 'confirmed',
        };
        expect(await bodyOf(res)).to.deep.equal({ object: 'hermes.session.model_lock', session_id: id, runtime: lock });
        const { session } = await bodyOf(await gw.request(`/api/sessions/${id}`));
        expect(session).to.include({ model: 'scripted-agent', has_model_config: true });

        const turn = await bodyOf(await chat(gw, id, { message: 'locked' }));
        expect(turn.runtime).to.deep.equal(lock);
        // A chat naming a model uses it for its own turn.
        const named = await bodyOf(await chat(gw, id, { message: 'named', model: 'scripted-agent' }));
        expect(named.runtime).to.deep.equal({
          provider: 'scripted-agent',
          model: 'scripted-agent',
          route_source: 'raw_request',
          requested: { model: 'scripted-agent' },
        });
      });

      it('answers 400 missing_model without a model, and 404 for another key’s session', async () => {
        const id = await createSession(gw, { id: newId() });
        const missing = await gw.request(`/api/sessions/${id}/model`, { method: 'POST', json: { provider: 'x' } });
        expect(missing.status).to.equal(400);
        expect(await bodyOf(missing)).to.deep.equal({
          error: {
            message: "Missing 'model' field",
            type: 'invalid_request_error',
            param: 'model',
            code: 'missing_model',
          },
        });
        const foreign = await gw.request(`/api/sessions/${id}/model`, {
          method: 'POST',
          json: { model: 'scripted-agent' },
          headers: { authorization: `Bearer ${other}` },
        });
        expect(foreign.status).to.equal(404);
        expect((await bodyOf(foreign)).error.code).to.equal('session_not_found');
      });

      it('answers 400 missing_model for a chat that requires a lock and names no model', async () => {
        const id = await createSession(gw, { id: newId() });
        const res = await chat(gw, id, { message: 'hi', model: '', require_model_lock: true });
        expect(res.status).to.equal(400);
        expect((await bodyOf(res)).error.code).to.equal('missing_model');
      });
    });
  });
}

describe('session chat with strict models', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ agents: [scriptedAgentConfig()], strictModels: true });
  });
  after(() => gw.stop());

  it('answers 409 model_lock_unavailable for a lock on a model no agent serves', async () => {
    const id = await createSession(gw, { id: 'strict-1' });
    const lock = await gw.request(`/api/sessions/${id}/model`, { method: 'POST', json: { model: 'gone-model' } });
    expect(lock.status).to.equal(409);
    const conflict = {
      error: {
        message: "The session is locked to model 'gone-model', which no agent serves.",
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_lock_unavailable',
      },
    };
    expect(await bodyOf(lock)).to.deep.equal(conflict);
    // A session created locked to it cannot chat without naming a model.
    const locked = await createSession(gw, { id: 'strict-2', model: 'gone-model', require_model_lock: true });
    const res = await chat(gw, locked, { message: 'hi' });
    expect(res.status).to.equal(409);
    expect(await bodyOf(res)).to.deep.equal(conflict);
  });
});

describe('session chat at the concurrency cap', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ agents: [scriptedAgentConfig({ cancelTimeoutSeconds: 1 })], maxConcurrentRuns: 1 });
  });
  after(() => gw.stop());

  it('answers 429 rate_limit_exceeded while the cap is taken', async () => {
    const busy = await gw.request('/v1/runs', { method: 'POST', json: { input: '[[sleep ms=20000]]' } });
    const { run_id } = await bodyOf(busy);
    const id = await createSession(gw, { id: 'capped' });
    const res = await chat(gw, id, { message: 'hi' });
    expect(res.status).to.equal(429);
    expect(res.headers.get('retry-after')).to.equal('1');
    expect(await bodyOf(res)).to.deep.equal({
      error: {
        message: 'Too many concurrent runs (max 1)',
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    await (await gw.request(`/v1/runs/${run_id}/stop`, { method: 'POST' })).arrayBuffer();
  });
});
