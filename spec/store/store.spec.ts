import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { GatewayError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/log.js';
import { createStore, type Store } from '../../lib/store/keyv.js';
import { guard, Repository } from '../../lib/store/repository.js';

interface Note {
  text: string;
  n: number;
  nested: { list: string[] };
}

const note: Note = { text: 'héllo 😀', n: 3, nested: { list: ['a', 'b'] } };

function roundTrips(label: string, url: () => string | null) {
  describe(`${label} store`, () => {
    let store: Store;
    before(async function () {
      const target = url();
      if (!target) return this.skip();
      store = await createStore(target, { dataDir: mkdtempSync(join(tmpdir(), 'agw-store-')), logger: silentLogger });
    });
    after(() => store?.close());

    it('round-trips a typed record', async () => {
      const repo = new Repository<Note>(store, `notes-${process.pid}-${Date.now()}`);
      await repo.set('n1', note);
      expect(await repo.get('n1')).to.deep.equal(note);
      expect(await repo.has('n1')).to.equal(true);
      expect(await repo.delete('n1')).to.equal(true);
      expect(await repo.get('n1')).to.equal(undefined);
    });

    it('keeps namespaces apart', async () => {
      const suffix = `${process.pid}-${Date.now()}`;
      const a = new Repository<Note>(store, `a-${suffix}`);
      const b = new Repository<Note>(store, `b-${suffix}`);
      await a.set('same-id', note);
      expect(await b.get('same-id')).to.equal(undefined);
    });

    it('expires a record after its ttl', async () => {
      const repo = new Repository<Note>(store, `ttl-${process.pid}-${Date.now()}`);
      await repo.set('short', note, 50);
      await new Promise((r) => setTimeout(r, 120));
      expect(await repo.get('short')).to.equal(undefined);
    });

    it('answers a ping with a latency', async () => {
      expect(await store.ping())
        .to.be.a('number')
        .and.be.lessThan(2000);
    });
  });
}

describe('store', () => {
  roundTrips('memory', () => 'memory://');
  roundTrips('SQLite', () => `sqlite://${join(mkdtempSync(join(tmpdir(), 'agw-sqlite-')), 'gw.sqlite')}`);
  roundTrips('Redis', () => process.env.REDIS_URL ?? null);

  it('keeps SQLite data across a close and reopen of the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agw-sqlite-'));
    const url = `sqlite://${join(dir, 'gw.sqlite')}`;
    const first = await createStore(url, { dataDir: dir, logger: silentLogger });
    await new Repository<Note>(first, 'responses').set('resp_1', note);
    await first.close();
    const second = await createStore(url, { dataDir: dir, logger: silentLogger });
    expect(await new Repository<Note>(second, 'responses').get('resp_1')).to.deep.equal(note);
    await second.close();
  });

  it('defaults the SQLite file to gateway.sqlite in the data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agw-sqlite-'));
    const store = await createStore('sqlite://', { dataDir: dir, logger: silentLogger });
    expect(store.location).to.equal(join(dir, 'gateway.sqlite'));
    await store.close();
  });

  describe('guard', () => {
    it('turns a store call that never answers into 503 store_unavailable', async () => {
      const error: any = await guard(new Promise(() => {}), 50).catch((e: any) => e);
      expect(error).to.be.instanceOf(GatewayError);
      expect(error.status).to.equal(503);
      expect(error.toEnvelope().error).to.include({ code: 'store_unavailable', type: 'server_error' });
    });

    it('turns a store failure into 503 store_unavailable with its reason', async () => {
      const error = await guard(Promise.reject(new Error('SQLITE_BUSY: database is locked'))).catch((e: any) => e);
      expect(error.status).to.equal(503);
      expect(error.message).to.equal('State store unavailable: SQLITE_BUSY: database is locked');
    });

    it('answers 503 from a repository whose store is gone', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'agw-sqlite-'));
      const store = await createStore(`sqlite://${join(dir, 'gw.sqlite')}`, { dataDir: dir, logger: silentLogger });
      const repo = new Repository<Note>(store, 'gone');
      await repo.set('x', note);
      await store.close();
      const error = await repo.get('x').catch((e: any) => e);
      expect(error).to.be.instanceOf(GatewayError);
      expect(error.status).to.equal(503);
    });
  });
});
