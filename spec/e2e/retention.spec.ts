// Delete means delete (issue 19): after each delete the raw store — every SQLite table, every Redis key — holds
// none of the deleted text; a chain's session goes with its last stored response, evicted or deleted.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { expect } from 'chai';
import sqlite3 from 'sqlite3';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../support/gateway.js';

/** Every value the store holds, as text (what a raw read of the store finds). */
type RawDump = () => Promise<string>;

function sqliteDump(file: string): RawDump {
  return () =>
    new Promise((resolve, reject) => {
      const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => error && reject(error));
      db.all("SELECT name FROM sqlite_master WHERE type = 'table'", (error, tables: Array<{ name: string }>) => {
        if (error) return reject(error);
        const parts: string[] = [];
        let left = tables.length;
        if (left === 0) return db.close(() => resolve(''));
        for (const { name } of tables) {
          db.all(`SELECT * FROM "${name}"`, (err, rows) => {
            if (err) return reject(err);
            parts.push(JSON.stringify(rows));
            if (--left === 0) db.close(() => resolve(parts.join('\n')));
          });
        }
      });
    });
}

function redisDump(url: string, needle: string): RawDump {
  return async () => {
    const client = createClient({ url });
    await client.connect();
    try {
      const found: string[] = [];
      for await (const keys of client.scanIterator({ COUNT: 1000 })) {
        for (const key of ([] as string[]).concat(keys)) {
          const type = await client.type(key);
          const values =
            type === 'string'
              ? [await client.get(key)]
              : type === 'list'
                ? await client.lRange(key, 0, -1)
                : type === 'hash'
                  ? Object.values(await client.hGetAll(key))
                  : type === 'set'
                    ? await client.sMembers(key)
                    : type === 'zset'
                      ? await client.zRange(key, 0, -1)
                      : [];
          for (const value of values) if (value?.includes(needle)) found.push(`${key}: ${value}`);
        }
      }
      return found.join('\n');
    } finally {
      await client.quit();
    }
  };
}

const DAY_MS = 24 * 3600 * 1000;

const backends = [{ name: 'SQLite', redis: false }, ...(process.env.REDIS_URL ? [{ name: 'Redis', redis: true }] : [])];

