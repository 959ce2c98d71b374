// The jobs scheduler on one gateway, on a clock the spec moves (no spec waits for a real minute): what fires, checked
// on the agent's side (the prompts it received); repeat counts, one-shots, failure streaks; the concurrency cap;
// restarts with a missed occurrence inside and outside the grace window; draining.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { TestGateway } from '../support/gateway.js';
import {
  createJob,
  eventually,
  executionsOf,
  jobCall,
  jobOf,
  MINUTE,
  PromptLog,
  settled,
  sleep,
  startJobsGateway,
  T0,
  TestClock,
} from '../support/jobs.js';

/** Long enough for dozens of 20 ms ticks: anything that was going to fire has fired. */
const QUIET_MS = 300;

describe('the jobs scheduler', function () {
  this.timeout(30_000);

  describe('on one gateway', () => {
    let gw: TestGateway;
    const clock = new TestClock();
    const log = new PromptLog();
    before(async () => {
      gw = await startJobsGateway({ clock, log });
    });
    after(() => gw?.stop());

    it('fires an interval job once per occurrence', async () => {
      const { id } = (await createJob(gw, { name: 'tick', schedule: 'every 5m', prompt: 'tick-a' })).body.job;
      await sleep(QUIET_MS);
      expect(log.count('tick-a')).to.equal(0);
      clock.advance(5 * MINUTE);
      await eventually(() => log.count('tick-a') === 1, 'the first occurrence fired');
      await sleep(QUIET_MS);
      expect(log.count('tick-a')).to.equal(1);
      clock.advance(5 * MINUTE);
      await eventually(() => log.count('tick-a') === 2, 'the second occurrence fired');
      await eventually(() => settled(gw, id), 'the runs ended');
      const job = await jobOf(gw, id);
      expect(job).to.include({ last_status: 'ok', failure_streak: 0, next_run_at: '2026-03-02T08:15:00+00:00' });
      expect(job.repeat).to.deep.equal({ times: null, completed: 2 });
      await jobCall(gw, `/api/jobs/${id}`, { method: 'DELETE' });
    });

    it('stops firing while paused, fires again once resumed, and fires at once on run-now', async () => {
      const { id } = (await createJob(gw, { name: 'p', schedule: 'every 10m', prompt: 'tick-b' })).body.job;
      await jobCall(gw, `/api/jobs/${id}/pause`, { method: 'POST' });
      clock.advance(30 * MINUTE);
      await sleep(QUIET_MS);
      expect(log.count('tick-b')).to.equal(0);

      await jobCall(gw, `/api/jobs/${id}/resume`, { method: 'POST' });
      await sleep(QUIET_MS);
      expect(log.count('tick-b')).to.equal(0); // resumed from now: the next occurrence is 10 minutes away
      clock.advance(10 * MINUTE);
      await eventually(() => log.count('tick-b') === 1, 'the resumed job fired');

      await jobCall(gw, `/api/jobs/${id}/run`, { method: 'POST', json: { prompt: 'and now' } });
      await eventually(() => log.count('tick-b') === 2, 'the manual run fired');
      expect(log.prompts.filter((text) => text === 'tick-b\n\nand now')).to.have.length(1);
      await eventually(() => settled(gw, id), 'the runs ended');
      const [manual, scheduled] = await executionsOf(gw, id);
      expect([manual.trigger, scheduled.trigger]).to.deep.equal(['manual', 'schedule']);
      await jobCall(gw, `/api/jobs/${id}`, { method: 'DELETE' });
    });

    it('completes a job after its repeat count, and a one-shot after its run', async () => {
      const twice = (await createJob(gw, { name: 't', schedule: '1m', prompt: 'tick-c', repeat: 2 })).body.job;
      const once = (await createJob(gw, { name: 'o', schedule: 'in 1m', prompt: 'tick-d' })).body.job;
      for (let i = 0; i < 3; i++) {
        clock.advance(MINUTE);
        await sleep(QUIET_MS);
      }
      await eventually(() => settled(gw, twice.id), 'the runs ended');
      expect(log.count('tick-c')).to.equal(2);
      expect(log.count('tick-d')).to.equal(1);
      for (const id of [twice.id, once.id]) {
        await eventually(async () => (await jobOf(gw, id)).state === 'completed', `job ${id} completed`);
        const job = await jobOf(gw, id);
        expect(job).to.include({ enabled: false, next_run_at: null, last_status: 'ok' });
        expect(job.repeat.completed).to.equal(job.repeat.times);
      }
      // Completed jobs are disabled: listed only with include_disabled.
      const listed = (await jobCall(gw, '/api/jobs')).body.jobs.map((job: any) => job.id);
      expect(listed).to.not.include(twice.id);
    });

    it('counts a failure streak and reports the last error; a success resets it', async () => {
      const failing = '[[error code=-32603 message="boom"]] tick-e';
      const { id } = (await createJob(gw, { name: 'f', schedule: '1m', prompt: failing })).body.job;
      for (let i = 1; i <= 2; i++) {
        clock.advance(MINUTE);
        await eventually(async () => (await jobOf(gw, id)).failure_streak === i, `failure ${i} recorded`);
      }
      const failed = await jobOf(gw, id);
      expect(failed.last_status).to.equal('error');
      expect(failed.last_error).to.include('boom');
      const [execution] = await executionsOf(gw, id);
      expect(execution.status).to.equal('failed');
      expect(execution.error).to.include('boom');

      await jobCall(gw, `/api/jobs/${id}`, { method: 'PATCH', json: { prompt: 'tick-e fine' } });
      clock.advance(MINUTE);
      await eventually(async () => (await jobOf(gw, id)).last_status === 'ok', 'the success recorded');
      expect(await jobOf(gw, id)).to.include({ failure_streak: 0, last_error: null });
      await jobCall(gw, `/api/jobs/${id}`, { method: 'DELETE' });
    });

    it('counts fired occurrences in gateway_jobs_fired_total', async () => {
      const metrics = await (await gw.request('/metrics')).text();
      expect(metrics).to.match(/gateway_jobs_fired_total\{outcome="started"\} [1-9]/);
    });
  });

  it('makes a firing that finds the concurrency cap full wait for a slot, never dropping it', async () => {
    const clock = new TestClock();
    const log = new PromptLog();
    const gw = await startJobsGateway({ clock, log, maxConcurrentRuns: 1 });
    try {
      const blocker = await gw.request('/v1/runs', { method: 'POST', json: { input: 'blocker [[sleep ms=20000]]' } });
      const { run_id } = (await blocker.json()) as { run_id: string };
      await eventually(() => log.count('blocker') === 1, 'the blocking run started');
      const { id } = (await createJob(gw, { name: 'w', schedule: 'in 1m', prompt: 'tick-f' })).body.job;
      clock.advance(MINUTE);
      await sleep(1000);
      expect(log.count('tick-f')).to.equal(0);
      expect(await executionsOf(gw, id)).to.deep.equal([]);
      expect((await jobOf(gw, id)).next_run_at).to.equal('2026-03-02T08:01:00+00:00'); // still due, still claimed

      await gw.request(`/v1/runs/${run_id}/stop`, { method: 'POST' });
      await eventually(() => log.count('tick-f') === 1, 'the waiting firing ran once the slot was free');
      await eventually(async () => (await jobOf(gw, id)).state === 'completed', 'the one-shot completed');
      expect((await executionsOf(gw, id)).map((e) => e.fired_at)).to.deep.equal(['2026-03-02T08:01:00+00:00']);
    } finally {
      await gw.stop();
    }
  });

  it('records a firing whose run cannot start (no agent serves the job) as a failed execution', async () => {
    const clock = new TestClock();
    const gw = await startJobsGateway({ clock, agents: [] });
    try {
      const { id } = (await createJob(gw, { name: 'orphan', schedule: 'in 1m', prompt: 'p' })).body.job;
      clock.advance(MINUTE);
      await eventually(async () => (await jobOf(gw, id)).last_status === 'error', 'the failure recorded');
      const [execution] = await executionsOf(gw, id);
      expect(execution).to.include({ status: 'failed', trigger: 'schedule' });
      expect(execution.error).to.match(/agent/i); // the routing decision's own message
      expect(await (await gw.request('/metrics')).text()).to.include('gateway_jobs_fired_total{outcome="failed"} 1');
    } finally {
      await gw.stop();
    }
  });

  it('answers 503 to run-now while draining, and records the run the shutdown cut short as interrupted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agw-jobs-drain-'));
    const clock = new TestClock();
    const log = new PromptLog();
    const config = { clock, log, dataDir, store: 'sqlite://' };
    const gw = await startJobsGateway(config);
    try {
      const { id } = (await createJob(gw, { name: 'slow', schedule: 'in 1m', prompt: 'tick-g [[hang ms=2500]]' })).body
        .job;
      clock.advance(MINUTE);
      await eventually(() => log.count('tick-g') === 1, 'the slow run started');
      const closing = gw.close(2000);
      const reply = await jobCall(gw, `/api/jobs/${id}/run`, { method: 'POST' });
      expect(reply).to.deep.equal({
        status: 503,
        body: {
          error: {
            message: 'Gateway is draining existing work; retry shortly.',
            type: 'server_error',
            param: null,
            code: 'gateway_draining',
          },
        },
      });
      await closing;
      const again = await startJobsGateway(config);
      try {
        const [execution] = await executionsOf(again, id);
        expect(execution.status).to.equal('interrupted');
        expect(await jobOf(again, id)).to.include({ last_status: 'error', failure_streak: 1 });
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('after a restart (SQLite)', () => {
    let dataDir: string;
    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'agw-jobs-restart-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    /** Creates the job on one gateway, stops it, moves the clock while nothing runs, starts another on the same data. */
    async function missWhileDown(schedule: string, downFor: number) {
      const clock = new TestClock();
      const log = new PromptLog();
      const config = { clock, log, dataDir, store: 'sqlite://' };
      const first = await startJobsGateway(config);
      const { id } = (await createJob(first, { name: 'nightly', schedule, prompt: 'tick-h' })).body.job;
      await first.stop();
      clock.advance(downFor);
      const second = await startJobsGateway(config);
      await sleep(QUIET_MS * 2);
      return { id, log, gw: second };
    }

    it('runs an occurrence missed inside the grace window once', async () => {
      // Due 09:00; every instance was down until 09:07.
      const { id, log, gw } = await missWhileDown('every 1h', 67 * MINUTE);
      try {
        await eventually(() => settled(gw, id), 'the run ended');
        expect(log.count('tick-h')).to.equal(1);
        const [execution] = await executionsOf(gw, id);
        expect(execution.fired_at).to.equal('2026-03-02T09:00:00+00:00');
        expect((await jobOf(gw, id)).next_run_at).to.equal('2026-03-02T10:00:00+00:00');
      } finally {
        await gw.stop();
      }
    });

    it('runs only the latest of several missed occurrences', async () => {
      // Due 08:05, 08:10, …; down until 08:28: the 08:25 one is 3 min late and fires, the others never.
      const { id, log, gw } = await missWhileDown('every 5m', 28 * MINUTE);
      try {
        await eventually(() => settled(gw, id), 'the run ended');
        expect(log.count('tick-h')).to.equal(1);
        expect((await executionsOf(gw, id)).map((e) => e.fired_at)).to.deep.equal(['2026-03-02T08:25:00+00:00']);
        expect((await jobOf(gw, id)).next_run_at).to.equal('2026-03-02T08:30:00+00:00');
      } finally {
        await gw.stop();
      }
    });

    it('skips to the next occurrence when the missed one is older than the grace window', async () => {
      // Due 09:00 and 10:00; down until 10:20: the latest miss is 20 min late (grace 10 min).
      const { id, log, gw } = await missWhileDown('every 1h', 140 * MINUTE);
      try {
        expect(log.count('tick-h')).to.equal(0);
        expect(await executionsOf(gw, id)).to.deep.equal([]);
        expect((await jobOf(gw, id)).next_run_at).to.equal('2026-03-02T11:00:00+00:00');
        expect(await (await gw.request('/metrics')).text()).to.include('gateway_jobs_fired_total{outcome="skipped"} 1');
      } finally {
        await gw.stop();
      }
    });

    it('ends a one-shot missed beyond the grace window in error, without running it', async () => {
      const { id, log, gw } = await missWhileDown('in 30m', 45 * MINUTE);
      try {
        expect(log.count('tick-h')).to.equal(0);
        const job = await jobOf(gw, id);
        expect(job).to.include({ state: 'error', enabled: false, next_run_at: null, last_status: 'error' });
        expect(job.last_error).to.include('grace window');
      } finally {
        await gw.stop();
      }
    });
  });

  it('honours a configured grace window and time zone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agw-jobs-tz-'));
    const clock = new TestClock(Date.parse('2026-03-02T07:30:00Z')); // 08:30 in Paris
    const log = new PromptLog();
    const config = {
      clock,
      log,
      dataDir,
      store: 'sqlite://',
      jobs: { tickSeconds: 0.02, timezone: 'Europe/Paris', graceWindowSeconds: 3600 },
    };
    try {
      const first = await startJobsGateway(config);
      const { body } = await createJob(first, { name: 'nine', schedule: 'every day at 9am', prompt: 'tick-i' });
      expect(body.job.next_run_at).to.equal('2026-03-02T09:00:00+01:00');
      expect(body.job.created_at).to.equal('2026-03-02T08:30:00+01:00');
      await first.stop();
      clock.advance(80 * MINUTE); // 09:50 Paris: 50 min late, inside a one-hour grace window
      const second = await startJobsGateway(config);
      try {
        await eventually(() => log.count('tick-i') === 1, 'the missed 9:00 ran');
        expect((await jobOf(second, body.job.id)).next_run_at).to.equal('2026-03-03T09:00:00+01:00');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps jobs apart per profile', async () => {
    const gw = await startJobsGateway({
      profiles: [{ name: 'team', keys: [{ name: 'team', key: 'sk-team-0123456789abcdef' }] }],
    });
    try {
      const team = { authorization: 'Bearer sk-team-0123456789abcdef' };
      const res = await gw.request('/p/team/api/jobs', {
        method: 'POST',
        headers: team,
        json: { name: 'team job', schedule: '1h', prompt: 'p' },
      });
      expect(res.status).to.equal(200);
      const { id } = ((await res.json()) as { job: { id: string } }).job;
      expect((await jobCall(gw, `/p/team/api/jobs/${id}`, { headers: team })).status).to.equal(200);
      expect((await jobCall(gw, `/api/jobs/${id}`)).status).to.equal(404);
    } finally {
      await gw.stop();
    }
  });

  it('starts each gateway with T0 on the clock', () => {
    expect(new TestClock().now()).to.equal(T0);
  });
});
