// The concurrency cap shared by every gateway instance on one Redis: a sorted set of leases scored by their
// expiry (Redis server time, so instance clocks never matter). Taking a slot drops expired leases, counts and
// adds atomically in one script; the holder renews its leases while it runs, so a crashed instance's slots
// come back once its leases expire (LEASE_MS: seconds, not minutes).
//
// A store outage leaves nothing behind: an acquire whose answer never came is undone by a ZREM sent right behind
// it on the same connection; a release that could not reach Redis is sent again as soon as the client is back; and
// the holder's renewal puts back the leases it still holds (a Redis that restarted empty counts them again).
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

// KEYS[1]: the lease set. ARGV: lease ms, then the ids this instance holds (put back if they expired meanwhile).
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

export interface RedisAdmissionOptions {
  /** How long a lease lives without renewal: a crashed instance's slots are free again after this. */
  leaseMs?: number;
  key?: string;
}

/** A lease not renewed for this long is free again (renewed every third of it). */
export const LEASE_MS = 10_000;

export class RedisAdmission implements Admission {
  private readonly leases = new Set<string>();
  /** Released leases Redis has not heard of yet (it was unreachable): removed once it is back. */
  private readonly unreleased = new Set<string>();
  private readonly onReady = () => this.flushReleases();
  private readonly leaseMs: number;
  private readonly key: string;
  private renewal: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: RedisClientType,
    readonly max: number,
    private readonly logger: Logger,
    options: RedisAdmissionOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? LEASE_MS;
    this.key = options.key ?? 'agw:admission:leases';
    redis.on('ready', this.onReady);
  }

  async acquire(): Promise<() => void> {
    const id = randomUUID();
    let admitted: unknown;
    try {
      admitted = await guard(
        this.redis.eval(ACQUIRE, { keys: [this.key], arguments: [String(this.leaseMs), String(this.max), id] }),
      );
    } catch (error) {
      // The script may still run (a lost reply, a stalled connection): this ZREM follows it on the same connection.
      this.remove([id]);
      throw error;
    }
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
      this.remove([id]);
    };
  }

  active(): number {
    return this.leases.size;
  }

  async dispose(): Promise<void> {
    this.stopRenewal();
    this.redis.off('ready', this.onReady);
    const ids = [...this.leases, ...this.unreleased];
    this.leases.clear();
    this.unreleased.clear();
    if (ids.length > 0) await this.redis.zRem(this.key, ids).catch(() => 0); // they expire anyway
  }

  /** ZREM now; when Redis cannot be reached, again once it is back (the lease would expire anyway). */
  private remove(ids: string[]): void {
    this.redis.zRem(this.key, ids).then(
      () => {
        for (const id of ids) this.unreleased.delete(id);
      },
      (error: Error) => {
        for (const id of ids) this.unreleased.add(id);
        this.logger.debug({ err: error.message }, 'admission lease not released yet; retried when the store is back');
      },
    );
  }

  private flushReleases(): void {
    if (this.unreleased.size > 0) this.remove([...this.unreleased]);
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
