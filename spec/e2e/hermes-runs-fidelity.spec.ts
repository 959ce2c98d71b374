// Hermes fidelity of the Runs API (issue 13): runs cut short end `interrupted` (reference §6.4/§6.5), a streaming
// chat completion or Response waiting for approval is visible at GET /v1/runs/{id}, and the approval endpoint's
// 400s (reference §6.6).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { RESTARTED_ERROR, SHUTDOWN_ERROR } from '../../lib/engine/runs/run-record.js';
import { bodyOf, type TestGateway } from '../support/gateway.js';
import { collectSse, isSseComment, readSse } from '../support/sse.js';
import { approve, createRun, getRunReply, OTHER_KEY, payloads, startRuns, waitForStatus } from '../support/runs.js';

/**
 * Opens a stream (chat or Responses) whose agent asks permission; on the first approval it hands the stream's id
 * to `onApproval`, then reads the stream to its end.
 */
async function streamAwaitingApproval(
  gw: TestGateway,
  surface: 'chat' | 'responses',
  onApproval: (ownerId: string) => Promise<void>,
): Promise<void> {
  const prompt = '[[permission command=ls]] [[text " done"]]';
  const res =
    surface === 'chat'
      ? await gw.request('/v1/chat/completions', {
          method: 'POST',
          json: { stream: true, messages: [{ role: 'user', content: prompt }] },
        })
      : await gw.request('/v1/responses', { method: 'POST', json: { stream: true, input: prompt } });
  let responseId: string | null = null;
  let seen = false;
  for await (const item of readSse(res.body!)) {
    if (seen || isSseComment(item) || item.data === '[DONE]') continue;
    const data = JSON.parse(item.data);
    if (data.type === 'response.created') responseId = data.response.id;
    const ownerId =
      item.event === 'approval.request'
        ? data.run_id
        : data.type === 'response.output_item.added' && data.item.type === 'mcp_approval_request'
          ? responseId
          : null;
    if (!ownerId) continue;
    seen = true;
    await onApproval(ownerId);
  }
  expect(seen, `${surface}: an approval request`).to.equal(true);
}

