// RedisSessionOwnership (lib/engine/session-ownership-redis.ts) on a real Redis: three instances' views of one
// conversation key, with heartbeats the test switches on and off.
import { randomBytes } from 'node:crypto';
import { createClient, type RedisClientType } from '@keyv/redis';
import { expect } from 'chai';
import { RedisSessionOwnership } from '../../lib/engine/session-ownership-redis.js';
import { LocalSessionOwnership } from '../../lib/engine/session-ownership.js';
import { silentLogger } from '../../lib/log.js';

describe('session ownership', () => {
  it('runs every turn here on a single instance', async () => {
    const local = new LocalSessionOwnership();
    expect(local.shared).to.equal(false);
    expect(await local.route()).to.deep.equal({ kind: 'local' });
  });

  describe('on Redis', () => {
    let redis: RedisClientType;
    let prefix: string;
    const alive = new Set<string>();

    before(async function () {
      if (!process.env.REDIS_URL) {
        console.log('    (skipped: set REDIS_URL to run the Redis session ownership specs)');
        return this.skip();
      }
      redis = createClient({ url: process.env.REDIS_URL }) as RedisClientType;
      await redis.connect();
    });
    beforeEach(() => {
      prefix = `agw-test:own:${randomBytes(4).toString('hex')}:`;
      alive.clear();
    });
    afterEach(async () => {
      if (!redis) return;
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}*` })) if (keys.length) await redis.del(keys);
    });
    after(async () => {
      await redis?.quit();
    });

    const instance = (name: string, claimTtlMs = 60_000) => {
      const ownership = new RedisSessionOwnership({
        redis,
        prefix,
        instance: name,
        isAlive: async (id) => alive.has(id),
        claimTtlMs,
        logger: silentLogger,
      });
      ownership.advertise(`http://${name}:8642/`);
      alive.add(name);
      return ownership;
    };
    const stored = () => redis.get(`${prefix}agw:session_owner:k1`);

    it('claims a conversation nobody owns; the others forward to it while its heartbeat lives', async () => {
      const [a, b, c] = [instance('a'), instance('b'), instance('c')];
      expect(await a.route('k1')).to.deep.equal({ kind: 'local' });
      expect(await stored()).to.equal('a http://a:8642');
      expect(await b.route('k1')).to.deep.equal({ kind: 'forward', instance: 'a', url: 'http://a:8642' });
      expect(await c.route('k1')).to.deep.equal({ kind: 'forward', instance: 'a', url: 'http://a:8642' });
      expect(await a.route('k1')).to.deep.equal({ kind: 'local' });
    });

    it("takes over a conversation whose owner's heartbeat is gone", async () => {
      const [a, b, c] = [instance('a'), instance('b'), instance('c')];
      await a.route('k1');
      alive.delete('a');
      expect(await b.route('k1')).to.deep.equal({ kind: 'local', takenFrom: 'a' });
      expect(await c.route('k1')).to.deep.equal({ kind: 'forward', instance: 'b', url: 'http://b:8642' });
    });

    it('takes over from an owner that did not answer, unless another instance already did', async () => {
      const [a, b, c] = [instance('a'), instance('b'), instance('c')];
      await a.route('k1');
      expect(await b.takeOver('k1', 'a')).to.deep.equal({ kind: 'local' });
      // c saw a too, and failed to reach it: b was faster, the turn goes to b.
      expect(await c.takeOver('k1', 'a')).to.deep.equal({ kind: 'forward', instance: 'b', url: 'http://b:8642' });
    });

    it('the instance opening a live session claims the conversation', async () => {
      const [a, b] = [instance('a'), instance('b')];
      await a.route('k1');
      await b.claim('k1');
      expect(await a.route('k1')).to.deep.equal({ kind: 'forward', instance: 'b', url: 'http://b:8642' });
    });

    it('a turn forwarded here renews a claim or takes a free one, never one another instance took over', async () => {
      const [a, b] = [instance('a'), instance('b')];
      await a.renew('k1');
      expect(await stored()).to.equal('a http://a:8642');
      await b.takeOver('k1', 'a');
      await a.renew('k1'); // a late turn a was too slow to take: b keeps the conversation
      expect(await stored()).to.equal('b http://b:8642');
    });

    it('releases only its own claim, and withdraws every claim when it drains', async () => {
      const [a, b] = [instance('a'), instance('b')];
      await a.route('k1');
      await b.claim('k1');
      a.release('k1'); // a's live session went away after b took the conversation: b keeps it
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await stored()).to.equal('b http://b:8642');
      b.release('k1');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await stored()).to.equal(null);

      await a.route('k1');
      await a.route('k2');
      await a.withdraw();
      expect(await stored()).to.equal(null);
      expect(await b.route('k2')).to.deep.equal({ kind: 'local' });
    });

    it('claims nothing before its URL is known', async () => {
      const quiet = new RedisSessionOwnership({
        redis,
        prefix,
        instance: 'q',
        isAlive: async () => true,
        claimTtlMs: 60_000,
        logger: silentLogger,
      });
      expect(await quiet.route('k1')).to.deep.equal({ kind: 'local' });
      await quiet.claim('k1');
      expect(await stored()).to.equal(null);
    });

    it('a claim expires when no turn renews it', async () => {
      const a = instance('a', 300);
      await a.route('k1');
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await stored()).to.equal(null);
    });
  });
});