for (const backend of backends) {
  describe(`retention on ${backend.name}: delete means delete`, function () {
    this.timeout(60_000);
    let dir: string;
    let gw: TestGateway;
    let key: string;
    let marker: string;
    let dump: RawDump;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'agw-retention-'));
      key = `sk-test-${randomBytes(12).toString('hex')}`;
      // Every secret of a test carries the marker, so a raw read can look for it (Redis holds other runs' data).
      marker = `zq${randomBytes(6).toString('hex')}`;
      const file = join(dir, 'gateway.sqlite');
      gw = await startTestGateway({
        agents: [scriptedAgentConfig()],
        store: backend.redis ? process.env.REDIS_URL! : `sqlite://${file}`,
        dataDir: dir,
        keys: [{ name: 'test', key }],
        responses: { maxStored: 3 },
      });
      dump = backend.redis ? redisDump(process.env.REDIS_URL!, marker) : sqliteDump(file);
    });
    afterEach(async () => {
      await gw.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const send = async (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) => {
      const res = await gw.request(path, { method, json, headers: { authorization: `Bearer ${key}`, ...headers } });
      return { status: res.status, body: await bodyOf(res) };
    };
    const respond = async (secret: string, extra: Record<string, unknown> = {}, headers = {}) => {
      const { status, body } = await send(
        'POST',
        '/v1/responses',
        { input: `[[text "ok"]] ${secret}`, ...extra },
        headers,
      );
      expect(status).to.equal(200);
      return body.id as string;
    };
    const secret = (word: string) => `${marker}-${word}`;

    it('deleting the latest response removes its turn; deleting the last one removes the chain session', async () => {
      const first = await respond(secret('alpha'));
      const second = await respond(secret('beta'), { previous_response_id: first });
      expect(await dump()).to.include(secret('beta'));

      expect((await send('DELETE', `/v1/responses/${second}`)).status).to.equal(200);
      const afterSecond = await dump();
      expect(afterSecond).not.to.include(secret('beta'));
      expect(afterSecond).to.include(secret('alpha'));
      const session = await send('GET', `/api/sessions/${first}`);
      expect(session.body.session.message_count).to.equal(2);

      expect((await send('DELETE', `/v1/responses/${first}`)).status).to.equal(200);
      expect(await dump()).not.to.include(marker);
      expect((await send('GET', `/api/sessions/${first}`)).status).to.equal(404);
    });

    it('a chain whose responses the LRU evicts loses its session with them', async () => {
      const old = await respond(secret('old'));
      for (const word of ['b', 'c', 'd']) await respond(`[[text "x"]] fresh ${word}`);
      expect((await send('GET', `/v1/responses/${old}`)).status).to.equal(404);
      expect((await send('GET', `/api/sessions/${old}`)).status).to.equal(404);
      expect(await dump()).not.to.include(secret('old'));
    });

    it('deleting a session removes its messages and the responses that ran in it', async () => {
      await send(
        'POST',
        '/v1/chat/completions',
        { messages: [{ role: 'user', content: `[[text "fine"]] ${secret('chat')}` }] },
        { 'X-Hermes-Session-Id': 'named' },
      );
      const id = await respond(secret('resp'), {}, { 'X-Hermes-Session-Id': 'named' });
      const run = { input: `[[text "done"]] ${secret('run')}`, session_id: 'named' };
      const idempotent = { 'Idempotency-Key': `key-${marker}` };
      const first = await send('POST', '/v1/runs', run, idempotent);
      expect(first.status).to.equal(202);
      for (let i = 0; i < 100; i++) {
        if ((await send('GET', `/v1/runs/${first.body.run_id}`)).body.status === 'completed') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect((await send('GET', '/api/sessions/named')).body.session.message_count).to.equal(6);

      expect((await send('DELETE', '/api/sessions/named')).body).to.include({ deleted: true });
      expect((await send('GET', `/v1/responses/${id}`)).status).to.equal(404);
      expect(await dump()).not.to.include(marker);
      // The run's Idempotency-Key went with the session: the same request starts a new run.
      const again = await send('POST', '/v1/runs', run, idempotent);
      expect(again.body).to.include({ replayed: false });
      expect(again.body.run_id).not.to.equal(first.body.run_id);
    });

    it('the retention sweep removes stored responses past their age and sessions idle past theirs', async () => {
      const aged = await respond(secret('aged'));
      await send(
        'POST',
        '/v1/chat/completions',
        { messages: [{ role: 'user', content: `[[text "fine"]] ${secret('idle')}` }] },
        { 'X-Hermes-Session-Id': 'idle' },
      );
      // Not yet: the defaults keep both for 30 days.
      await gw.services.conversations.sweep(Date.now() + 29 * DAY_MS);
      expect((await send('GET', `/v1/responses/${aged}`)).status).to.equal(200);
      expect((await send('GET', '/api/sessions/idle')).status).to.equal(200);

      await gw.services.conversations.sweep(Date.now() + 31 * DAY_MS);
      expect((await send('GET', `/v1/responses/${aged}`)).status).to.equal(404);
      expect((await send('GET', `/api/sessions/${aged}`)).status).to.equal(404);
      expect((await send('GET', '/api/sessions/idle')).status).to.equal(404);
      expect(await dump()).not.to.include(marker);
    });

    it('checks the disk in /health/detailed only where the configuration writes to it', async () => {
      const health = (await send('GET', '/health/detailed')).body;
      if (backend.redis)
        expect(health.readiness.checks).to.have.property('disk'); // the test's data dir exists
      else expect(health.readiness.checks.disk.free_bytes).to.be.greaterThan(0);
      if (!backend.redis) return;
      // Redis and configured keys, a data dir nothing created: nothing is written to disk, nothing is checked.
      const elsewhere = await startTestGateway({
        store: process.env.REDIS_URL!,
        dataDir: join(dir, 'never', 'created'),
        keys: [{ name: 'test', key }],
      });
      try {
        const res = await elsewhere.request('/health/detailed', { headers: { authorization: `Bearer ${key}` } });
        const body = await bodyOf(res);
        expect(body.readiness.checks).not.to.have.property('disk');
        expect(body.readiness.checks.store).to.include({ status: 'ok', backend: 'redis' });
      } finally {
        await elsewhere.stop();
      }
    });

    it('keeps a session a client named when its responses go', async () => {
      const id = await respond(secret('kept'), {}, { 'X-Hermes-Session-Id': 'mine' });
      await send('DELETE', `/v1/responses/${id}`);
      expect((await send('GET', '/api/sessions/mine')).body.session.message_count).to.equal(2);
    });
  });
}
