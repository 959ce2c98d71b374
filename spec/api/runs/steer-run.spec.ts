// POST /v1/runs/{run_id}/steer (reference §6.8) against the scripted agent: live delivery through an advertised
// `steer` command, the queued next turn otherwise, pending_steer, the error codes, and a steer relayed to the
// instance that executes the run (Redis).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { bodyOf, scriptedAgentConfig, type TestGateway } from '../../support/gateway.js';
import { collectSse } from '../../support/sse.js';
import { createRun, getRun, names, OTHER_KEY, payloads, startRuns, waitForStatus } from '../../support/runs.js';

const HERMES_COMMANDS = { SCRIPTED_AGENT_COMMANDS: 'hermes' };

/** A gateway whose scripted agent advertises hermes' commands (`steer` among them) when `live`. */
function startSteerRuns(live: boolean, store?: string): Promise<TestGateway> {
  const env = live ? HERMES_COMMANDS : {};
  return startRuns({
    agents: [scriptedAgentConfig({ cancelTimeoutSeconds: 1, env })],
    ...(store ? { store } : {}),
  });
}

async function steer(gw: TestGateway, runId: string, json?: unknown, key?: string) {
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  const res = await gw.request(`/v1/runs/${runId}/steer`, { method: 'POST', json, headers });
  return { status: res.status, body: await bodyOf(res) };
}

