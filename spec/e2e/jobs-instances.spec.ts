// Several gateways on one Redis, one clock (the scheduler's, moved by the spec): every instance schedules every job,
// and each occurrence runs exactly once, counted on the agent side. A claimer that dies between its claim and the
// run start loses its lease; another instance takes the occurrence over.
import { createClient, type RedisClientType } from '@keyv/redis';
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
  TestClock,
  uniquePrefix,
} from '../support/jobs.js';

const QUIET_MS = 400;

/** Removes what a spec's gateways left under their jobs prefix. */
async function dropKeys(prefix: string): Promise<void> {
  const client = createClient({ url: process.env.REDIS_URL }) as RedisClientType;
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `{${prefix}}:*` })) if (keys.length) await client.del(keys);
  await client.quit();
}

describe('jobs on several gateways sharing one Redis', function () {
  this.timeout(60_000);
  before(function () {
    if (!process.env.REDIS_URL) {
      console.log('    (skipped: set REDIS_URL to run the multi-instance jobs specs)');
      this.skip();
    }
  });

  /** `count` gateways on one Redis prefix and one clock, each with its own prompt log. */
  async function cluster(count: number, extra: Parameters<typeof startJobsGateway>[0] = {}) {
    const clock = new TestClock();
    const prefix = uniquePrefix();
    const logs = Array.from({ length: count }, () => new PromptLog());
    const gateways: TestGateway[] = [];
    for (const log of logs) {
      gateways.push(
        await startJobsGateway({ clock, log, store: process.env.REDIS_URL, redisPrefix: prefix, ...extra }),
      );
    }
    const prompts = (marker: string) => logs.reduce((sum, log) => sum + log.count(marker), 0);
    const stop = async () => {
      await Promise.all(gateways.map((gw) => gw.stop()));
      await dropKeys(prefix);
    };
    return { clock, logs, gateways, prompts, stop };
  }

  for (const size of [2, 3]) {
    it(`runs each occurrence of jobs due at the same instants exactly once on ${size} gateways`, async () => {
      const { clock, gateways, prompts, logs, stop } = await cluster(size);
      try {
        const schedules = ['1m', 'every 1m', '* * * * *', '*/1 * * * * 0', 'every 2m', '* * * * * 30'];
        const jobs: Array<{ id: string; marker: string }> = [];
        for (const [i, schedule] of schedules.entries()) {
          const marker = `job-${size}-${i}`;
          const gw = gateways[i % size];
          const { id } = (await createJob(gw, { name: marker, schedule, prompt: marker })).body.job;
          jobs.push({ id, marker });
        }
        // 08:00:30 (the :30 cron), then 08:01, 08:01:30, 08:02, 08:02:30, 08:03: several due at the same instant.
        const expected = (i: number, minutes: number) => {
          if (i === 4) return Math.floor(minutes / 2); // every 2m
          if (i === 5) return Math.round(minutes); // at :30 of every minute (0.5, 1.5, 2.5)
          return Math.floor(minutes);
        };
        for (let step = 1; step <= 6; step++) {
          clock.advance(MINUTE / 2);
          const minutes = step / 2;
          await eventually(
            () => jobs.every((job, i) => prompts(job.marker) >= expected(i, minutes)),
            `every occurrence up to +${minutes} min fired`,
          );
          await sleep(QUIET_MS);
          expect(
            jobs.map((job) => prompts(job.marker)),
            `prompts after +${minutes} min`,
          ).to.deep.equal(jobs.map((_, i) => expected(i, minutes)));
        }
        for (const [i, job] of jobs.entries()) {
          await eventually(() => settled(gateways[0], job.id), `job ${job.marker} settled`);
          const fired = (await executionsOf(gateways[(i + 1) % size], job.id)).map((e) => e.fired_at);
          expect(new Set(fired).size, job.marker).to.equal(fired.length);
          expect(fired.length, job.marker).to.equal(expected(i, 3));
          expect((await jobOf(gateways[0], job.id)).repeat.completed).to.equal(expected(i, 3));
        }
        // The work was shared: more than one instance ran something.
        expect(logs.filter((log) => log.prompts.length > 0).length).to.be.greaterThan(1);
      } finally {
        await stop();
      }
    });
  }

  it('pauses, resumes and runs a job now through any instance', async () => {
    const { clock, gateways, prompts, stop } = await cluster(3);
    const [a, b, c] = gateways;
    try {
      const { id } = (await createJob(a, { name: 'p', schedule: 'every 5m', prompt: 'pause-me' })).body.job;
      await jobCall(b, `/api/jobs/${id}/pause`, { method: 'POST' });
      clock.advance(10 * MINUTE);
      await sleep(QUIET_MS);
      expect(prompts('pause-me')).to.equal(0);

      await jobCall(c, `/api/jobs/${id}/resume`, { method: 'POST' });
      clock.advance(5 * MINUTE);
      await eventually(() => prompts('pause-me') === 1, 'the resumed job fired');
      await sleep(QUIET_MS);
      expect(prompts('pause-me')).to.equal(1);

      await jobCall(a, `/api/jobs/${id}/run`, { method: 'POST', json: { prompt: 'now' } });
      await eventually(() => prompts('pause-me') === 2, 'the manual run fired');
      await sleep(QUIET_MS);
      expect(prompts('pause-me\n\nnow')).to.equal(1);
      expect(prompts('pause-me')).to.equal(2);
    } finally {
      await stop();
    }
  });

  it('takes an occurrence over when its claimer dies between claim and run start: it still runs exactly once', async () => {
    const clock = new TestClock();
    const prefix = uniquePrefix();
    const zombieLog = new PromptLog();
    let claimed: (() => void) | null = null;
    const claimedByZombie = new Promise<void>((resolve) => {
      claimed = resolve;
    });
    let thaw: () => void = () => undefined;
    const frozen = new Promise<void>((resolve) => {
      thaw = resolve;
    });
    const claimedAt: number[] = [];
    // The zombie claims, then never gets further: no lease renewal, no confirmation, no run (as if killed).
    const zombie = await startJobsGateway({
      clock,
      log: zombieLog,
      store: process.env.REDIS_URL,
      redisPrefix: prefix,
      afterClaim: () => {
        claimedAt.push(Date.now());
        claimed?.();
        return frozen;
      },
    });
    const survivors: TestGateway[] = [];
    const logs = [new PromptLog(), new PromptLog()];
    try {
      const { id } = (await createJob(zombie, { name: 'z', schedule: 'in 1m', prompt: 'take-me-over' })).body.job;
      clock.advance(MINUTE);
      await claimedByZombie;
      for (const log of logs) {
        survivors.push(await startJobsGateway({ clock, log, store: process.env.REDIS_URL, redisPrefix: prefix }));
      }
      const up = Date.now();
      // The lease (1 s here) runs out unconfirmed, and a survivor's next tick (20 ms) takes the occurrence: bounded
      // by what is left of the lease once the survivors are up, plus a tick and the run's start.
      await eventually(() => logs.some((log) => log.count('take-me-over') > 0), 'a survivor ran the occurrence');
      const leaseLeft = Math.max(0, claimedAt[0] + 1000 - up);
      expect(Date.now() - up, 'takeover delay (ms)').to.be.lessThan(leaseLeft + 2000);
      await eventually(() => settled(survivors[0], id), 'the run ended');
      await sleep(QUIET_MS);
      expect(logs.reduce((sum, log) => sum + log.count('take-me-over'), 0)).to.equal(1);
      expect(zombieLog.prompts).to.deep.equal([]);
      const executions = await executionsOf(survivors[1], id);
      expect(executions.map((e) => [e.fired_at, e.status])).to.deep.equal([['2026-03-02T08:01:00+00:00', 'completed']]);
      expect(await jobOf(survivors[0], id)).to.include({ state: 'completed', last_status: 'ok' });
    } finally {
      thaw(); // lets the zombie's stuck firing find its lease gone and stop
      await Promise.all([zombie, ...survivors].map((gw) => gw.stop()));
      await dropKeys(prefix);
    }
  });

  it('keeps an occurrence waiting for a slot of the shared cap and runs it once when one frees', async () => {
    const { clock, gateways, prompts, stop } = await cluster(2, { maxConcurrentRuns: 1 });
    const [a, b] = gateways;
    try {
      // The shared cap is full: whoever claims the occurrence waits for a slot, holding its lease.
      const blocker = await a.request('/v1/runs', { method: 'POST', json: { input: 'blocker [[sleep ms=20000]]' } });
      const { run_id } = (await blocker.json()) as { run_id: string };
      await eventually(() => prompts('blocker') === 1, 'the blocking run started');
      const { id } = (await createJob(b, { name: 'w', schedule: 'in 1m', prompt: 'waits-for-a-slot' })).body.job;
      clock.advance(MINUTE);
      await sleep(QUIET_MS * 2);
      expect(prompts('waits-for-a-slot')).to.equal(0);
      await a.request(`/v1/runs/${run_id}/stop`, { method: 'POST' });
      await eventually(() => prompts('waits-for-a-slot') === 1, 'the waiting occurrence ran');
      await eventually(() => settled(a, id), 'its run ended');
      await sleep(QUIET_MS);
      expect(prompts('waits-for-a-slot')).to.equal(1);
    } finally {
      await stop();
    }
  });
});
