// The concurrency cap shared by every gateway instance on one Redis: a sorted set of leases scored by their
// expiry (Redis server time, so instance clocks never matter). Taking a slot drops expired leases, counts and
// adds atomically in one script; the holder renews its leases while it runs, so a crashed instance's slots
// come back once its leases expire.
import { randomUUID } from 'node:crypto';
import type { RedisClientType } from '@keyv/redis';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { guard } from '../store/repository.js';
import type { Admission } from './admission.js';

// KEYS[1]: the lease set. ARGV: lease ms, max, lease id. Returns 1 when admitted, else 0.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

// KEYS[1]: the lease set. ARGV: lease ms, then the ids to renew (only those still there: XX).
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

export interface RedisAdmissionOptions {
  /** How long a lease lives without renewal: a crashed instance's slots are free again after this. */
  leaseMs?: number;
  key?: string;
}

export class RedisAdmission implements Admission {
  private readonly leases = new Set<string>();
  private readonly leaseMs: number;
  private readonly key: string;
  private renewal: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: RedisClientType,
    readonly max: number,
    private readonly logger: Logger,
    options: RedisAdmissionOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.key = options.key ?? 'agw:admission:leases';
  }

  async acquire(): Promise<() => void> {
    const id = randomUUID();
    const admitted = await guard(
      this.redis.eval(ACQUIRE, { keys: [this.key], arguments: [String(this.leaseMs), String(this.max), id] }),
    );
    if (Number(admitted) !== 1) throw GatewayError.tooManyRuns(this.max);
    this.leases.add(id);
    this.renewal ??= setInterval(() => this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.renewal.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.leases.delete(id);
      if (this.leases.size === 0) this.stopRenewal();
      // The slot is free for this process at once; elsewhere once Redis hears it (or the lease expires).
      this.redis.zRem(this.key, id).catch((error: Error) => {
        this.logger.warn({ err: error.message }, 'admission lease not released; it expires on its own');
      });
    };
  }

  active(): number {
    return this.leases.size;
  }

  async dispose(): Promise<void> {
    this.stopRenewal();
    const ids = [...this.leases];
    this.leases.clear();
    if (ids.length > 0) await this.redis.zRem(this.key, ids).catch(() => 0); // they expire anyway
  }

  private renew(): void {
    if (this.leases.size === 0) return;
    this.redis
      .eval(RENEW, { keys: [this.key], arguments: [String(this.leaseMs), ...this.leases] })
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'admission leases not renewed'));
  }

  private stopRenewal(): void {
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = null;
  }
}
