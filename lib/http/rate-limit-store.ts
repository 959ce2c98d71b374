// Per-key admission state: a sliding one-minute window of admitted requests and a set of in-flight leases.
// In memory for one instance; in Redis, one Lua script per admission, so N instances enforce one limit.
import type { RedisClientType } from '@keyv/redis';

export interface Limits {
  /** Requests admitted per window; null = unlimited. */
  requests: number | null;
  /** Requests in flight at once; null = unlimited. */
  concurrent: number | null;
}

export type Admission =
  | { ok: true; remaining: number; resetMs: number }
  | { ok: false; reason: 'requests'; remaining: 0; resetMs: number; retryMs: number }
  | { ok: false; reason: 'concurrent'; remaining: number; resetMs: number; retryMs: number };

export interface RateLimitStore {
  /**
   * Admits one request for `key` if both limits allow it, atomically: a refused request consumes nothing. An
   * admitted one holds lease `leaseId` until `release` (or, in Redis, until the lease expires unrenewed).
   */
  admit(key: string, limits: Limits, leaseId: string): Promise<Admission>;
  renew(key: string, leaseId: string): Promise<void>;
  release(key: string, leaseId: string): Promise<void>;
}

export const WINDOW_MS = 60_000;
/** A lease outlives a crashed instance by at most this long; live requests renew it every third of it. */
export const LEASE_MS = 30_000;

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, number[]>();
  private readonly leases = new Map<string, Set<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  async admit(key: string, limits: Limits, leaseId: string): Promise<Admission> {
    const now = this.now();
    const window = (this.windows.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    const leases = this.leases.get(key) ?? new Set<string>();
    const resetOf = (times: number[]) => (times.length > 0 ? times[times.length - 1] + WINDOW_MS - now : 0);
    if (limits.concurrent !== null && leases.size >= limits.concurrent) {
      this.windows.set(key, window);
      const remaining = limits.requests === null ? 0 : limits.requests - window.length;
      return { ok: false, reason: 'concurrent', remaining, resetMs: resetOf(window), retryMs: 1000 };
    }
    if (limits.requests !== null && window.length >= limits.requests) {
      this.windows.set(key, window);
      return {
        ok: false,
        reason: 'requests',
        remaining: 0,
        resetMs: resetOf(window),
        retryMs: window[0] + WINDOW_MS - now,
      };
    }
    window.push(now);
    this.windows.set(key, window);
    leases.add(leaseId);
    this.leases.set(key, leases);
    const remaining = limits.requests === null ? 0 : limits.requests - window.length;
    return { ok: true, remaining, resetMs: resetOf(window) };
  }

  async renew(): Promise<void> {
    // Memory leases die with the process: nothing to keep alive.
  }

  async release(key: string, leaseId: string): Promise<void> {
    const leases = this.leases.get(key);
    leases?.delete(leaseId);
    if (leases?.size === 0) this.leases.delete(key);
  }
}

// KEYS[1]: window zset (score = admission time), KEYS[2]: lease zset (score = lease expiry).
// ARGV: requests limit (0 = none), concurrent limit (0 = none), window ms, lease ms, lease id.
// Time comes from the Redis server, so instances with skewed clocks still share one window.
const ADMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, maxc, win, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - win)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local count = redis.call('ZCARD', KEYS[1])
local function reset()
  local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if newest[2] then return tonumber(newest[2]) + win - now end
  return 0
end
if maxc > 0 and redis.call('ZCARD', KEYS[2]) >= maxc then
  return {0, 2, limit - count, reset(), 1000}
end
if limit > 0 and count >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, 1, 0, reset(), tonumber(oldest[2]) + win - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], win)
redis.call('ZADD', KEYS[2], now + lease, ARGV[5])
redis.call('PEXPIRE', KEYS[2], lease)
return {1, 0, limit - count - 1, reset(), 0}
`;

const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: RedisClientType,
    private readonly prefix = 'agw:rl',
  ) {}

  async admit(key: string, limits: Limits, leaseId: string): Promise<Admission> {
    const reply = (await this.redis.eval(ADMIT, {
      keys: [this.windowKey(key), this.leaseKey(key)],
      arguments: [
        String(limits.requests ?? 0),
        String(limits.concurrent ?? 0),
        String(WINDOW_MS),
        String(LEASE_MS),
        leaseId,
      ],
    })) as number[];
    const [ok, reason, remaining, resetMs, retryMs] = reply.map(Number);
    const left = limits.requests === null ? 0 : Math.max(0, remaining);
    if (ok === 1) return { ok: true, remaining: left, resetMs };
    if (reason === 1) return { ok: false, reason: 'requests', remaining: 0, resetMs, retryMs };
    return { ok: false, reason: 'concurrent', remaining: left, resetMs, retryMs };
  }

  async renew(key: string, leaseId: string): Promise<void> {
    await this.redis.eval(RENEW, { keys: [this.leaseKey(key)], arguments: [leaseId, String(LEASE_MS)] });
  }

  async release(key: string, leaseId: string): Promise<void> {
    await this.redis.zRem(this.leaseKey(key), leaseId);
  }

  // The braces are a Redis Cluster hash tag: both keys of one API key live in the same slot.
  private windowKey(key: string): string {
    return `${this.prefix}:{${key}}:window`;
  }
  private leaseKey(key: string): string {
    return `${this.prefix}:{${key}}:leases`;
  }
}
