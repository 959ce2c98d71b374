// The concurrency cap contract on the in-process count and (with REDIS_URL) the count shared on Redis.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { expect } from 'chai';
import { type Admission, MemoryAdmission } from '../../lib/engine/admission.js';
import { RedisAdmission } from '../../lib/engine/redis-admission.js';
import { GatewayError } from '../../lib/errors.js';
import { silentLogger } from '../../lib/log.js';
import { createStore, type Store } from '../../lib/store/keyv.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function refused(admission: Admission): Promise<GatewayError> {
  const error = await admission.acquire().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(GatewayError);
  return error as GatewayError;
}

describe('admission', () => {
  describe('MemoryAdmission', () => {
    it('admits up to max, answers 429 past it, and frees a slot once however often it is released', async () => {
      const admission = new MemoryAdmission(2);
      const one = await admission.acquire();
      await admission.acquire();
      const error = await refused(admission);
      expect([error.status, error.code, error.headers]).to.deep.equal([
        429,
        'rate_limit_exceeded',
        { 'Retry-After': '1' },
      ]);
      one();
      one();
      expect(admission.active()).to.equal(1);
      await admission.acquire();
      await refused(admission);
    });

    it('never refuses with max 0', async () => {
      const admission = new MemoryAdmission(0);
      for (let i = 0; i < 50; i++) await admission.acquire();
      expect(admission.active()).to.equal(50);
    });
  });

  describe('RedisAdmission', () => {
    let store: Store | null = null;
    const open: Admission[] = [];
    let key: string;
    const admissionOn = async (max: number, leaseMs = 30_000) => {
      store ??= await createStore(process.env.REDIS_URL!, { dataDir: tmpdir(), logger: silentLogger });
      const admission = new RedisAdmission(store.redis!, max, silentLogger, { key, leaseMs });
      open.push(admission);
      return admission;
    };
    beforeEach(function () {
      if (!process.env.REDIS_URL) {
        console.log('    (skipped: set REDIS_URL to run the shared concurrency cap specs)');
        this.skip();
      }
      key = `agw-test:admission:${randomBytes(4).toString('hex')}`;
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((a) => a.dispose()));
    });
    after(async () => {
      await store?.close();
    });

    it('counts the slots of every instance against one cap', async () => {
      const a = await admissionOn(3);
      const b = await admissionOn(3);
      const first = await a.acquire();
      await b.acquire();
      await a.acquire();
      expect((await refused(b)).status).to.equal(429);
      expect((await refused(a)).status).to.equal(429);
      first();
      await sleep(20); // the release reaches Redis in the background
      await b.acquire();
      expect([a.active(), b.active()]).to.deep.equal([1, 2]);
    });

    it('admits exactly max of many racing acquisitions across instances', async () => {
      const instances = await Promise.all([admissionOn(5), admissionOn(5), admissionOn(5)]);
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => instances[i % instances.length].acquire()),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(5);
    });

    it('keeps renewed leases past their lifetime and frees a vanished holder’s slots when they expire', async () => {
      const holder = await admissionOn(2, 300);
      await holder.acquire();
      await sleep(500); // renewed every 100 ms: still held
      await refused(await admissionOn(1, 300));

      // A holder that stops renewing (a crashed instance): its lease lapses on its own.
      const crashed = await admissionOn(2, 300);
      await crashed.acquire();
      (crashed as unknown as { stopRenewal(): void }).stopRenewal();
      const other = await admissionOn(2, 300);
      await refused(other);
      await sleep(450);
      await other.acquire();
      await refused(other); // the holder's slot is still taken
    });
  });
});
