// GET /v1/runs: the caller's recent runs, newest first, each as GET /v1/runs/{run_id} reports it; another key's runs
// never show; the limit is checked by the contract. With REDIS_URL, one instance lists the runs another started.
import { expect } from 'chai';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../../support/gateway.js';
import { approve, createRun, getRun, OTHER_KEY, startRuns, waitForStatus } from '../../support/runs.js';

async function listRuns(gw: TestGateway, query = '', headers: Record<string, string> = {}) {
  const res = await gw.request(`/v1/runs${query}`, { headers });
  return { status: res.status, body: await bodyOf(res) };
}

describe('GET /v1/runs', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startRuns();
  });
  after(() => gw.stop());

  it('lists the caller’s runs newest first, each with the status GET /v1/runs/{run_id} answers', async () => {
    const ids: string[] = [];
    for (const text of ['one', 'two', 'three']) {
      const { res, body } = await createRun(gw, { input: `[[text "${text}"]]` });
      expect(res.status).to.equal(202);
      ids.push(body.run_id);
      await waitForStatus(gw, body.run_id, ['completed']);
    }
    const { status, body } = await listRuns(gw);
    expect(status).to.equal(200);
    expect(body.object).to.equal('list');
    const mine = body.data.filter((run: { run_id: string }) => ids.includes(run.run_id));
    expect(mine.map((run: { run_id: string }) => run.run_id)).to.deep.equal([...ids].reverse());
    for (const run of mine) expect(run).to.deep.equal(await getRun(gw, run.run_id));
    expect(mine.map((run: { output: string }) => run.output)).to.deep.equal(['three', 'two', 'one']);
  });

  it('shows a run waiting for approval with its pending request, live', async () => {
    const { body } = await createRun(gw, { input: '[[permission command="ls" title="List"]]' });
    await waitForStatus(gw, body.run_id, ['waiting_for_approval']);
    const listed = (await listRuns(gw)).body.data[0];
    expect(listed.run_id).to.equal(body.run_id);
    expect(listed.status).to.equal('waiting_for_approval');
    expect(listed.approval).to.include({ command: 'ls', run_id: body.run_id });
    expect((await approve(gw, body.run_id, { choice: 'deny' })).status).to.equal(200);
    await waitForStatus(gw, body.run_id, ['completed']);
    expect((await listRuns(gw)).body.data[0].status).to.equal('completed');
  });

  it('never shows another key’s runs', async () => {
    const { body } = await createRun(gw, { input: '[[text "mine"]]' });
    await waitForStatus(gw, body.run_id, ['completed']);
    const other = await listRuns(gw, '', { authorization: `Bearer ${OTHER_KEY}` });
    expect(other.status).to.equal(200);
    expect(other.body.data.map((run: { run_id: string }) => run.run_id)).not.to.include(body.run_id);
    const { body: created } = await createRun(
      gw,
      { input: '[[text "theirs"]]' },
      { authorization: `Bearer ${OTHER_KEY}` },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const theirs = await listRuns(gw, '', { authorization: `Bearer ${OTHER_KEY}` });
    expect(theirs.body.data.map((run: { run_id: string }) => run.run_id)).to.deep.equal([created.run_id]);
  });

  it('answers at most `limit` runs, and 400 for a limit outside 1..200', async () => {
    const { body } = await listRuns(gw, '?limit=2');
    expect(body.data).to.have.length(2);
    for (const limit of ['0', '201', 'many']) {
      const res = await listRuns(gw, `?limit=${limit}`);
      expect(res.status, limit).to.equal(400);
      expect(res.body.error.param, limit).to.equal('limit');
    }
  });

  describe('with a Redis store shared by two instances', () => {
    let a: TestGateway;
    let b: TestGateway;
    before(async function () {
      if (!process.env.REDIS_URL) {
        console.log('      (skipped: set REDIS_URL to run the shared run index specs)');
        this.skip();
      }
      a = await startTestGateway({ store: process.env.REDIS_URL, agents: [scriptedAgentConfig()] });
      b = await startTestGateway({ store: process.env.REDIS_URL, agents: [scriptedAgentConfig()] });
    });
    after(async () => {
      await a?.stop();
      await b?.stop();
    });

    it('lists on one instance the runs another started, with their live status', async () => {
      const { body } = await createRun(a, { input: '[[text "slow" delay=100]] [[sleep ms=20000]]' });
      await waitForStatus(a, body.run_id, ['running']);
      const listed = (await listRuns(b)).body.data.find((run: { run_id: string }) => run.run_id === body.run_id);
      expect(listed.status).to.equal('running');
      expect((await b.request(`/v1/runs/${body.run_id}/stop`, { method: 'POST' })).status).to.equal(200);
      await waitForStatus(a, body.run_id, ['cancelled']);
      const settled = (await listRuns(b)).body.data.find((run: { run_id: string }) => run.run_id === body.run_id);
      expect(settled.status).to.equal('cancelled');
    });
  });
});
