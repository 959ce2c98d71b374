import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { inProgressResponse } from '../../lib/api/responses/summary-to-response.js';
import { silentLogger } from '../../lib/log.js';
import { createStore, type Store } from '../../lib/store/keyv.js';
import { RedisResponsesRepo } from '../../lib/store/responses-repo-redis.js';
import { createResponsesRepo, type ResponsesRepo, type StoredResponse } from '../../lib/store/responses-repo.js';

function record(id: string, text = `answer of ${id}`): StoredResponse {
  return {
    response: inProgressResponse({
      id,
      createdAt: 1710000000,
      model: 'scripted-agent',
      instructions: null,
      previousResponseId: null,
      conversation: null,
      store: true,
      truncation: 'disabled',
      metadata: {},
    }),
    owner: 'owner',
    input: [{ role: 'user', content: text }],
    messageEnd: 2,
    instructions: 'Be terse.',
    session: { key: 'k', id, agentId: 'scripted-agent' },
  };
}

const unique = () => `${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}`;

function behaves(
  label: string,
  open: (max: number) => Promise<{ repo: ResponsesRepo; close(): Promise<void> } | null>,
) {
  describe(`${label} responses repository`, () => {
    let opened: { repo: ResponsesRepo; close(): Promise<void> } | null = null;
    const repo = async (max = 3) => {
      opened = await open(max);
      return opened?.repo;
    };
    afterEach(() => opened?.close());

    it('round-trips a record with its transcript, tool calls included', async function () {
      const r = await repo();
      if (!r) return this.skip();
      await r.save(record('resp_a'));
      expect(await r.get('resp_a')).to.deep.equal(record('resp_a'));
      expect(await r.get('resp_missing')).to.equal(undefined);
    });

    it('keeps at most N records, evicting the least recently used, where a read counts as a use', async function () {
      const r = await repo(3);
      if (!r) return this.skip();
      for (const id of ['resp_1', 'resp_2', 'resp_3']) await r.save(record(id));
      await r.get('resp_1'); // resp_2 is now the least recently used
      expect(await r.save(record('resp_4'))).to.deep.equal([{ id: 'resp_2', session: 'k' }]);
      expect(await r.ids()).to.deep.equal(['resp_3', 'resp_1', 'resp_4']);
      expect(await r.get('resp_2')).to.equal(undefined);
    });

    it('points a conversation name at its latest response and drops it when that response is evicted', async function () {
      const r = await repo(2);
      if (!r) return this.skip();
      await r.save(record('resp_1'), 'o:chat');
      await r.save(record('resp_2'), 'o:chat');
      await r.save(record('resp_x'), 'o:other');
      expect(await r.resolveConversation('o:chat')).to.equal('resp_2');
      expect(await r.resolveConversation('o:other')).to.equal('resp_x');
      await r.save(record('resp_3'));
      await r.save(record('resp_4')); // evicts resp_2 and resp_x
      expect(await r.resolveConversation('o:chat')).to.equal(undefined);
      expect(await r.resolveConversation('o:other')).to.equal(undefined);
    });

    it('keeps a name that moved on when its earlier response is evicted', async function () {
      const r = await repo(2);
      if (!r) return this.skip();
      await r.save(record('resp_1'), 'o:chat');
      await r.save(record('resp_2'), 'o:chat');
      await r.save(record('resp_3')); // evicts resp_1, which no name points at any more
      expect(await r.resolveConversation('o:chat')).to.equal('resp_2');
    });

    it('deletes a record with the names pointing at it, and reports an unknown id', async function () {
      const r = await repo();
      if (!r) return this.skip();
      await r.save(record('resp_1'), 'o:chat');
      expect(await r.delete('resp_1')).to.equal(true);
      expect(await r.get('resp_1')).to.equal(undefined);
      expect(await r.resolveConversation('o:chat')).to.equal(undefined);
      expect(await r.delete('resp_1')).to.equal(false);
      expect(await r.ids()).to.deep.equal([]);
    });

    it('knows which stored responses ran in a session, as they come and go', async function () {
      const r = await repo(2);
      if (!r) return this.skip();
      await r.save({ ...record('resp_1'), session: { key: 'o:s1', id: 's1', agentId: 'a' } });
      await r.save({ ...record('resp_2'), session: { key: 'o:s1', id: 's1', agentId: 'a' } });
      expect((await r.idsOfSession('o:s1')).sort()).to.deep.equal(['resp_1', 'resp_2']);
      await r.delete('resp_1');
      expect(await r.idsOfSession('o:s1')).to.deep.equal(['resp_2']);
      const evicted = await r.save({ ...record('resp_3'), session: { key: 'o:s2', id: 's2', agentId: 'a' } });
      expect(evicted).to.deep.equal([]);
      expect(await r.save({ ...record('resp_4'), session: { key: 'o:s2', id: 's2', agentId: 'a' } })).to.deep.equal([
        { id: 'resp_2', session: 'o:s1' },
      ]);
      expect(await r.idsOfSession('o:s1')).to.deep.equal([]);
    });

    it('updates only a record that is still stored', async function () {
      const r = await repo();
      if (!r) return this.skip();
      await r.save(record('resp_1', 'in progress'));
      expect(await r.update(record('resp_1', 'final'))).to.equal(true);
      expect((await r.get('resp_1'))!.input).to.deep.equal([{ role: 'user', content: 'final' }]);
      await r.delete('resp_1');
      expect(await r.update(record('resp_1', 'late'))).to.equal(false);
      expect(await r.get('resp_1')).to.equal(undefined);
    });
  });
}

