// The Runs API end to end (reference §6, cases 48–59) against the scripted ACP agent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { RESTARTED_ERROR, type RunRecord } from '../../lib/engine/runs/run-record.js';
import { Repository } from '../../lib/store/repository.js';
import { bodyOf, type TestGateway } from '../support/gateway.js';
import { parseEcho } from '../agents/scripted-agent-config.js';
import { collectSse, isSseComment, readSse, type SseEvent, type SseItem } from '../support/sse.js';
import {
  approve,
  createRun,
  eventsOf,
  getRun,
  names,
  OTHER_KEY,
  payloads,
  readUntil,
  startRuns,
  waitForStatus,
} from '../support/runs.js';

describe('Runs API', function () {
  this.timeout(30_000);
  let gw: TestGateway;

  describe('lifecycle and events', () => {
    before(async () => {
      gw = await startRuns();
    });
    after(() => gw.stop());

    it('answers 202 started and reports the hermes.run status through completion (case 48)', async () => {
      const { res, body } = await createRun(gw, { input: '[[text "Done." chunks=2]] [[usage input=50 output=200]]' });
      expect(res.status).to.equal(202);
      expect(body).to.deep.include({ status: 'started', replayed: false });
      expect(body.run_id).to.match(/^run_[0-9a-f]{32}$/);
      const first = await getRun(gw, body.run_id);
      expect(first.object).to.equal('hermes.run');
      expect(['queued', 'running', 'completed']).to.include(first.status);

      const done = await waitForStatus(gw, body.run_id, ['completed']);
      expect(Object.keys(done).slice(0, 5)).to.deep.equal(['object', 'run_id', 'status', 'updated_at', 'created_at']);
      expect(done).to.deep.include({
        run_id: body.run_id,
        session_id: body.run_id,
        model: 'scripted-agent',
        last_event: 'run.completed',
        output: 'Done.',
        error: null,
        completed: true,
        partial: false,
        interrupted: false,
      });
      expect(done.usage).to.deep.equal({
        input_tokens: 50,
        output_tokens: 200,
        total_tokens: 250,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
      });
      expect(done.updated_at).to.be.a('number').and.at.least(done.created_at);
    });

    it('runs in the session named by session_id (case 49)', async () => {
      const { body } = await createRun(gw, { input: 'hello', session_id: 'space-session' });
      const done = await waitForStatus(gw, body.run_id, ['completed']);
      expect(done.session_id).to.equal('space-session');
      expect(done.output).to.equal('echo: hello');
    });

    it('replays the whole backlog with rising ids and closes after a finished run (cases 50, 58)', async () => {
      const { body } = await createRun(gw, {
        input:
          '[[think "hmm"]] [[tool name=terminal title="ls -la" output=ok]] [[plan "a" "b"]] [[text "All done" chunks=2]]',
      });
      await waitForStatus(gw, body.run_id, ['completed']);
      const res = await gw.request(`/v1/runs/${body.run_id}/events`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.contain('text/event-stream');
      const items = await collectSse(res);
      const events = eventsOf(items);
      expect(events.map((e) => Number(e.id))).to.deep.equal(events.map((_, i) => i + 1));
      expect(events.every((e) => e.event === undefined)).to.equal(true);
      expect(names(items)).to.deep.equal([
        'run.started',
        'reasoning.delta',
        'tool.started',
        'tool.completed',
        'plan.updated',
        'message.delta',
        'message.delta',
        'run.completed',
      ]);
      const all = payloads(items);
      expect(all.every((p) => p.run_id === body.run_id && typeof p.timestamp === 'number')).to.equal(true);
      expect(all[2]).to.include({ tool: 'terminal', preview: 'ls -la' });
      expect(all[3]).to.include({ tool: 'terminal', error: false, preview: 'ok' });
      expect(all[3].duration).to.be.a('number');
      expect(all[4].entries.map((e: any) => e.content)).to.deep.equal(['a', 'b']);
      expect(all.at(-1)).to.include({ output: 'All done', completed: true });
      expect(items.at(-1)).to.deep.equal({ comment: 'stream closed' });
    });

    it('gives two concurrent subscribers every event (case 58)', async () => {
      const { body } = await createRun(gw, { input: '[[sleep ms=200]] [[text "one two three four" delay=30]]' });
      const [a, b] = await Promise.all([
        gw.request(`/v1/runs/${body.run_id}/events`).then(collectSse),
        gw.request(`/v1/runs/${body.run_id}/events`).then(collectSse),
      ]);
      expect(names(a)).to.deep.equal(['run.started', ...Array(4).fill('message.delta'), 'run.completed']);
      expect(eventsOf(b)).to.deep.equal(eventsOf(a));
    });

    it('replays exactly the missed events after Last-Event-ID (case 57)', async () => {
      const { body } = await createRun(gw, { input: '[[text "alpha beta gamma" delay=150]]' });
      const first = await gw.request(`/v1/runs/${body.run_id}/events`);
      const seen = await readUntil(first, (p) => p.event === 'message.delta');
      await first.body!.cancel().catch(() => {});
      const lastId = eventsOf(seen).at(-1)!.id!;
      await waitForStatus(gw, body.run_id, ['completed']);

      const again = await gw.request(`/v1/runs/${body.run_id}/events`, { headers: { 'Last-Event-ID': lastId } });
      const rest = await collectSse(again);
      expect(eventsOf(rest).map((e) => Number(e.id))).to.deep.equal([
        Number(lastId) + 1,
        Number(lastId) + 2,
        Number(lastId) + 3,
      ]);
      expect(payloads(rest).map((p) => p.delta ?? p.event)).to.deep.equal(['beta ', 'gamma', 'run.completed']);

      const invalid = await gw.request(`/v1/runs/${body.run_id}/events`, { headers: { 'Last-Event-ID': '007' } });
      expect(eventsOf(await collectSse(invalid))[0].id).to.equal('1');
    });

    it('stops a streaming run: stopping at once, then cancelled, and the stream closes (cases 52, 53)', async () => {
      const { body } = await createRun(gw, { input: '[[text "a b c d e f g h i j k l" delay=200]]' });
      const stream = await gw.request(`/v1/runs/${body.run_id}/events`);
      const reading = collectSse(stream);
      await waitForStatus(gw, body.run_id, ['running']);
      const stop = await gw.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      expect(stop.status).to.equal(200);
      expect(await bodyOf(stop)).to.deep.equal({ run_id: body.run_id, status: 'stopping' });
      const items = await reading;
      expect(names(items).at(-1)).to.equal('run.cancelled');
      expect(items.at(-1)).to.deep.equal({ comment: 'stream closed' });
      const done = await waitForStatus(gw, body.run_id, ['cancelled']);
      expect(done).to.include({ last_event: 'run.cancelled', interrupted: true });

      const again = await gw.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      expect(again.status).to.equal(200);
      expect(await bodyOf(again)).to.include({ object: 'hermes.run', status: 'cancelled' });
    });

    it('answers 404 run_not_found for unknown runs and for another key’s run', async () => {
      const { body } = await createRun(gw, { input: 'mine' });
      const other = { authorization: `Bearer ${OTHER_KEY}` };
      for (const [method, path] of [
        ['GET', ''],
        ['GET', '/events'],
        ['POST', '/stop'],
      ]) {
        const res = await gw.request(`/v1/runs/${body.run_id}${path}`, { method, headers: other });
        expect(res.status, `${method} ${path}`).to.equal(404);
        expect((await bodyOf(res)).error.code).to.equal('run_not_found');
      }
      const approval = await gw.request(`/v1/runs/${body.run_id}/approval`, {
        method: 'POST',
        json: { choice: 'once' },
        headers: other,
      });
      expect(approval.status).to.equal(404);
      const unknown = await gw.request('/v1/runs/run_00000000000000000000000000000000');
      expect(await bodyOf(unknown)).to.deep.equal({
        error: {
          message: 'Run not found: run_00000000000000000000000000000000',
          type: 'invalid_request_error',
          param: null,
          code: 'run_not_found',
        },
      });
    });
  });

  describe('approvals', () => {
    before(async () => {
      gw = await startRuns();
    });
    after(() => gw.stop());

    it('waits for approval, resumes on "once" and completes (full status lifecycle)', async () => {
      const { body } = await createRun(gw, {
        input: '[[permission title="rm -rf build" command="rm -rf build"]] [[text " ok"]]',
      });
      const stream = await gw.request(`/v1/runs/${body.run_id}/events`);
      const reading = collectSse(stream);
      const waiting = await waitForStatus(gw, body.run_id, ['waiting_for_approval']);
      expect(waiting.approval).to.include({
        command: 'rm -rf build',
        request_id: 'perm-check-1',
        run_id: body.run_id,
      });
      expect(waiting.approval.choices).to.deep.equal(['once', 'session', 'always', 'deny']);

      const answer = await approve(gw, body.run_id, { choice: 'Approve' });
      expect(answer).to.deep.equal({
        status: 200,
        body: { object: 'hermes.run.approval_response', run_id: body.run_id, choice: 'once', resolved: 1 },
      });
      const items = await reading;
      const all = payloads(items);
      expect(all.map((p) => p.event)).to.include.members(['approval.request', 'approval.responded', 'run.completed']);
      expect(all.find((p) => p.event === 'approval.request')).to.include({
        command: 'rm -rf build',
        request_id: 'perm-check-1',
      });
      expect(all.find((p) => p.event === 'approval.responded')).to.include({
        choice: 'once',
        request_id: 'perm-check-1',
        resolved: 1,
      });
      const done = await waitForStatus(gw, body.run_id, ['completed']);
      expect(done.output).to.equal('permission: allow_once ok');
      expect(done).to.not.have.property('approval');

      const late = await approve(gw, body.run_id, { choice: 'once' });
      expect(late.status).to.equal(409);
      expect(late.body.error.code).to.equal('approval_not_active');
    });

    it('sends the deny option on "deny" and refuses unknown choices with 400', async () => {
      const { body } = await createRun(gw, { input: '[[permission command=ls options=simple]]' });
      await waitForStatus(gw, body.run_id, ['waiting_for_approval']);
      const bad = await approve(gw, body.run_id, { choice: 'maybe' });
      expect(bad.status).to.equal(400);
      expect(bad.body.error).to.include({
        code: 'invalid_approval_choice',
        message: 'Invalid approval choice; expected one of: always, deny, once, session',
      });
      expect((await approve(gw, body.run_id, { choice: 'deny' })).body.resolved).to.equal(1);
      const done = await waitForStatus(gw, body.run_id, ['completed']);
      expect(done.output).to.equal('permission: reject');
    });

    it('never lets one run resolve another’s approvals, even in a shared session (case 55)', async () => {
      const a = (await createRun(gw, { input: '[[permission command=first]]', session_id: 'shared' })).body.run_id;
      await waitForStatus(gw, a, ['waiting_for_approval']);
      const b = (await createRun(gw, { input: '[[permission command=second]]', session_id: 'shared' })).body.run_id;
      expect((await getRun(gw, b)).status).to.equal('queued'); // one turn at a time per session

      const early = await approve(gw, b, { choice: 'always', resolve_all: true });
      expect(early.status).to.equal(409);
      expect(early.body.error.code).to.equal('approval_not_pending');
      expect((await getRun(gw, a)).status).to.equal('waiting_for_approval');

      expect((await approve(gw, a, { choice: 'once', request_id: 'perm-check-1' })).body).to.include({
        resolved: 1,
        request_id: 'perm-check-1',
      });
      await waitForStatus(gw, a, ['completed']);
      await waitForStatus(gw, b, ['waiting_for_approval']);
      const answer = await approve(gw, b, { choice: 'always', resolve_all: true });
      expect(answer.body).to.deep.equal({
        object: 'hermes.run.approval_response',
        run_id: b,
        choice: 'always',
        resolved: 1,
      });
      expect((await waitForStatus(gw, b, ['completed'])).output).to.equal('permission: allow_always');
      expect((await getRun(gw, a)).output).to.equal('permission: allow_once');
    });

    it('stops a run waiting for approval: the agent hears cancelled and the run is cancelled', async () => {
      const { body } = await createRun(gw, { input: '[[permission command=deploy]] [[text "after"]]' });
      await waitForStatus(gw, body.run_id, ['waiting_for_approval']);
      const stop = await gw.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      expect(await bodyOf(stop)).to.deep.equal({ run_id: body.run_id, status: 'stopping' });
      const done = await waitForStatus(gw, body.run_id, ['cancelled']);
      expect(done.output).to.equal('permission: cancelled');
      const items = await collectSse(await gw.request(`/v1/runs/${body.run_id}/events`));
      expect(payloads(items).find((p) => p.event === 'approval.responded')).to.include({
        choice: 'cancelled',
        resolved: 0,
      });
      expect(names(items).at(-1)).to.equal('run.cancelled');
    });
  });

  describe('approval timeout, stop timeout, journal expiry, keepalive', () => {
    before(async () => {
      gw = await startRuns({
        approvals: { policy: 'deny', timeoutSeconds: 0.3 },
        runs: { statusTtlSeconds: 3600, journalTtlSeconds: 0.3, journalMaxEvents: 1000, stopTimeoutSeconds: 10 },
        chat: { showReasoning: true, toolProgressEvents: true, keepaliveSeconds: 0.2 },
      });
    });
    after(() => gw.stop());

    it('answers with the deny option when nobody approves in time', async () => {
      const { body } = await createRun(gw, { input: '[[permission command=ls]]' });
      const items = await collectSse(await gw.request(`/v1/runs/${body.run_id}/events`));
      expect(payloads(items).find((p) => p.event === 'approval.responded')).to.include({
        choice: 'deny',
        resolved: 1,
        timed_out: true,
      });
      expect((await getRun(gw, body.run_id)).output).to.equal('permission: deny');
    });

    it('sends a keepalive comment while the run is idle', async () => {
      const { body } = await createRun(gw, { input: '[[sleep ms=600]] [[text "late"]]' });
      const items = await collectSse(await gw.request(`/v1/runs/${body.run_id}/events`));
      expect(items.some((i) => isSseComment(i) && i.comment === 'keepalive')).to.equal(true);
    });

    it('drops an unread finished journal but keeps the status', async () => {
      const { body } = await createRun(gw, { input: 'short' });
      await waitForStatus(gw, body.run_id, ['completed']);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect((await gw.request(`/v1/runs/${body.run_id}/events`)).status).to.equal(404);
      expect((await getRun(gw, body.run_id)).status).to.equal('completed');
    });

    it('settles cancelled with a note when the agent ignores the stop', async () => {
      const { body } = await createRun(gw, { input: '[[text "x"]] [[hang ms=20000]]' });
      await waitForStatus(gw, body.run_id, ['running']);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await gw.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      const done = await waitForStatus(gw, body.run_id, ['cancelled']);
      expect(done.note).to.match(/restarted/);
    });
  });

  describe('idempotency and the concurrency cap', () => {
    before(async () => {
      gw = await startRuns({ maxConcurrentRuns: 1 });
    });
    after(() => gw.stop());

    it('replays the same key and body, refuses another body, and validates the key (case 59)', async () => {
      const key = { 'Idempotency-Key': 'order-42' };
      const first = await createRun(gw, { input: 'hello idem' }, key);
      expect(first.res.status).to.equal(202);
      await waitForStatus(gw, first.body.run_id, ['completed']);
      const again = await createRun(gw, { input: 'hello idem' }, key);
      expect(again.res.status).to.equal(202);
      expect(again.res.headers.get('idempotency-replayed')).to.equal('true');
      expect(again.body).to.deep.equal({ run_id: first.body.run_id, status: 'completed', replayed: true });

      const conflict = await createRun(gw, { input: 'something else' }, key);
      expect(conflict.res.status).to.equal(409);
      expect(conflict.body.error.code).to.equal('idempotency_key_conflict');

      const otherKey = await gw.request('/v1/runs', {
        method: 'POST',
        json: { input: 'hello idem' },
        headers: { ...key, authorization: `Bearer ${OTHER_KEY}` },
      });
      expect((await bodyOf(otherKey)).replayed).to.equal(false); // keys are scoped per API key
      await new Promise((resolve) => setTimeout(resolve, 300));

      for (const bad of ['has space', 'x'.repeat(256)]) {
        const res = await createRun(gw, { input: 'x' }, { 'Idempotency-Key': bad });
        expect(res.res.status).to.equal(400);
        expect(res.body.error.code).to.equal('invalid_idempotency_key');
      }
    });

    it('counts runs toward the cap, answers 429 with Retry-After, and still answers a replay', async () => {
      const key = { 'Idempotency-Key': 'slow-1' };
      const slow = await createRun(gw, { input: '[[sleep ms=3000]]' }, key);
      expect(slow.res.status).to.equal(202);
      const refused = await createRun(gw, { input: 'second' });
      expect(refused.res.status).to.equal(429);
      expect(refused.res.headers.get('retry-after')).to.equal('1');
      expect(refused.body.error.code).to.equal('rate_limit_exceeded');
      const replay = await createRun(gw, { input: '[[sleep ms=3000]]' }, key);
      expect(replay.res.status).to.equal(202);
      expect(replay.body).to.include({ run_id: slow.body.run_id, replayed: true });
      const health = await bodyOf(await gw.request('/health/detailed'));
      expect(health.readiness.checks.runs.active_runs).to.equal(1);
      await gw.request(`/v1/runs/${slow.body.run_id}/stop`, { method: 'POST' });
      await waitForStatus(gw, slow.body.run_id, ['cancelled']);
    });
  });

  describe('continuing a Responses chain (previous_response_id)', () => {
    before(async () => {
      gw = await startRuns();
    });
    after(() => gw.stop());

    async function respond(json: Record<string, unknown>, key?: string) {
      const res = await gw.request('/v1/responses', {
        method: 'POST',
        json,
        ...(key ? { headers: { authorization: `Bearer ${key}` } } : {}),
      });
      expect(res.status).to.equal(200);
      return bodyOf(res);
    }
    const echoOfRun = parseEcho;
    const promptOf = (echo: { blocks: Array<{ text?: string }> }) => echo.blocks.map((b) => b.text ?? '').join('\n');

    it('runs in the chain’s own session, with its history and inherited instructions', async () => {
      const first = await respond({ input: '[[echo]]', instructions: 'Answer in French.' });
      const session = echoOfRun(first.output[0].content[0].text).session;
      const { body } = await createRun(gw, { input: '[[echo]]', previous_response_id: first.id });
      const done = await waitForStatus(gw, body.run_id, ['completed']);
      // The same ACP session, one prompt later: the agent keeps the chain's context. The session is only
      // reused under the same system prompt, so the instructions came down the chain.
      expect(echoOfRun(done.output)).to.include({ session, promptIndex: 2 });
      expect(done.session_id).to.equal(first.id);
    });

    it('seeds a new session with the stored conversation when the chain has moved on', async () => {
      const first = await respond({ input: 'my name is Ada', instructions: 'Be brief.' });
      await respond({ input: 'and I like tea', previous_response_id: first.id });
      // Branching from the first turn: the chain's session now holds a later turn, so the run gets its own.
      const { body } = await createRun(gw, { input: '[[echo]]', previous_response_id: first.id });
      const done = await waitForStatus(gw, body.run_id, ['completed']);
      const echo = echoOfRun(done.output);
      expect(echo.promptIndex).to.equal(1);
      expect(done.session_id).to.equal(body.run_id);
      const prompt = promptOf(echo);
      expect(prompt).to.contain('Be brief.');
      expect(prompt).to.contain('my name is Ada');
      expect(prompt).to.contain('Assistant: echo:');
      expect(prompt).to.not.contain('tea');
    });

    it('lets explicit instructions, session_id and conversation_history win over the chain', async () => {
      const first = await respond({ input: 'remember lemons', instructions: 'Old rules.' });
      const { body } = await createRun(gw, {
        input: '[[echo]]',
        previous_response_id: first.id,
        instructions: 'New rules.',
        session_id: `explicit-${Date.now()}`,
        conversation_history: [{ role: 'user', content: 'remember limes' }],
      });
      const done = await waitForStatus(gw, body.run_id, ['completed']);
      expect(done.session_id).to.match(/^explicit-/);
      const prompt = promptOf(echoOfRun(done.output));
      expect(prompt).to.contain('New rules.');
      expect(prompt).to.contain('remember limes');
      expect(prompt).to.not.contain('lemons');
      expect(prompt).to.not.contain('Old rules.');
    });

    it('silently ignores an unknown previous_response_id and another key’s response (reference §6.1)', async () => {
      const unknown = await createRun(gw, { input: 'hello', previous_response_id: 'resp_does_not_exist' });
      expect(unknown.res.status).to.equal(202);
      expect((await waitForStatus(gw, unknown.body.run_id, ['completed'])).output).to.equal('echo: hello');

      const theirs = await respond({ input: 'secret plans' }, OTHER_KEY);
      const { body } = await createRun(gw, { input: '[[echo]]', previous_response_id: theirs.id });
      const done = await waitForStatus(gw, body.run_id, ['completed']);
      expect(echoOfRun(done.output).promptIndex).to.equal(1);
      expect(promptOf(echoOfRun(done.output))).to.not.contain('secret plans');
    });
  });

  describe('streaming chat approvals', () => {
    before(async () => {
      gw = await startRuns();
    });
    after(() => gw.stop());

    it('lets POST /v1/runs/{chatcmpl id}/approval answer a permission request of a chat stream', async () => {
      const res = await gw.request('/v1/chat/completions', {
        method: 'POST',
        json: { stream: true, messages: [{ role: 'user', content: '[[permission command=ls]] [[text " done"]]' }] },
      });
      const items: SseItem[] = [];
      let approval: any = null;
      for await (const item of readSse(res.body!)) {
        items.push(item);
        if (!approval && !isSseComment(item) && item.event === 'approval.request') {
          approval = JSON.parse(item.data);
          expect(approval.run_id).to.match(/^chatcmpl-/);
          expect(approval).to.include({ command: 'ls', request_id: 'perm-check-1' });
          const other = await gw.request(`/v1/runs/${approval.run_id}/approval`, {
            method: 'POST',
            json: { choice: 'once' },
            headers: { authorization: `Bearer ${OTHER_KEY}` },
          });
          expect(other.status).to.equal(404);
          expect((await approve(gw, approval.run_id, { choice: 'session' })).body).to.deep.equal({
            object: 'hermes.run.approval_response',
            run_id: approval.run_id,
            choice: 'session',
            resolved: 1,
          });
        }
      }
      expect(approval).to.not.equal(null);
      const text = eventsOf(items)
        .filter((e) => !e.event && e.data !== '[DONE]')
        .map((e) => JSON.parse(e.data).choices?.[0]?.delta?.content ?? '')
        .join('');
      expect(text).to.equal('permission: allow_session done');
    });
  });

  describe('across instances (Redis store)', () => {
    let a: TestGateway;
    let b: TestGateway;
    before(async function () {
      if (!process.env.REDIS_URL) {
        console.log('    (skipped: set REDIS_URL to run the cross-instance run specs)');
        return this.skip();
      }
      a = await startRuns({ store: process.env.REDIS_URL });
      b = await startRuns({ store: process.env.REDIS_URL });
    });
    after(async () => {
      await a?.stop();
      await b?.stop();
    });

    it('streams and reports a run executing on instance A from instance B', async () => {
      const { body } = await createRun(a, { input: '[[sleep ms=300]] [[text "from a" delay=50]]' });
      expect((await getRun(b, body.run_id)).status).to.be.oneOf(['queued', 'running']);
      const items = await collectSse(await b.request(`/v1/runs/${body.run_id}/events`));
      expect(names(items)).to.deep.equal(['run.started', 'message.delta', 'message.delta', 'run.completed']);
      expect(items.at(-1)).to.deep.equal({ comment: 'stream closed' });
      expect(await getRun(b, body.run_id)).to.include({ status: 'completed', output: 'from a' });
    });

    it('replays an Idempotency-Key on another instance', async () => {
      const key = { 'Idempotency-Key': `shared-${Date.now()}` };
      const first = await createRun(a, { input: 'shared key' }, key);
      const again = await createRun(b, { input: 'shared key' }, key);
      expect(again.body).to.include({ run_id: first.body.run_id, replayed: true });
      expect((await createRun(b, { input: 'other body' }, key)).res.status).to.equal(409);
    });

    it('stops a run executing on instance A through instance B, with the answer A would give', async () => {
      const { body } = await createRun(a, { input: '[[sleep ms=5000]]' });
      await waitForStatus(b, body.run_id, ['running']);
      const stop = await b.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      expect(stop.status).to.equal(200);
      expect(await bodyOf(stop)).to.deep.equal({ run_id: body.run_id, status: 'stopping' });
      const done = await waitForStatus(b, body.run_id, ['cancelled']);
      expect(done).to.include({ last_event: 'run.cancelled', interrupted: true });
      const again = await b.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      expect(await bodyOf(again)).to.include({ object: 'hermes.run', status: 'cancelled' });
      const other = await b.request(`/v1/runs/${body.run_id}/stop`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OTHER_KEY}` },
      });
      expect(other.status).to.equal(404);
    });

    it('approves a run waiting on instance A through instance B; the agent hears allow_once', async () => {
      const { body } = await createRun(a, {
        input: '[[permission title="rm -rf build" command="rm -rf build"]] [[text " ok"]]',
      });
      const waiting = await waitForStatus(b, body.run_id, ['waiting_for_approval']);
      expect(waiting.approval).to.include({ request_id: 'perm-check-1', command: 'rm -rf build' });
      expect(waiting).to.not.have.property('pendingApprovals'); // the routing list stays inside the gateway

      const wrong = await approve(b, body.run_id, { choice: 'once', request_id: 'perm-check-9' });
      expect(wrong.status).to.equal(409);
      expect(wrong.body.error.code).to.equal('approval_not_pending');
      const bad = await approve(b, body.run_id, { choice: 'maybe' });
      expect(bad.status).to.equal(400);
      const other = await b.request(`/v1/runs/${body.run_id}/approval`, {
        method: 'POST',
        json: { choice: 'once' },
        headers: { authorization: `Bearer ${OTHER_KEY}` },
      });
      expect(other.status).to.equal(404);

      const answer = await approve(b, body.run_id, { choice: 'approve', request_id: 'perm-check-1' });
      expect(answer).to.deep.equal({
        status: 200,
        body: {
          object: 'hermes.run.approval_response',
          run_id: body.run_id,
          choice: 'once',
          request_id: 'perm-check-1',
          resolved: 1,
        },
      });
      const done = await waitForStatus(b, body.run_id, ['completed']);
      expect(done.output).to.equal('permission: allow_once ok');
      const late = await approve(b, body.run_id, { choice: 'once' });
      expect(late.status).to.equal(409);
      expect(late.body.error.code).to.equal('approval_not_active');
    });

    it('denies through B with resolve_all: the agent on A hears its reject option', async () => {
      const { body } = await createRun(a, { input: '[[permission command=deploy options=simple]]' });
      await waitForStatus(b, body.run_id, ['waiting_for_approval']);
      const answer = await approve(b, body.run_id, { choice: 'deny', resolve_all: true });
      expect(answer.body).to.deep.equal({
        object: 'hermes.run.approval_response',
        run_id: body.run_id,
        choice: 'deny',
        resolved: 1,
      });
      expect((await waitForStatus(a, body.run_id, ['completed'])).output).to.equal('permission: reject');
    });

    it('answers a chat stream held by A through B, and a Responses stream the same way', async () => {
      for (const [path, input] of [
        [
          '/v1/chat/completions',
          { stream: true, messages: [{ role: 'user', content: '[[permission command=ls]] [[text " done"]]' }] },
        ],
        ['/v1/responses', { stream: true, input: '[[permission command=ls]] [[text " done"]]' }],
      ] as const) {
        const res = await a.request(path, { method: 'POST', json: input });
        const items: SseItem[] = [];
        let answered: { status: number; body: any } | null = null;
        let responseId: string | null = null;
        for await (const item of readSse(res.body!)) {
          items.push(item);
          if (answered || isSseComment(item) || item.data === '[DONE]') continue;
          const data = JSON.parse(item.data);
          if (data.type === 'response.created') responseId = data.response.id;
          // Chat: an approval.request event names the stream's id; Responses: an mcp_approval_request item of the
          // response, answered by the response id.
          const ownerId =
            item.event === 'approval.request'
              ? data.run_id
              : data.type === 'response.output_item.added' && data.item.type === 'mcp_approval_request'
                ? responseId
                : null;
          if (!ownerId) continue;
          // B knows the stream only through the store: another key, a request id not pending, then the answer.
          const other = await b.request(`/v1/runs/${ownerId}/approval`, {
            method: 'POST',
            json: { choice: 'once' },
            headers: { authorization: `Bearer ${OTHER_KEY}` },
          });
          expect(other.status, path).to.equal(404);
          const wrong = await approve(b, ownerId, { choice: 'once', request_id: 'perm-check-9' });
          expect(wrong.status, path).to.equal(409);
          answered = await approve(b, ownerId, { choice: 'once' });
        }
        expect(answered, path).to.deep.include({ status: 200 });
        expect(answered!.body).to.include({ object: 'hermes.run.approval_response', choice: 'once', resolved: 1 });
        const text = items
          .filter((i): i is SseEvent => !isSseComment(i) && i.data !== '[DONE]')
          .map((i) => JSON.parse(i.data))
          .map((d) => d.choices?.[0]?.delta?.content ?? (d.type === 'response.output_text.delta' ? d.delta : ''))
          .join('');
        expect(text, path).to.equal('permission: allow_once done');
      }
    });

    it('answers 409 approval_not_pending from B while the run on A waits for nothing', async () => {
      const { body } = await createRun(a, { input: '[[sleep ms=5000]]' });
      await waitForStatus(b, body.run_id, ['running']);
      const early = await approve(b, body.run_id, { choice: 'once' });
      expect(early.status).to.equal(409);
      expect(early.body.error.code).to.equal('approval_not_pending');
      await b.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      await waitForStatus(a, body.run_id, ['cancelled']);
    });

    it('stops a run waiting for approval on A through B: the agent hears cancelled', async () => {
      const { body } = await createRun(a, { input: '[[permission command=deploy]] [[text "after"]]' });
      await waitForStatus(b, body.run_id, ['waiting_for_approval']);
      const stop = await b.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      expect(await bodyOf(stop)).to.deep.equal({ run_id: body.run_id, status: 'stopping' });
      const done = await waitForStatus(b, body.run_id, ['cancelled']);
      expect(done.output).to.equal('permission: cancelled');
    });

    it('answers 503 run_owner_unreachable when the instance executing the run does not answer', async () => {
      const { body } = await createRun(a, { input: '[[sleep ms=5000]]' });
      const record = await waitForStatus(b, body.run_id, ['running']);
      // A run owned by an instance that still beats its heartbeat but listens for no commands.
      const runs = new Repository<RunRecord>(b.services.store, 'runs');
      const stored = (await runs.get(body.run_id))!;
      const ghost = `ghost-${Date.now()}`;
      const ghostRun = `run_${'0'.repeat(16)}${Date.now().toString(16).padStart(16, '0')}`;
      await runs.set(ghostRun, { ...stored, runId: ghostRun, instance: ghost, pendingApprovals: ['perm-x'] }, 60_000);
      await new Repository<number>(b.services.store, 'run_instances').set(ghost, Date.now(), 60_000);

      const stop = await b.request(`/v1/runs/${ghostRun}/stop`, { method: 'POST' });
      expect(stop.status).to.equal(503);
      expect(stop.headers.get('retry-after')).to.equal('1');
      expect(await bodyOf(stop)).to.deep.equal({
        error: {
          message: `The gateway instance executing run ${ghostRun} did not answer; retry shortly.`,
          type: 'server_error',
          param: null,
          code: 'run_owner_unreachable',
        },
      });
      const approval = await approve(b, ghostRun, { choice: 'once' });
      expect(approval.status).to.equal(503);
      expect(approval.body.error.code).to.equal('run_owner_unreachable');
      expect(record.status).to.equal('running');
      await a.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      await waitForStatus(a, body.run_id, ['cancelled']);
    });
    it('holds one concurrency cap across instances: A’s running run fills B’s last slot', async () => {
      const one = { store: process.env.REDIS_URL, maxConcurrentRuns: 1 };
      const [c, d] = [await startRuns(one), await startRuns(one)];
      try {
        const { body } = await createRun(c, { input: '[[sleep ms=5000]]' });
        await waitForStatus(d, body.run_id, ['running']);
        const full = await createRun(d, { input: 'hello' });
        expect(full.res.status).to.equal(429);
        expect(full.res.headers.get('retry-after')).to.equal('1');
        expect(full.body.error.code).to.equal('rate_limit_exceeded');
        await d.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
        await waitForStatus(d, body.run_id, ['cancelled']);
        const next = await createRun(d, { input: 'hello' });
        expect(next.res.status).to.equal(202);
        expect((await waitForStatus(c, next.body.run_id, ['completed'])).output).to.equal('echo: hello');
      } finally {
        await c.stop();
        await d.stop();
      }
    });
  });

  describe('restarts (SQLite store)', () => {
    let dataDir: string;
    let store: string;
    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'agw-runs-'));
      store = `sqlite://${join(dataDir, 'gateway.sqlite')}`;
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('replays an idempotent run after a gateway restart', async () => {
      const a = await startRuns({ store, dataDir });
      const key = { 'Idempotency-Key': 'durable-1' };
      const first = await createRun(a, { input: 'persist me' }, key);
      await waitForStatus(a, first.body.run_id, ['completed']);
      await a.stop();

      const b = await startRuns({ store, dataDir });
      try {
        const again = await createRun(b, { input: 'persist me' }, key);
        expect(again.res.headers.get('idempotency-replayed')).to.equal('true');
        expect(again.body).to.deep.equal({ run_id: first.body.run_id, status: 'completed', replayed: true });
        expect(await getRun(b, first.body.run_id)).to.include({ status: 'completed', output: 'echo: persist me' });
        expect((await createRun(b, { input: 'changed' }, key)).res.status).to.equal(409);
      } finally {
        await b.stop();
      }
    });

    it('reports a run its dead gateway never settled as interrupted, never running forever', async () => {
      const a = await startRuns({ store, dataDir });
      const b = await startRuns({ store, dataDir });
      try {
        const { body } = await createRun(a, { input: '[[sleep ms=20000]]' });
        await waitForStatus(a, body.run_id, ['running']);
        // b shares the store file but not a's process: to b, a is a gateway that went away mid-run.
        const status = await getRun(b, body.run_id);
        expect(status).to.include({ status: 'interrupted', error: RESTARTED_ERROR, last_event: 'run.interrupted' });
      } finally {
        await a.stop();
        await b.stop();
      }
    });

    it('settles running runs as interrupted on shutdown', async () => {
      const a = await startRuns({ store, dataDir });
      const { body } = await createRun(a, { input: '[[sleep ms=20000]]' });
      await waitForStatus(a, body.run_id, ['running']);
      await a.stop();
      const b = await startRuns({ store, dataDir });
      try {
        expect(await getRun(b, body.run_id)).to.include({
          status: 'interrupted',
          last_event: 'run.interrupted',
          error: 'Gateway shutdown interrupted the run.',
        });
      } finally {
        await b.stop();
      }
    });
  });
});