/** Polls the run until its output so far satisfies `check` (the agent's turn is then under way). */
async function waitForOutput(gw: TestGateway, runId: string, check: (output: string) => boolean) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const run = await getRun(gw, runId);
    if (check(run.output ?? '')) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} output stayed ${JSON.stringify(run.output)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const runEvents = async (gw: TestGateway, runId: string) =>
  payloads(await collectSse(await gw.request(`/v1/runs/${runId}/events`)));

describe('POST /v1/runs/{run_id}/steer', function () {
  this.timeout(30_000);

  describe('with an agent that advertises a steer command', () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startSteerRuns(true);
    });
    after(() => gw.stop());

    it('delivers the text into the running turn and answers 200 hermes.run.steer', async () => {
      const { body } = await createRun(gw, { input: '[[text "working "]] [[wait-steer ms=5000]] [[text "done"]]' });
      await waitForOutput(gw, body.run_id, (output) => output === 'working ');
      const reply = await steer(gw, body.run_id, { input: 'use the metric system' });
      expect(reply).to.deep.equal({
        status: 200,
        body: { object: 'hermes.run.steer', run_id: body.run_id, accepted: true },
      });
      const done = await waitForStatus(gw, body.run_id, ['completed']);
      expect(done.output).to.equal('working (steered: use the metric system) done');
      expect(done).to.not.have.property('pending_steer');
      const events = await runEvents(gw, body.run_id);
      const steered = events.find((event) => event.event === 'run.steered');
      expect(steered).to.deep.include({ run_id: body.run_id, accepted: true, delivered: true });
      expect(events.at(-1)).to.not.have.property('pending_steer');
      // The agent's own answer to `/steer` never shows in the run.
      expect(JSON.stringify(events)).to.not.include('Steer queued');
    });

    it('takes the text from message or text, flattening content parts', async () => {
      const { body } = await createRun(gw, {
        input: '[[text "a "]] [[wait-steer ms=5000]] [[wait-steer ms=5000]] [[wait-steer ms=5000]]',
      });
      await waitForOutput(gw, body.run_id, (output) => output === 'a ');
      expect((await steer(gw, body.run_id, { message: 'one' })).status).to.equal(200);
      expect((await steer(gw, body.run_id, { text: [{ type: 'text', text: 'two' }] })).status).to.equal(200);
      const parts = {
        input: [
          { type: 'input_text', text: 'three' },
          { type: 'input_text', text: 'four' },
        ],
      };
      expect((await steer(gw, body.run_id, parts)).status).to.equal(200);
      const done = await waitForStatus(gw, body.run_id, ['completed']);
      expect(done.output).to.equal('a (steered: one) (steered: two) (steered: three\nfour) ');
    });

    it('answers 400 invalid_steer_input for a running run without text', async () => {
      const { body } = await createRun(gw, { input: '[[text "x "]] [[sleep ms=3000]]' });
      await waitForOutput(gw, body.run_id, (output) => output === 'x ');
      for (const json of [undefined, {}, { input: '' }, { input: '   ' }, { message: [] }]) {
        const reply = await steer(gw, body.run_id, json);
        expect(reply, JSON.stringify(json)).to.deep.equal({
          status: 400,
          body: {
            error: {
              message: "Missing non-empty steer text; expected 'input', 'message', or 'text'.",
              type: 'invalid_request_error',
              param: null,
              code: 'invalid_steer_input',
            },
          },
        });
      }
      await gw.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      await waitForStatus(gw, body.run_id, ['cancelled']);
    });

    it('answers 409 run_not_accepting_steer for a finished run, before looking at the text', async () => {
      const { body } = await createRun(gw, { input: 'quick' });
      await waitForStatus(gw, body.run_id, ['completed']);
      const reply = await steer(gw, body.run_id, {});
      expect(reply).to.deep.equal({
        status: 409,
        body: {
          error: {
            message: `Run is not currently accepting steer input: ${body.run_id}`,
            type: 'invalid_request_error',
            param: null,
            code: 'run_not_accepting_steer',
          },
        },
      });
    });

    it('answers 409 while the run waits for an approval, and while it is stopping', async () => {
      const { body } = await createRun(gw, {
        input: '[[permission title="rm" command="rm -rf build"]] [[sleep ms=3000]]',
      });
      await waitForStatus(gw, body.run_id, ['waiting_for_approval']);
      expect((await steer(gw, body.run_id, { input: 'hurry' })).body.error.code).to.equal('run_not_accepting_steer');
      await gw.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      expect((await steer(gw, body.run_id, { input: 'hurry' })).body.error.code).to.equal('run_not_accepting_steer');
      await waitForStatus(gw, body.run_id, ['cancelled']);
    });

    it("answers 404 run_not_found for an unknown run and for another key's run", async () => {
      const unknown = await steer(gw, 'run_00000000000000000000000000000000', { input: 'x' });
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error).to.include({ code: 'run_not_found' });
      const { body } = await createRun(gw, { input: '[[text "mine "]] [[sleep ms=3000]]' });
      await waitForOutput(gw, body.run_id, (output) => output === 'mine ');
      const other = await steer(gw, body.run_id, { input: 'x' }, OTHER_KEY);
      expect(other.status).to.equal(404);
      expect(other.body.error).to.deep.equal({
        message: `Run not found: ${body.run_id}`,
        type: 'invalid_request_error',
        param: null,
        code: 'run_not_found',
      });
      await gw.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      await waitForStatus(gw, body.run_id, ['cancelled']);
    });

    it('answers 401 without a key', async () => {
      const res = await gw.request('/v1/runs/run_00000000000000000000000000000000/steer', {
        method: 'POST',
        json: { input: 'x' },
        auth: false,
      });
      expect(res.status).to.equal(401);
    });
  });

  for (const backend of ['memory', 'sqlite'] as const) {
    describe(`with an agent that cannot be steered (${backend} store)`, () => {
      let gw: TestGateway;
      let dataDir: string;
      before(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'agw-steer-'));
        gw = await startSteerRuns(false, backend === 'sqlite' ? `sqlite://${join(dataDir, 'gw.sqlite')}` : undefined);
      });
      after(async () => {
        await gw.stop();
        rmSync(dataDir, { recursive: true, force: true });
      });

      it('queues the text as pending_steer and runs it as the next turn of the run session', async () => {
        const { body } = await createRun(gw, {
          input: '[[text "first "]] [[sleep ms=400]] [[text "answer"]]',
          session_id: `steer-${backend}`,
        });
        await waitForOutput(gw, body.run_id, (output) => output === 'first ');
        expect((await steer(gw, body.run_id, { input: 'and then?' })).body).to.deep.equal({
          object: 'hermes.run.steer',
          run_id: body.run_id,
          accepted: true,
        });
        expect((await getRun(gw, body.run_id)).pending_steer).to.equal('and then?');
        const done = await waitForStatus(gw, body.run_id, ['completed']);
        expect(done.output).to.equal('first answer\n\necho: and then?');
        expect(done).to.not.have.property('pending_steer');
        const events = await runEvents(gw, body.run_id);
        expect(names(await collectSse(await gw.request(`/v1/runs/${body.run_id}/events`)))).to.include('run.steered');
        expect(events.find((event) => event.event === 'run.steered')).to.deep.include({
          accepted: true,
          delivered: false,
        });
        expect(events.at(-1)).to.deep.include({ event: 'run.completed', output: 'first answer\n\necho: and then?' });
        expect(events.at(-1)).to.not.have.property('pending_steer');
      });

      it('runs several queued texts as one next turn, in order', async () => {
        const { body } = await createRun(gw, { input: '[[text "go "]] [[sleep ms=400]]' });
        await waitForOutput(gw, body.run_id, (output) => output === 'go ');
        await steer(gw, body.run_id, { input: 'one' });
        await steer(gw, body.run_id, { input: 'two' });
        expect((await getRun(gw, body.run_id)).pending_steer).to.equal('one\n\ntwo');
        const done = await waitForStatus(gw, body.run_id, ['completed']);
        expect(done.output).to.equal('go \n\necho: one\n\ntwo');
      });

      it('keeps undelivered text as pending_steer when the run is stopped', async () => {
        const { body } = await createRun(gw, { input: '[[text "busy "]] [[sleep ms=5000]]' });
        await waitForOutput(gw, body.run_id, (output) => output === 'busy ');
        await steer(gw, body.run_id, { input: 'never mind' });
        await gw.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
        const done = await waitForStatus(gw, body.run_id, ['cancelled']);
        expect(done.pending_steer).to.equal('never mind');
        const events = await runEvents(gw, body.run_id);
        expect(events.at(-1)).to.deep.include({ event: 'run.cancelled', pending_steer: 'never mind' });
      });

      it('keeps undelivered text as pending_steer when the turn fails', async () => {
        const { body } = await createRun(gw, { input: '[[text "oops "]] [[sleep ms=300]] [[error message="boom"]]' });
        await waitForOutput(gw, body.run_id, (output) => output === 'oops ');
        await steer(gw, body.run_id, { input: 'try again' });
        const done = await waitForStatus(gw, body.run_id, ['failed']);
        expect(done).to.include({ pending_steer: 'try again', error: 'boom' });
      });
    });
  }

  describe('across instances (Redis store)', () => {
    let a: TestGateway;
    let b: TestGateway;
    before(async function () {
      if (!process.env.REDIS_URL) {
        console.log('    (skipped: set REDIS_URL to run the cross-instance steer specs)');
        return this.skip();
      }
      a = await startSteerRuns(true, process.env.REDIS_URL);
      b = await startSteerRuns(true, process.env.REDIS_URL);
    });
    after(async () => {
      await a?.stop();
      await b?.stop();
    });

    it('steers a run executing on instance A through instance B, live into its turn', async () => {
      const { body } = await createRun(a, { input: '[[text "on a "]] [[wait-steer ms=5000]] [[text "end"]]' });
      // Only the executing instance sees the output grow (the stored status has it once the run settles).
      await waitForOutput(a, body.run_id, (output) => output === 'on a ');
      expect(await steer(b, body.run_id, { input: 'from b' })).to.deep.equal({
        status: 200,
        body: { object: 'hermes.run.steer', run_id: body.run_id, accepted: true },
      });
      const done = await waitForStatus(b, body.run_id, ['completed']);
      expect(done.output).to.equal('on a (steered: from b) end');
    });

    it("answers B's steer with A's errors: 409 for a finished run, 400 without text, 404 for another key", async () => {
      const { body } = await createRun(a, { input: '[[text "a "]] [[sleep ms=3000]]' });
      await waitForOutput(a, body.run_id, (output) => output === 'a ');
      expect((await steer(b, body.run_id, {})).body.error.code).to.equal('invalid_steer_input');
      expect((await steer(b, body.run_id, { input: 'x' }, OTHER_KEY)).status).to.equal(404);
      await b.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' });
      await waitForStatus(b, body.run_id, ['cancelled']);
      const finished = await steer(b, body.run_id, { input: 'late' });
      expect(finished.status).to.equal(409);
      expect(finished.body.error.code).to.equal('run_not_accepting_steer');
    });
  });
});
