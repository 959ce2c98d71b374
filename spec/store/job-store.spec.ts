// The job store contract, run against the Keyv implementation (memory) and, with REDIS_URL, the Redis one: records
// with compare-and-set updates, the due index, and the claim lease that lets exactly one instance start an occurrence.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { expect } from 'chai';
import { newJobRecord } from '../../lib/engine/jobs/job-records.js';
import { silentLogger } from '../../lib/log.js';
import { createJobStore, type JobStore, type StoredJob } from '../../lib/store/job-store.js';
import { RedisJobStore } from '../../lib/store/job-store-redis.js';
import { createStore, type Store } from '../../lib/store/keyv.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const clock = { now: NOW, timeZone: 'UTC' };

function record(id: string, schedule = { kind: 'interval' as const, minutes: 5, display: 'every 5m' }): StoredJob {
  return newJobRecord(
    id,
    'scope-a',
    {
      name: `job ${id}`,
      prompt: 'hello',
      schedule,
      skills: [],
      model: null,
      repeat: null,
      deliver: 'local',
      paused: false,
      pausedReason: null,
      origin: null,
    },
    clock,
  );
}

const newId = () => randomBytes(6).toString('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function contract(name: string, open: () => Promise<{ stores: JobStore[]; close(): Promise<void> } | null>) {
  describe(name, () => {
    let stores: JobStore[];
    let close: () => Promise<void>;
    before(async function () {
      const opened = await open();
      if (!opened) {
        console.log(`    (skipped: set REDIS_URL to run the ${name} specs)`);
        return this.skip();
      }
      ({ stores, close } = opened);
    });
    after(async () => close?.());

    it('creates a job once per id, and reads it back', async () => {
      const [store] = stores;
      const id = newId();
      expect(await store.create(record(id))).to.equal(true);
      expect(await store.create(record(id))).to.equal(false);
      const stored = await store.get(id);
      expect(stored?.job.name).to.equal(`job ${id}`);
      expect(stored?.rev).to.equal(1);
      expect((await store.list()).map((r) => r.job.id)).to.include(id);
      expect(await store.get(newId())).to.equal(undefined);
    });

    it('lists as due only enabled jobs whose next run has come', async () => {
      const [store] = stores;
      const soon = newId();
      const later = newId();
      const paused = newId();
      await store.create(record(soon));
      await store.create({ ...record(later), job: { ...record(later).job, next_run_at: '2026-03-02T10:00:00+00:00' } });
      await store.create({ ...record(paused), job: { ...record(paused).job, enabled: false } });
      const due = (await store.due(NOW + 5 * 60_000)).map((r) => r.job.id);
      expect(due).to.include(soon);
      expect(due).to.not.include(later);
      expect(due).to.not.include(paused);
      expect((await store.due(NOW)).map((r) => r.job.id)).to.not.include(soon);
    });

    it('applies concurrent updates one after the other (compare-and-set), none lost', async () => {
      const id = newId();
      await stores[0].create(record(id));
      const bump = (store: JobStore) =>
        store.update(id, (current) => ({
          ...current,
          job: { ...current.job, failure_streak: current.job.failure_streak + 1 },
        }));
      await Promise.all(Array.from({ length: 12 }, (_, i) => bump(stores[i % stores.length])));
      const stored = await stores[0].get(id);
      expect(stored?.job.failure_streak).to.equal(12);
      expect(stored?.rev).to.equal(13);
      expect(await stores[0].update(newId(), (current) => current)).to.equal(undefined);
    });

    it('keeps the record when a change declines, and moves a job out of the due index', async () => {
      const [store] = stores;
      const id = newId();
      await store.create(record(id));
      expect((await store.update(id, () => null))?.rev).to.equal(1);
      await store.update(id, (current) => ({ ...current, job: { ...current.job, enabled: false } }));
      expect((await store.due(NOW + 3_600_000)).map((r) => r.job.id)).to.not.include(id);
      expect(await store.delete(id)).to.equal(true);
      expect(await store.delete(id)).to.equal(false);
      expect(await store.get(id)).to.equal(undefined);
    });

    it('gives an occurrence to one claimer until its lease expires or it is released', async () => {
      const [store] = stores;
      const id = newId();
      const at = `${NOW}#1`;
      expect(await store.claim(id, at, 'a', 300)).to.equal('claimed');
      expect(await store.claim(id, at, 'b', 300)).to.equal('held');
      expect(await store.claim(id, at, 'a', 300)).to.equal('claimed');
      expect(await store.renew(id, at, 'a', 300)).to.equal(true);
      expect(await store.renew(id, at, 'b', 300)).to.equal(false);
      await store.release(id, at, 'b'); // not b's: nothing happens
      expect(await store.claim(id, at, 'b', 300)).to.equal('held');
      await store.release(id, at, 'a');
      expect(await store.claim(id, at, 'b', 100)).to.equal('claimed');
      await sleep(180); // b's lease expires unconfirmed: the occurrence is free again
      expect(await store.renew(id, at, 'b', 100)).to.equal(false);
      expect(await store.claim(id, at, 'c', 300)).to.equal('claimed');
    });

    it('confirms an occurrence only for the lease holder, atomically with the change', async () => {
      const [store] = stores;
      const id = newId();
      const at = `${NOW}#2`;
      await store.create(record(id));
      expect(await store.claim(id, at, 'a', 300)).to.equal('claimed');
      const fired = (current: StoredJob) => ({ ...current, job: { ...current.job, last_error: 'fired' } });
      expect((await store.confirm(id, at, 'b', 60_000, fired)).outcome).to.equal('lost');
      const confirmed = await store.confirm(id, at, 'a', 60_000, fired);
      expect(confirmed.outcome).to.equal('confirmed');
      expect((await store.get(id))?.job.last_error).to.equal('fired');
      // Started: nobody claims or confirms it again, the holder included.
      expect(await store.claim(id, at, 'b', 300)).to.equal('started');
      expect(await store.claim(id, at, 'a', 300)).to.equal('started');
      expect((await store.confirm(id, at, 'a', 60_000, fired)).outcome).to.equal('lost');
    });

    it('answers lost to a claimer whose lease expired, and releases a declined or deleted occurrence', async () => {
      const [store] = stores;
      const id = newId();
      await store.create(record(id));
      await store.claim(id, '3#0', 'a', 80);
      await sleep(150);
      expect((await store.confirm(id, '3#0', 'a', 60_000, (c) => c)).outcome).to.equal('lost');

      await store.claim(id, '4#0', 'a', 5000);
      expect((await store.confirm(id, '4#0', 'a', 60_000, () => null)).outcome).to.equal('declined');
      expect(await store.claim(id, '4#0', 'b', 5000)).to.equal('claimed');

      await store.claim(id, '5#0', 'a', 5000);
      await store.delete(id);
      expect((await store.confirm(id, '5#0', 'a', 60_000, (c) => c)).outcome).to.equal('gone');
    });
  });
}

