import { randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from '@keyv/redis';
import { expect } from 'chai';
import { type FakeUpstream, openSse, startFakeUpstream } from '../../fixtures/upstream/openai-upstream.js';
import { formatDuration } from '../../lib/http/rate-limit.js';
import {
  type Limits,
  MemoryRateLimitStore,
  type RateLimitStore,
  RedisRateLimitStore,
  WINDOW_MS,
} from '../../lib/http/rate-limit-store.js';
import { bodyOf, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';

const rpm = (requests: number): Limits => ({ requests, concurrent: null });

function storeContract(name: string, make: () => Promise<{ store: RateLimitStore; done(): Promise<void> }>) {
  describe(`${name} rate-limit store`, () => {
    let store: RateLimitStore;
    let done: () => Promise<void>;
    beforeEach(async () => {
      ({ store, done } = await make());
    });
    afterEach(() => done());

    it('admits exactly the limit when many requests race, and a refusal consumes nothing', async () => {
      const key = randomUUID();
      const results = await Promise.all(Array.from({ length: 30 }, () => store.admit(key, rpm(10), randomUUID())));
      expect(results.filter((r) => r.ok)).to.have.length(10);
      const remaining = results.filter((r) => r.ok).map((r) => r.remaining);
      expect([...remaining].sort((a, b) => a - b)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const refused = results.find((r) => !r.ok)!;
      expect(refused).to.deep.include({ ok: false, reason: 'requests', remaining: 0 });
      if (!refused.ok) expect(refused.retryMs).to.be.within(1, WINDOW_MS);
    });

    it('holds a lease per request in flight until it is released', async () => {
      const key = randomUUID();
      const limits: Limits = { requests: null, concurrent: 2 };
      expect((await store.admit(key, limits, 'a')).ok).to.equal(true);
      expect((await store.admit(key, limits, 'b')).ok).to.equal(true);
      const third = await store.admit(key, limits, 'c');
      expect(third).to.deep.include({ ok: false, reason: 'concurrent' });
      await store.release(key, 'a');
      await store.renew(key, 'b');
      expect((await store.admit(key, limits, 'd')).ok).to.equal(true);
    });

    it('keeps keys apart', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      expect((await store.admit(a, rpm(1), 'x')).ok).to.equal(true);
      expect((await store.admit(a, rpm(1), 'y')).ok).to.equal(false);
      expect((await store.admit(b, rpm(1), 'z')).ok).to.equal(true);
    });
  });
}

storeContract('memory', async () => ({ store: new MemoryRateLimitStore(), done: async () => undefined }));

if (process.env.REDIS_URL) {
  storeContract('redis', async () => {
    const client = createClient({ url: process.env.REDIS_URL }) as RedisClientType;
    await client.connect();
    const prefix = `agw-test-rl-${randomUUID()}`;
    return {
      store: new RedisRateLimitStore(client, prefix),
      async done() {
        for await (const keys of client.scanIterator({ MATCH: `${prefix}:*` })) if (keys.length) await client.del(keys);
        await client.quit();
      },
    };
  });
} else {
  describe('redis rate-limit store', () => {
    it('is skipped: REDIS_URL is not set');
  });
}

describe('MemoryRateLimitStore window', () => {
  it('slides: a slot frees one minute after the request that took it', async () => {
    let now = 1_000_000;
    const store = new MemoryRateLimitStore(() => now);
    expect((await store.admit('k', rpm(2), 'a')).ok).to.equal(true);
    now += 30_000;
    const second = await store.admit('k', rpm(2), 'b');
    expect(second).to.deep.equal({ ok: true, remaining: 0, resetMs: WINDOW_MS });
    now += 10_000;
    const refused = await store.admit('k', rpm(2), 'c');
    expect(refused).to.deep.equal({ ok: false, reason: 'requests', remaining: 0, resetMs: 50_000, retryMs: 20_000 });
    now += 20_001;
    expect((await store.admit('k', rpm(2), 'd')).ok).to.equal(true);
  });
});

describe('formatDuration', () => {
  it("writes OpenAI's reset durations", () => {
    expect([0, 250, 1000, 12_500, 60_000, 61_250].map(formatDuration)).to.deep.equal([
      '0ms',
      '250ms',
      '1s',
      '12.5s',
      '1m0s',
      '1m1.25s',
    ]);
  });
});

describe('per-key rate limits on the gateway', () => {
  const LIMITED = 'sk-limited-key-0123456789';
  const SLOW = 'sk-slow-key-0123456789ab';
  let up: FakeUpstream;
  let gw: TestGateway;
  before(async () => {
    up = await startFakeUpstream();
    gw = await startTestGateway({
      upstreams: [{ name: 'default', baseUrl: up.baseUrl }],
      keys: [
        { name: 'free', key: TEST_KEY },
        { name: 'limited', key: LIMITED, requestsPerMinute: 3 },
        { name: 'slow', key: SLOW, maxConcurrent: 1 },
      ],
    });
  });
  after(async () => {
    await gw.stop();
    await up.close();
  });

  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  it('puts the x-ratelimit headers on every response of a limited key, then answers 429 with Retry-After', async () => {
    const seen: Array<[number, string | null, string | null]> = [];
    for (let i = 0; i < 4; i++) {
      const res = await gw.request(i % 2 ? '/v1/models' : '/v1/nope-route', { headers: as(LIMITED) });
      seen.push([
        res.status,
        res.headers.get('x-ratelimit-limit-requests'),
        res.headers.get('x-ratelimit-remaining-requests'),
      ]);
      expect(res.headers.get('x-ratelimit-reset-requests')).to.match(/^(\d+m)?\d+(\.\d+)?s$/);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).to.be.within(1, 60);
        expect(await bodyOf(res)).to.deep.equal({
          error: {
            message: `Rate limit reached for key 'limited': 3 requests per minute. Retry after ${res.headers.get('retry-after')} s.`,
            type: 'rate_limit_error',
            param: null,
            code: 'rate_limit_exceeded',
          },
        });
      } else await res.arrayBuffer();
    }
    expect(seen).to.deep.equal([
      [404, '3', '2'],
      [200, '3', '1'],
      [404, '3', '0'],
      [429, '3', '0'],
    ]);
  });

  it('leaves keys without limits alone', async () => {
    const res = await gw.request('/v1/models');
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-ratelimit-limit-requests')).to.equal(null);
  });

  it('holds a concurrency slot for a whole streamed response', async () => {
    let finish: () => void = () => undefined;
    up.handler = (req, res) => {
      if (!req.url?.includes('stream-me')) return false;
      openSse(res);
      res.write('data: {}\n\n');
      finish = () => res.end('data: [DONE]\n\n');
      return true;
    };
    const first = await gw.request('/v1/stream-me', { method: 'POST', json: { model: 'x' }, headers: as(SLOW) });
    expect(first.status).to.equal(200);
    const second = await gw.request('/v1/models', { headers: as(SLOW) });
    expect(second.status).to.equal(429);
    expect(second.headers.get('retry-after')).to.equal('1');
    expect((await bodyOf(second)).error.message).to.equal("Too many concurrent requests for key 'slow' (max 1).");
    finish();
    expect(await first.text()).to.equal('data: {}\n\ndata: [DONE]\n\n');
    up.handler = null;
    await new Promise((resolve) => setTimeout(resolve, 20)); // the slot is released when the response closes
    const third = await gw.request('/v1/models', { headers: as(SLOW) });
    expect(third.status).to.equal(200);
  });
});
