// POST /api/sessions/{id}/chat/stream (reference §8) against the scripted agent, on SQLite and (with REDIS_URL) on
// Redis: the reference's event order on a real stream, every event against the contract, and the run id with
// GET /v1/runs/{id}, approval and stop.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { collectSse, isSseComment } from '../../support/sse.js';
import { parseEcho } from '../../agents/scripted-agent-config.js';
import {
  chatStream,
  createSession,
  expectReferenceOrder,
  readSessionStream,
  type SessionStreamEvent,
  sessionStreamReader,
} from './session-stream-support.js';

const stores = [
  { name: 'SQLite', url: (dir: string) => `sqlite://${join(dir, 'gateway.sqlite')}` },
  ...(process.env.REDIS_URL ? [{ name: 'Redis', url: () => process.env.REDIS_URL! }] : []),
];

const names = (events: SessionStreamEvent[]) => events.map((e) => e.event);
const find = (events: SessionStreamEvent[], event: string) => events.find((e) => e.event === event)!;

for (const backend of stores) {
  describe(`POST /api/sessions/{id}/chat/stream on ${backend.name}`, function () {
    this.timeout(30_000);
    let dir: string;
    let gw: TestGateway;
    let other: string;
    const newId = () => `stream-${randomBytes(6).toString('hex')}`;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'agw-session-stream-'));
      other = `sk-other-${randomBytes(12).toString('hex')}`;
      gw = await startTestGateway({
        agents: [scriptedAgentConfig({ cancelTimeoutSeconds: 1 })],
        store: backend.url(dir),
        dataDir: dir,
        keys: [
          { name: 'test', key: 'sk-test-0123456789abcdef' },
          { name: 'other', key: other },
        ],
        approvals: { policy: 'deny', timeoutSeconds: 30 },
      });
    });
    after(async () => {
      await gw?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('streams the reference event order, and run.completed carries the turn’s stored rows', async () => {
      const id = await createSession(gw, { id: newId() }, { 'X-Hermes-Session-Key': 'desk:1' });
      const message =
        '[[think "pondering"]] [[text "Let me look: " chunks=1]] ' +
        '[[tool name=terminal title="terminal: ls" kind=execute input=\'{"command":"ls"}\' output="a\\nb"]] ' +
        '[[tool name=read title="read: x" status=failed output="no such file"]] [[text "two files." chunks=1]]';
      const res = await chatStream(gw, id, { message }, { 'X-Hermes-Session-Key': 'desk:1' });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
      expect(res.headers.get('x-accel-buffering')).to.equal('no');
      expect(res.headers.get('x-hermes-session-id')).to.equal(id);
      expect(res.headers.get('x-hermes-session-key')).to.equal('desk:1');
      const events = await readSessionStream(res);
      expectReferenceOrder(events);
      expect(names(events)).to.deep.equal([
        'run.started',
        'message.started',
        'tool.progress',
        'assistant.delta',
        'tool.started',
        'tool.completed',
        'tool.started',
        'tool.failed',
        'assistant.delta',
        'assistant.completed',
        'run.completed',
        'done',
      ]);
      const runId = events[0].data.run_id as string;
      expect(runId).to.match(/^run_[0-9a-f]{32}$/);
      expect(events.every((e) => e.data.session_id === id)).to.equal(true);
      expect(find(events, 'run.started').data.user_message).to.deep.equal({ role: 'user', content: message });
      const messageId = find(events, 'message.started').data.message.id;
      expect(messageId).to.match(/^msg_[0-9a-f]{32}$/);
      expect(find(events, 'tool.progress').data).to.include({
        message_id: messageId,
        tool_name: '_thinking',
        delta: 'pondering',
      });
      expect(find(events, 'tool.started').data).to.include({
        message_id: messageId,
        tool_name: 'terminal',
        preview: 'terminal: ls',
      });
      expect(find(events, 'tool.failed').data).to.include({ tool_name: 'read', preview: 'no such file' });
      expect(find(events, 'assistant.completed').data).to.include({
        session_id: id,
        message_id: messageId,
        content: 'Let me look: two files.',
        completed: true,
        partial: false,
        interrupted: false,
      });

      // The rows run.completed carries are the session's, as GET …/messages shows them after the user message.
      const completed = find(events, 'run.completed').data;
      const page = await bodyOf(
        await gw.request(`/api/sessions/${id}/messages?order=oldest`, {
          headers: { 'X-Hermes-Session-Key': 'desk:1' },
        }),
      );
      expect(page.data[0]).to.include({ role: 'user', content: message });
      expect(completed.messages).to.deep.equal(page.data.slice(1));
      expect(completed.messages.map((m: any) => m.role)).to.deep.equal([
        'assistant',
        'tool',
        'assistant',
        'tool',
        'assistant',
      ]);
      expect(completed.usage).to.include({ estimated: true });

      // The run id is a run of the caller's key, and of nobody else's.
      const status = await bodyOf(await gw.request(`/v1/runs/${runId}`));
      expect(status).to.include({ object: 'hermes.run', run_id: runId, status: 'completed', session_id: id });
      expect(status.output).to.equal('Let me look: two files.');
      const foreign = await gw.request(`/v1/runs/${runId}`, { headers: { authorization: `Bearer ${other}` } });
      expect(foreign.status).to.equal(404);
      await foreign.arrayBuffer();
    });

    it('waits at approval.request until POST /v1/runs/{run_id}/approval answers it', async () => {
      const id = await createSession(gw, { id: newId() });
      const res = await chatStream(gw, id, { message: '[[permission title="rm build" command="rm -rf build"]]' });
      const stream = sessionStreamReader(res);
      const approval = (await stream.until((e) => e.event === 'approval.request')).at(-1)!.data;
      expect(approval).to.include({ command: 'rm -rf build', session_id: id });
      expect(approval.choices).to.include('once');
      const runId = approval.run_id as string;
      const waiting = await bodyOf(await gw.request(`/v1/runs/${runId}`));
      expect(waiting.status).to.equal('waiting_for_approval');

      const answer = await gw.request(`/v1/runs/${runId}/approval`, { method: 'POST', json: { choice: 'once' } });
      expect(answer.status).to.equal(200);
      expect(await bodyOf(answer)).to.deep.include({ run_id: runId, choice: 'once', resolved: 1 });
      const events = await stream.until();
      expectReferenceOrder(events);
      expect(find(events, 'assistant.completed').data.content).to.match(/^permission: allow/);
      expect(find(events, 'run.completed').data.completed).to.equal(true);
    });

    it('ends with assistant.completed (interrupted), run.cancelled and done when POST /v1/runs/{run_id}/stop stops it', async () => {
      const id = await createSession(gw, { id: newId() });
      const res = await chatStream(gw, id, { message: '[[text "partial"]] [[sleep ms=20000]]' });
      const stream = sessionStreamReader(res);
      const runId = (await stream.until((e) => e.event === 'assistant.delta'))[0].data.run_id as string;
      const stop = await gw.request(`/v1/runs/${runId}/stop`, { method: 'POST' });
      expect(stop.status).to.equal(200);
      expect(await bodyOf(stop)).to.deep.equal({ run_id: runId, status: 'stopping' });
      const events = await stream.until();
      expectReferenceOrder(events);
      expect(names(events).slice(-3)).to.deep.equal(['assistant.completed', 'run.cancelled', 'done']);
      expect(find(events, 'assistant.completed').data).to.include({
        content: 'partial',
        completed: false,
        partial: true,
        interrupted: true,
      });
      expect(find(events, 'run.cancelled').data.messages).to.deep.equal([{ role: 'assistant', content: 'partial' }]);
      const status = await bodyOf(await gw.request(`/v1/runs/${runId}`));
      expect(status.status).to.equal('cancelled');
      // A cancelled turn is not recorded: the session holds no half turn.
      const { session } = await bodyOf(await gw.request(`/api/sessions/${id}`));
      expect(session.message_count).to.equal(0);
    });

    it('echoes a multimodal message on run.started in canonical parts, and passes the image to the agent', async () => {
      const id = await createSession(gw, { id: newId() });
      const image = 'data:image/png;base64,iVBORw0KGgo=';
      const message = [
        { type: 'input_text', text: '[[echo]] what is this?' },
        { type: 'input_image', image_url: image },
      ];
      const events = await readSessionStream(await chatStream(gw, id, { message }));
      expectReferenceOrder(events);
      expect(find(events, 'run.started').data.user_message).to.deep.equal({
        role: 'user',
        content: [
          { type: 'text', text: '[[echo]] what is this?' },
          { type: 'image_url', image_url: { url: image } },
        ],
      });
      const echo = parseEcho(find(events, 'assistant.completed').data.content);
      expect(echo.blocks.map((b) => b.type)).to.deep.equal(['text', 'image']);
    });

    it('ends with run.failed when the agent fails the turn', async () => {
      const id = await createSession(gw, { id: newId() });
      const res = await chatStream(gw, id, {
        message: '[[text "so far"]] [[error code=-32603 message="provider down"]]',
      });
      const events = await readSessionStream(res);
      expectReferenceOrder(events);
      const failed = find(events, 'run.failed').data;
      expect(failed).to.include({ completed: false, partial: true, interrupted: false });
      expect(failed.error).to.include('provider down');
    });

    it('keeps the run going when the client leaves: the stream is only a transport', async () => {
      const id = await createSession(gw, { id: newId() });
      const abort = new AbortController();
      const res = await gw.request(`/api/sessions/${id}/chat/stream`, {
        method: 'POST',
        json: { message: '[[text "before" chunks=1]] [[sleep ms=300]] [[text "after" chunks=1]]' },
        signal: abort.signal,
      });
      const stream = sessionStreamReader(res);
      const runId = (await stream.until((e) => e.event === 'assistant.delta'))[0].data.run_id as string;
      abort.abort();
      const deadline = Date.now() + 10_000;
      let status = await bodyOf(await gw.request(`/v1/runs/${runId}`));
      while (status.status !== 'completed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = await bodyOf(await gw.request(`/v1/runs/${runId}`));
      }
      expect(status).to.include({ status: 'completed', output: 'beforeafter' });
      const { session } = await bodyOf(await gw.request(`/api/sessions/${id}`));
      expect(session.message_count).to.equal(2);
    });

    it('refuses before any event: 404 for an unknown session, 400 for a missing message', async () => {
      const missing = await chatStream(gw, 'no-such-session', { message: 'hi' });
      expect(missing.status).to.equal(404);
      expect(missing.headers.get('content-type')).to.match(/^application\/json/);
      expect((await bodyOf(missing)).error.code).to.equal('session_not_found');
      const id = await createSession(gw, { id: newId() });
      const empty = await chatStream(gw, id, { input: '' });
      expect(empty.status).to.equal(400);
      expect((await bodyOf(empty)).error.code).to.equal('missing_message');
    });
  });
}

describe('POST /api/sessions/{id}/chat/stream keepalive', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    const chat = { showReasoning: true, toolProgressEvents: true, keepaliveSeconds: 0.05 };
    gw = await startTestGateway({ agents: [scriptedAgentConfig()], chat });
  });
  after(() => gw.stop());

  it('sends `: keepalive` while the agent is silent', async () => {
    const id = await createSession(gw, { id: 'quiet' });
    const res = await chatStream(gw, id, { message: '[[sleep ms=300]] [[text "done"]]' });
    const items = await collectSse(res);
    expect(items.some((item) => isSseComment(item) && item.comment === 'keepalive')).to.equal(true);
    const events = items.filter((item) => !isSseComment(item)).map((item: any) => item.event);
    expect(events.at(-1)).to.equal('done');
  });
});
