// The run journal contract, run against the memory implementation and (with REDIS_URL) the Redis one.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { expect } from 'chai';
import { RedisRunJournal } from '../../lib/engine/runs/redis-run-journal.js';
import {
  type JournalEntry,
  MemoryRunJournal,
  parseLastEventId,
  type RunJournal,
} from '../../lib/engine/runs/run-journal.js';
import { silentLogger } from '../../lib/log.js';
import { createStore, type Store } from '../../lib/store/keyv.js';

const ev = (n: number) => ({ event: 'message.delta', delta: `d${n}` });

async function drain(iterable: AsyncIterable<JournalEntry>): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  for await (const entry of iterable) out.push(entry);
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function journalContract(name: string, make: (limits: { maxEvents: number; ttlMs: number }) => Promise<RunJournal>) {
  describe(name, () => {
    const open: RunJournal[] = [];
    const journal = async (limits = { maxEvents: 1000, ttlMs: 60_000 }) => {
      const j = await make(limits);
      open.push(j);
      return j;
    };
    const runId = () => `run_${randomBytes(16).toString('hex')}`;
    afterEach(async () => {
      await Promise.all(open.splice(0).map((j) => j.dispose()));
    });

    it('numbers events from 1 and replays them after an id, ending after the close', async () => {
      const j = await journal();
      const id = runId();
      await j.open(id);
      expect(await j.append(id, ev(1))).to.equal(1);
      expect(await j.append(id, ev(2))).to.equal(2);
      await j.append(id, ev(3));
      await j.close(id);
      const all = await drain(j.subscribe(id, 0, new AbortController().signal));
      expect(all).to.deep.equal([
        { id: 1, data: ev(1) },
        { id: 2, data: ev(2) },
        { id: 3, data: ev(3) },
      ]);
      expect((await drain(j.subscribe(id, 2, new AbortController().signal))).map((e) => e.id)).to.deep.equal([3]);
      expect(await drain(j.subscribe(id, 3, new AbortController().signal))).to.deep.equal([]);
    });

    it('gives several live subscribers every event as it is appended', async () => {
      const j = await journal();
      const id = runId();
      await j.open(id);
      await j.append(id, ev(1));
      const a = drain(j.subscribe(id, 0, new AbortController().signal));
      const b = drain(j.subscribe(id, 0, new AbortController().signal));
      await sleep(50);
      await j.append(id, ev(2));
      await sleep(20);
      await j.append(id, ev(3));
      await j.close(id);
      const [ea, eb] = await Promise.all([a, b]);
      expect(ea.map((e) => e.id)).to.deep.equal([1, 2, 3]);
      expect(eb).to.deep.equal(ea);
    });

    it('keeps only the newest maxEvents events', async () => {
      const j = await journal({ maxEvents: 3, ttlMs: 60_000 });
      const id = runId();
      await j.open(id);
      for (let n = 1; n <= 5; n++) await j.append(id, ev(n));
      await j.close(id);
      expect((await drain(j.subscribe(id, 0, new AbortController().signal))).map((e) => e.id)).to.deep.equal([3, 4, 5]);
    });

    it('ends a subscription when its signal aborts', async () => {
      const j = await journal();
      const id = runId();
      await j.open(id);
      await j.append(id, ev(1));
      const abort = new AbortController();
      const got: number[] = [];
      const reading = (async () => {
        for await (const entry of j.subscribe(id, 0, abort.signal)) got.push(entry.id);
      })();
      await sleep(50);
      abort.abort();
      await reading;
      expect(got).to.deep.equal([1]);
    });

    it('drops a closed journal nobody reads after its TTL', async () => {
      const j = await journal({ maxEvents: 10, ttlMs: 150 });
      const id = runId();
      await j.open(id);
      await j.append(id, ev(1));
      expect(await j.exists(id)).to.equal(true);
      await j.close(id);
      await sleep(400);
      expect(await j.exists(id)).to.equal(false);
      expect(await j.exists(runId())).to.equal(false);
    });
  });
}

describe('run journal', () => {
  journalContract('MemoryRunJournal', async (limits) => new MemoryRunJournal(limits));

  let store: Store | null = null;
  journalContract('RedisRunJournal', async (limits) => {
    store ??= await createStore(process.env.REDIS_URL!, { dataDir: tmpdir(), logger: silentLogger });
    return new RedisRunJournal(
      store.redis!,
      limits,
      silentLogger,
      `agw-test:journal:${randomBytes(4).toString('hex')}:`,
    );
  });
  beforeEach(function () {
    if (this.currentTest?.parent?.title === 'RedisRunJournal' && !process.env.REDIS_URL) this.skip();
  });
  after(async () => {
    await store?.close();
  });

  describe('parseLastEventId', () => {
    it('reads plain ids and treats anything else as 0', () => {
      expect(parseLastEventId('12')).to.equal(12);
      expect(parseLastEventId(' 7 ')).to.equal(7);
      for (const bad of [undefined, '', '007', '-1', 'abc', '1.5', '123456789012345678901']) {
        expect(parseLastEventId(bad), String(bad)).to.equal(0);
      }
    });
  });
});
