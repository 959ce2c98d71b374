// The session store contract (records + appended messages) on memory, SQLite and (with REDIS_URL) Redis.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { silentLogger } from '../../lib/log.js';
import { createStore, type Store } from '../../lib/store/keyv.js';
import {
  createSessionStore,
  type SessionMessage,
  type SessionRow,
  type SessionStore,
  sessionKeyOf,
} from '../../lib/store/session-store.js';

function row(owner: string, id: string, lastActive: number, messageCount = 0): SessionRow {
  return {
    key: sessionKeyOf(owner, id),
    owner,
    info: {
      id,
      source: 'api_server',
      model: null,
      title: null,
      started_at: lastActive,
      ended_at: null,
      end_reason: null,
      message_count: messageCount,
      tool_call_count: 0,
      input_tokens: 0,
      output_tokens: 0,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      parent_session_id: null,
      last_active: lastActive,
      preview: null,
      pinned: false,
      archived: false,
      hidden: false,
    },
    agentId: null,
    systemPrompt: null,
    modelConfig: null,
    digest: '',
    transcriptLength: 0,
    revision: null,
    agentSessionId: null,
  };
}

const text = (content: string, role: SessionMessage['role'] = 'user'): SessionMessage => ({
  role,
  content,
  timestamp: 1,
});

const backends: Array<[string, () => string | null]> = [
  ['memory', () => 'memory://'],
  ['SQLite', () => `sqlite://${join(mkdtempSync(join(tmpdir(), 'agw-ss-')), 'gw.sqlite')}`],
  ['Redis', () => process.env.REDIS_URL ?? null],
];

for (const [name, url] of backends) {
  describe(`session store on ${name}`, () => {
    let store: Store;
    let sessions: SessionStore;
    // A fresh owner per test: a shared Redis keeps other runs' sessions.
    let owner: string;

    beforeEach(async function () {
      const location = url();
      if (!location) return this.skip();
      store = await createStore(location, {
        dataDir: tmpdir(),
        logger: silentLogger,
        namespacePrefix: `test-${randomBytes(4).toString('hex')}:`,
      });
      sessions = createSessionStore(store);
      owner = `o${randomBytes(6).toString('hex')}`;
    });
    afterEach(async () => {
      await store?.close();
    });

    it('creates a session once; a second create of the key writes nothing', async () => {
      expect(await sessions.create(row(owner, 's', 10))).to.equal(true);
      const again = row(owner, 's', 20);
      again.info.title = 'other';
      expect(await sessions.create(again)).to.equal(false);
      expect((await sessions.get(sessionKeyOf(owner, 's')))!.info).to.include({ title: null, last_active: 10 });
    });

    it('appends messages turn by turn and reads any range by position, ids 1-based', async () => {
      const r = row(owner, 's', 10);
      await sessions.create(r);
      r.info.message_count = 2;
      await sessions.append(r, 0, [text('q1'), text('a1', 'assistant')]);
      r.info.message_count = 4;
      await sessions.append(r, 2, [text('q2'), text('a2', 'assistant')]);
      const all = await sessions.messages(r.key, 0, 4);
      expect(all.map((m) => [m.id, m.role, m.content])).to.deep.equal([
        [1, 'user', 'q1'],
        [2, 'assistant', 'a1'],
        [3, 'user', 'q2'],
        [4, 'assistant', 'a2'],
      ]);
      expect((await sessions.messages(r.key, 1, 3)).map((m) => m.id)).to.deep.equal([2, 3]);
      expect(await sessions.messages(r.key, 3, 3)).to.deep.equal([]);
      expect((await sessions.get(r.key))!.info.message_count).to.equal(4);
    });

    it('overwrites what lies beyond `from` (a conversation that changed under a stateless client)', async () => {
      const r = row(owner, 's', 10, 3);
      await sessions.append(r, 0, [text('a'), text('b', 'assistant'), text('c')]);
      r.info.message_count = 2;
      await sessions.append(r, 0, [text('x'), text('y', 'assistant')]);
      expect((await sessions.messages(r.key, 0, 3)).map((m) => m.content)).to.deep.equal(['x', 'y']);
    });

    it("lists an owner's sessions, most recently active first, and no one else's", async () => {
      await sessions.create(row(owner, 'old', 10));
      await sessions.create(row(owner, 'new', 30));
      await sessions.create(row(`${owner}x`, 'foreign', 20));
      const mid = row(owner, 'mid', 5);
      await sessions.create(mid);
      mid.info.last_active = 20;
      await sessions.put(mid);
      expect((await sessions.list(owner)).map((s) => s.info.id)).to.deep.equal(['new', 'mid', 'old']);
    });

    it('deletes a session with its messages', async () => {
      const r = row(owner, 's', 10, 2);
      await sessions.append(r, 0, [text('secret'), text('answer', 'assistant')]);
      expect(await sessions.delete(r.key)).to.equal(true);
      expect(await sessions.get(r.key)).to.equal(undefined);
      expect(await sessions.messages(r.key, 0, 2)).to.deep.equal([]);
      expect(await sessions.list(owner)).to.deep.equal([]);
      expect(await sessions.delete(r.key)).to.equal(false);
    });

    it('sweeps sessions idle since before a time, and keeps the others', async () => {
      const stale = row(owner, 'stale', 100, 1);
      await sessions.append(stale, 0, [text('old')]);
      await sessions.create(row(owner, 'fresh', 300));
      expect(await sessions.sweep(200_000)).to.be.at.least(1);
      expect((await sessions.list(owner)).map((s) => s.info.id)).to.deep.equal(['fresh']);
      expect(await sessions.messages(stale.key, 0, 1)).to.deep.equal([]);
    });

    it('leaves a session held by stored responses to their retention', async () => {
      const held = { ...row(owner, 'chain', 100), heldByResponses: true };
      await sessions.create(held);
      await sessions.sweep(200_000);
      expect((await sessions.list(owner)).map((s) => s.info.id)).to.deep.equal(['chain']);
    });
  });
}