contract('KeyvJobStore (memory)', async () => {
  const store = await createStore('memory://', { dataDir: tmpdir(), logger: silentLogger });
  return { stores: [createJobStore(store)], close: () => store.close() };
});

contract('KeyvJobStore (SQLite)', async () => {
  const path = `${tmpdir()}/agw-jobs-${newId()}.sqlite`;
  const store = await createStore(`sqlite://${path}`, { dataDir: tmpdir(), logger: silentLogger });
  return {
    stores: [createJobStore(store)],
    close: async () => {
      await store.close();
      rmSync(path, { force: true });
    },
  };
});

let redisStores: Store[] = [];
contract('RedisJobStore (three instances on one Redis)', async () => {
  if (!process.env.REDIS_URL) return null;
  const prefix = `agw-test:jobs:${newId()}`;
  redisStores = await Promise.all(
    [1, 2, 3].map(() => createStore(process.env.REDIS_URL!, { dataDir: tmpdir(), logger: silentLogger })),
  );
  return {
    stores: redisStores.map((store) => createJobStore(store, { redisPrefix: prefix })),
    close: async () => {
      const client = redisStores[0].redis!;
      for await (const keys of client.scanIterator({ MATCH: `{${prefix}}:*` })) if (keys.length) await client.del(keys);
      await Promise.all(redisStores.map((store) => store.close()));
    },
  };
});

describe('RedisJobStore races', () => {
  let stores: Store[] = [];
  const prefix = `agw-test:jobs:${newId()}`;
  before(async function () {
    if (!process.env.REDIS_URL) return this.skip();
    stores = await Promise.all(
      [1, 2, 3].map(() => createStore(process.env.REDIS_URL!, { dataDir: tmpdir(), logger: silentLogger })),
    );
  });
  after(async () => {
    if (stores.length === 0) return;
    const client = stores[0].redis!;
    for await (const keys of client.scanIterator({ MATCH: `{${prefix}}:*` })) if (keys.length) await client.del(keys);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('lets exactly one of three instances claim and confirm each of many occurrences due at once', async () => {
    const jobs = stores.map((store) => new RedisJobStore(store.redis!, prefix));
    const ids = Array.from({ length: 20 }, newId);
    for (const id of ids) await jobs[0].create(record(id));
    const confirmedBy: string[] = [];
    await Promise.all(
      ids.flatMap((id) =>
        jobs.map(async (store, i) => {
          const owner = `instance-${i}`;
          if ((await store.claim(id, `${NOW}#0`, owner, 5000)) !== 'claimed') return;
          const result = await store.confirm(id, `${NOW}#0`, owner, 60_000, (current) => ({
            ...current,
            job: { ...current.job, repeat: { ...current.job.repeat, completed: current.job.repeat.completed + 1 } },
          }));
          if (result.outcome === 'confirmed') confirmedBy.push(`${id}:${owner}`);
        }),
      ),
    );
    expect(confirmedBy).to.have.length(ids.length);
    for (const id of ids) expect((await jobs[1].get(id))?.job.repeat.completed).to.equal(1);
  });
});
