// POST /api/jobs/schedule/parse: the schedule as POST /api/jobs would store it, and its first run, without a job.
import { expect } from 'chai';
import { defaultConfig } from '../../../lib/config/defaults.js';
import { bodyOf, startTestGateway, type TestGateway } from '../../support/gateway.js';

describe('POST /api/jobs/schedule/parse', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({ jobs: { ...defaultConfig().jobs, timezone: 'Europe/Paris' } });
  });
  after(() => gw.stop());

  const parse = async (schedule: unknown) => {
    const res = await gw.request('/api/jobs/schedule/parse', { method: 'POST', json: { schedule } });
    return { status: res.status, body: await bodyOf(res) };
  };

  it('answers what a job created now would store, and its first run, creating no job', async () => {
    const before = Date.now();
    const interval = await parse('every 2 hours');
    expect(interval.status).to.equal(200);
    expect(interval.body.schedule).to.deep.equal({ kind: 'interval', minutes: 120, display: 'every 120m' });
    expect(interval.body.schedule_display).to.equal('every 120m');
    const first = Date.parse(interval.body.next_run_at);
    expect(first - before).to.be.within(120 * 60_000 - 1000, 120 * 60_000 + 5000);
    expect(interval.body.next_run_at).to.match(/\+0[12]:00$/); // in the jobs time zone

    const natural = await parse('weekdays at 9am');
    expect(natural.body.schedule).to.deep.equal({ kind: 'cron', expr: '0 9 * * 1-5', display: 'weekdays at 9am' });
    expect(natural.body.next_run_at).to.match(/T09:00:00\+0[12]:00$/);

    const created = await gw.request('/api/jobs', {
      method: 'POST',
      json: { name: 'same', schedule: 'weekdays at 9am', prompt: 'p' },
    });
    const { job } = await bodyOf(created);
    expect(job.schedule).to.deep.equal(natural.body.schedule);
    expect(job.next_run_at).to.equal(natural.body.next_run_at);
    expect((await bodyOf(await gw.request('/api/jobs'))).jobs).to.have.length(1);
  });

  it('refuses what POST /api/jobs refuses, with the same message', async () => {
    for (const schedule of ['every blue moon', '2001-01-01T00:00:00']) {
      const preview = await parse(schedule);
      const create = await gw.request('/api/jobs', { method: 'POST', json: { name: 'x', schedule, prompt: 'p' } });
      expect(preview.status, schedule).to.equal(400);
      expect(preview.body.error.code).to.equal('invalid_schedule');
      expect(preview.body).to.deep.equal(await bodyOf(create));
    }
    const missing = await gw.request('/api/jobs/schedule/parse', { method: 'POST', json: {} });
    expect(missing.status).to.equal(400);
    expect((await bodyOf(missing)).error.param).to.equal('schedule');
  });

  it('needs a key', async () => {
    const res = await gw.request('/api/jobs/schedule/parse', { method: 'POST', json: { schedule: '1h' }, auth: false });
    expect(res.status).to.equal(401);
    await res.arrayBuffer();
  });
});