describe('Runs API: Hermes fidelity (issue 13)', function () {
  this.timeout(30_000);

  describe('runs cut short by a shutdown or a restart (SQLite store)', () => {
    let dataDir: string;
    let store: string;
    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'agw-hermes-runs-'));
      store = `sqlite://${join(dataDir, 'gateway.sqlite')}`;
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('ends a running run interrupted on shutdown: the event stream closes after run.interrupted', async () => {
      const a = await startRuns({ store, dataDir });
      const { body } = await createRun(a, { input: '[[text "partial"]] [[sleep ms=20000]]' });
      await waitForStatus(a, body.run_id, ['running']);
      const events = await a.request(`/v1/runs/${body.run_id}/events`);
      const reading = collectSse(events);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await a.stop();
      const items = await reading;
      const last = payloads(items).at(-1)!;
      expect(last).to.include({ event: 'run.interrupted', run_id: body.run_id, error: SHUTDOWN_ERROR });
      expect(last.timestamp).to.be.a('number');
      expect(items.at(-1)).to.deep.equal({ comment: 'stream closed' });

      const b = await startRuns({ store, dataDir });
      try {
        const { body: status } = await getRunReply(b, body.run_id);
        expect(status).to.include({
          object: 'hermes.run',
          status: 'interrupted',
          last_event: 'run.interrupted',
          error: SHUTDOWN_ERROR,
          completed: false,
          interrupted: true,
        });
        // Terminal: stop answers the status, approval has nothing active.
        const stop = await b.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
        expect(await bodyOf(stop)).to.include({ status: 'interrupted' });
        const late = await approve(b, body.run_id, { choice: 'once' });
        expect(late.status).to.equal(409);
        expect(late.body.error.code).to.equal('approval_not_active');
      } finally {
        await b.stop();
      }
    });

    it('reports a run its dead gateway never settled as interrupted, and replays its Idempotency-Key so', async () => {
      const a = await startRuns({ store, dataDir });
      const b = await startRuns({ store, dataDir });
      try {
        const key = { 'Idempotency-Key': 'interrupted-1' };
        const { body } = await createRun(a, { input: '[[sleep ms=20000]]' }, key);
        await waitForStatus(a, body.run_id, ['running']);
        // b shares the store file but not a's process: to b, a is a gateway that went away mid-run.
        const { body: status } = await getRunReply(b, body.run_id);
        expect(status).to.include({
          status: 'interrupted',
          error: RESTARTED_ERROR,
          last_event: 'run.interrupted',
          interrupted: true,
        });
        const again = await createRun(b, { input: '[[sleep ms=20000]]' }, key);
        expect(again.body).to.deep.equal({ run_id: body.run_id, status: 'interrupted', replayed: true });
      } finally {
        await a.stop();
        await b.stop();
      }
    });
  });

  describe('GET /v1/runs/{stream id} while a stream waits for approval', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startRuns();
    });
    after(() => gw.stop());

    for (const surface of ['chat', 'responses'] as const) {
      it(`reports a waiting ${surface} stream as waiting_for_approval to its key only, then 404 once answered`, async () => {
        let ownerId = '';
        await streamAwaitingApproval(gw, surface, async (id) => {
          ownerId = id;
          const { status, body } = await getRunReply(gw, id);
          expect(status).to.equal(200);
          expect(body).to.include({
            object: 'hermes.run',
            run_id: id,
            status: 'waiting_for_approval',
            last_event: 'approval.request',
          });
          expect(body.created_at).to.be.a('number');
          expect(body.updated_at).to.be.at.least(body.created_at);
          expect(body.approval).to.include({ command: 'ls', request_id: 'perm-check-1', run_id: id });
          expect(body.approval.description).to.be.a('string');
          expect(body.approval.choices).to.deep.equal(['once', 'session', 'always', 'deny']);
          const other = await getRunReply(gw, id, { authorization: `Bearer ${OTHER_KEY}` });
          expect(other.status).to.equal(404);
          expect(other.body.error.code).to.equal('run_not_found');
          expect((await approve(gw, id, { choice: 'once' })).status).to.equal(200);
        });
        const after = await getRunReply(gw, ownerId);
        expect(after.status).to.equal(404);
        expect(after.body.error).to.include({ code: 'run_not_found', message: `Run not found: ${ownerId}` });
      });
    }
  });

  describe('POST /v1/runs/{id}/approval refusals', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startRuns();
    });
    after(() => gw.stop());

    it('answers 400 invalid_approval_choice for a body without a choice', async () => {
      const { body } = await createRun(gw, { input: '[[permission command=ls]]' });
      await waitForStatus(gw, body.run_id, ['waiting_for_approval']);
      const res = await approve(gw, body.run_id, {});
      expect(res).to.deep.equal({
        status: 400,
        body: {
          error: {
            message: 'Invalid approval choice; expected one of: always, deny, once, session',
            type: 'invalid_request_error',
            param: 'choice',
            code: 'invalid_approval_choice',
          },
        },
      });
      await approve(gw, body.run_id, { choice: 'deny' });
      await waitForStatus(gw, body.run_id, ['completed']);
    });

    it('answers 400 invalid_approval_request for an empty, blank or over-long request_id', async () => {
      const { body } = await createRun(gw, { input: '[[permission command=ls]]' });
      await waitForStatus(gw, body.run_id, ['waiting_for_approval']);
      for (const requestId of ['', '   ', 'x'.repeat(257)]) {
        const res = await approve(gw, body.run_id, { choice: 'once', request_id: requestId });
        expect(res).to.deep.equal({
          status: 400,
          body: {
            error: {
              message: 'Approval request_id is invalid.',
              type: 'invalid_request_error',
              param: 'request_id',
              code: 'invalid_approval_request',
            },
          },
        });
      }
      expect((await getRunReply(gw, body.run_id)).body.status).to.equal('waiting_for_approval');
      await approve(gw, body.run_id, { choice: 'deny' });
      await waitForStatus(gw, body.run_id, ['completed']);
    });

    it('refuses a choice the agent did not offer with 400 listing the offered ones, and leaves it pending', async () => {
      const { body } = await createRun(gw, { input: '[[permission command=ls options=simple]]' });
      const waiting = await waitForStatus(gw, body.run_id, ['waiting_for_approval']);
      expect(waiting.approval.choices).to.deep.equal(['once', 'deny']);
      for (const choice of ['session', 'always']) {
        const res = await approve(gw, body.run_id, { choice });
        expect(res).to.deep.equal({
          status: 400,
          body: {
            error: {
              message: 'Invalid approval choice; expected one of: deny, once',
              type: 'invalid_request_error',
              param: 'choice',
              code: 'invalid_approval_choice',
            },
          },
        });
      }
      expect((await getRunReply(gw, body.run_id)).body.status).to.equal('waiting_for_approval');
      expect((await approve(gw, body.run_id, { choice: 'once' })).body.resolved).to.equal(1);
      expect((await waitForStatus(gw, body.run_id, ['completed'])).output).to.equal('permission: allow');
    });
  });

  describe('across instances (Redis store)', () => {
    let a: TestGateway;
    let b: TestGateway;
    before(async function () {
      if (!process.env.REDIS_URL) {
        console.log('    (skipped: set REDIS_URL to run the cross-instance specs)');
        return this.skip();
      }
      a = await startRuns({ store: process.env.REDIS_URL });
      b = await startRuns({ store: process.env.REDIS_URL });
    });
    after(async () => {
      await a?.stop();
      await b?.stop();
    });

    for (const surface of ['chat', 'responses'] as const) {
      it(`reports a ${surface} stream waiting on A from B, to the stream's key only`, async () => {
        let ownerId = '';
        await streamAwaitingApproval(a, surface, async (id) => {
          ownerId = id;
          const deadline = Date.now() + 5000;
          let seen = await getRunReply(b, id);
          while (seen.status !== 200 && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 25));
            seen = await getRunReply(b, id);
          }
          expect(seen.status).to.equal(200);
          expect(seen.body).to.include({ run_id: id, status: 'waiting_for_approval' });
          expect(seen.body.approval).to.include({ command: 'ls', request_id: 'perm-check-1', run_id: id });
          expect(seen.body.approval.choices).to.deep.equal(['once', 'session', 'always', 'deny']);
          expect((await getRunReply(b, id, { authorization: `Bearer ${OTHER_KEY}` })).status).to.equal(404);
          const offered = await approve(b, id, { choice: 'once' });
          expect(offered.status).to.equal(200);
        });
        const deadline = Date.now() + 5000;
        while ((await getRunReply(b, ownerId)).status !== 404) {
          if (Date.now() > deadline) throw new Error('B still reports the answered stream');
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      });
    }

    it('refuses on B a choice the agent on A did not offer, with the offered choices', async () => {
      const { body } = await createRun(a, { input: '[[permission command=ls options=simple]]' });
      await waitForStatus(b, body.run_id, ['waiting_for_approval']);
      const res = await approve(b, body.run_id, { choice: 'session' });
      expect(res.status).to.equal(400);
      expect(res.body.error).to.include({
        code: 'invalid_approval_choice',
        message: 'Invalid approval choice; expected one of: deny, once',
      });
      expect((await approve(b, body.run_id, { choice: 'deny' })).body.resolved).to.equal(1);
      await waitForStatus(a, body.run_id, ['completed']);
    });
  });
});