describe('responses repository', () => {
  const stores: Store[] = [];
  after(() => Promise.all(stores.map((s) => s.close())));
  const keyv = (url: () => string) => async (max: number) => {
    const store = await createStore(url(), { dataDir: mkdtempSync(join(tmpdir(), 'agw-rr-')), logger: silentLogger });
    return { repo: createResponsesRepo(store, { maxStored: max }), close: () => store.close() };
  };

  behaves(
    'memory',
    keyv(() => 'memory://'),
  );
  behaves(
    'SQLite',
    keyv(() => `sqlite://${join(mkdtempSync(join(tmpdir(), 'agw-rr-')), 'gw.sqlite')}`),
  );
  behaves('Redis', async (max) => {
    if (!process.env.REDIS_URL) return null;
    const store = await createStore(process.env.REDIS_URL, { dataDir: tmpdir(), logger: silentLogger });
    const prefix = `test:${unique()}`;
    const close = async () => {
      await store.redis!.del(['records', 'lru', 'clock', 'names', 'links', 'sessions'].map((k) => `{${prefix}}:${k}`));
      await store.close();
    };
    return { repo: createResponsesRepo(store, { maxStored: max, redisPrefix: prefix }), close };
  });

  it('keeps the index and names across a close and reopen of a SQLite store', async () => {
    const url = `sqlite://${join(mkdtempSync(join(tmpdir(), 'agw-rr-')), 'gw.sqlite')}`;
    const first = await createStore(url, { dataDir: tmpdir(), logger: silentLogger });
    const before = createResponsesRepo(first, { maxStored: 2 });
    await before.save(record('resp_1'), 'o:chat');
    await before.save(record('resp_2'));
    await first.close();
    const second = await createStore(url, { dataDir: tmpdir(), logger: silentLogger });
    const after = createResponsesRepo(second, { maxStored: 2 });
    expect(await after.resolveConversation('o:chat')).to.equal('resp_1');
    expect(await after.save(record('resp_3'))).to.deep.equal([{ id: 'resp_1', session: 'k' }]);
    expect(await after.resolveConversation('o:chat')).to.equal(undefined);
    await second.close();
  });

  it('stays within N and consistent when several gateway instances save at once on one Redis', async function () {
    if (!process.env.REDIS_URL) return this.skip();
    this.timeout(20_000);
    const prefix = `test:${unique()}`;
    const instances = await Promise.all(
      [1, 2, 3].map(() => createStore(process.env.REDIS_URL!, { dataDir: tmpdir(), logger: silentLogger })),
    );
    stores.push(...instances);
    const repos = instances.map((store) => new RedisResponsesRepo(store.redis!, 10, prefix));
    // 3 instances x 40 saves, each naming its own conversation after the response: 120 records, 120 names.
    await Promise.all(
      repos.map((repo, n) =>
        Promise.all(Array.from({ length: 40 }, (_, i) => repo.save(record(`resp_${n}_${i}`), `o:name_${n}_${i}`))),
      ),
    );
    const ids = await repos[0].ids();
    expect(ids).to.have.length(10);
    const client = instances[0].redis!;
    expect(await client.hLen(`{${prefix}}:records`)).to.equal(10);
    const names = await client.hGetAll(`{${prefix}}:names`);
    expect(Object.keys(names)).to.have.length(10);
    expect(new Set(Object.values(names))).to.deep.equal(new Set(ids));
    expect(await client.hLen(`{${prefix}}:links`)).to.equal(10);
    await client.del(['records', 'lru', 'clock', 'names', 'links'].map((k) => `{${prefix}}:${k}`));
  });
});
