// Scheduled jobs on Redis, shared by every gateway instance: records in one hash, the due times in a sorted set,
// one key per claimed occurrence. Every write is one Lua script (compare-and-set on the record's `rev`), and a
// claim is SET NX with a lease: exactly one instance confirms an occurrence, and only while its lease is alive.
import type { RedisClientType } from '@keyv/redis';
import { guard } from './repository.js';
import type { ClaimOutcome, ConfirmOutcome, JobChange, JobRecord, JobStore, StoredJob } from './job-store.js';

// KEYS: records (hash id -> json), due (zset id -> epoch ms). ARGV: id, json, due score ('' = not due).
const HELPERS = `
local function schedule(id, score)
  if score == '' then redis.call('ZREM', KEYS[2], id) else redis.call('ZADD', KEYS[2], score, id) end
end
`;

const CREATE = `${HELPERS}
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
schedule(ARGV[1], ARGV[3])
return 1`;

// ARGV: id, expected rev, json, due score. 1 written, 0 someone else wrote first, -1 gone.
const UPDATE = `${HELPERS}
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return -1 end
if cjson.decode(current).rev ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
schedule(ARGV[1], ARGV[4])
return 1`;

const DELETE = `
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('HDEL', KEYS[1], ARGV[1])`;

// KEYS[1]: the occurrence's claim. ARGV: owner, lease ms.
const CLAIM = `
local held = redis.call('GET', KEYS[1])
if not held then
  redis.call('SET', KEYS[1], 'lease:' .. ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if held == 'lease:' .. ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 'claimed'
end
if string.sub(held, 1, 8) == 'started:' then return 'started' end
return 'held'`;

const RENEW = `
if redis.call('GET', KEYS[1]) ~= 'lease:' .. ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == 'lease:' .. ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

// KEYS: records, due, claim. ARGV: owner, keep ms, id, expected rev, json, due score.
const CONFIRM = `${HELPERS}
if redis.call('GET', KEYS[3]) ~= 'lease:' .. ARGV[1] then return 'lost' end
local current = redis.call('HGET', KEYS[1], ARGV[3])
if not current then
  redis.call('DEL', KEYS[3])
  return 'gone'
end
if cjson.decode(current).rev ~= tonumber(ARGV[4]) then return 'conflict' end
redis.call('SET', KEYS[3], 'started:' .. ARGV[1], 'PX', ARGV[2])
redis.call('HSET', KEYS[1], ARGV[3], ARGV[5])
schedule(ARGV[3], ARGV[6])
return 'confirmed'`;

/** How often a compare-and-set is retried against concurrent writers before giving up (store_unavailable). */
const MAX_ATTEMPTS = 50;

export class RedisJobStore implements JobStore {
  private readonly tag: string;
  private readonly keys: [string, string];

  constructor(
    private readonly client: RedisClientType,
    prefix: string,
  ) {
    // One hash tag: every key of the jobs lands in one cluster slot, as a multi-key script needs.
    this.tag = `{${prefix}}`;
    this.keys = [`${this.tag}:records`, `${this.tag}:due`];
  }

  async create(record: StoredJob): Promise<boolean> {
    const stored = { ...record, rev: 1 };
    return (await this.run(CREATE, this.keys, [record.job.id, JSON.stringify(stored), score(stored)])) === 1;
  }

  async get(id: string): Promise<StoredJob | undefined> {
    const value = await guard(this.client.hGet(this.keys[0], id));
    return value ? (JSON.parse(value) as StoredJob) : undefined;
  }

  async list(): Promise<StoredJob[]> {
    const values = await guard(this.client.hVals(this.keys[0]));
    return values.map((value) => JSON.parse(value) as StoredJob);
  }

  async due(now: number): Promise<StoredJob[]> {
    const ids = await guard(this.client.zRangeByScore(this.keys[1], '-inf', now));
    if (ids.length === 0) return [];
    const values = await guard(this.client.hmGet(this.keys[0], ids));
    return values.filter((value): value is string => !!value).map((value) => JSON.parse(value) as StoredJob);
  }

  async update(id: string, change: JobChange): Promise<StoredJob | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      if (!current) return undefined;
      const next = change(structuredClone(current));
      if (!next) return current;
      const stored = { ...next, rev: current.rev + 1 };
      const written = await this.run(UPDATE, this.keys, [
        id,
        String(current.rev),
        JSON.stringify(stored),
        score(stored),
      ]);
      if (written === 1) return stored;
      if (written === -1) return undefined;
    }
    throw contention(id);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.run(DELETE, this.keys, [id])) === 1;
  }

  async claim(id: string, occurrence: string, owner: string, leaseMs: number): Promise<ClaimOutcome> {
    return (await this.run(CLAIM, [this.claimKey(id, occurrence)], [owner, String(leaseMs)])) as ClaimOutcome;
  }

  async renew(id: string, occurrence: string, owner: string, leaseMs: number): Promise<boolean> {
    return (await this.run(RENEW, [this.claimKey(id, occurrence)], [owner, String(leaseMs)])) === 1;
  }

  async release(id: string, occurrence: string, owner: string): Promise<void> {
    await this.run(RELEASE, [this.claimKey(id, occurrence)], [owner]);
  }

  async confirm(
    id: string,
    occurrence: string,
    owner: string,
    keepMs: number,
    change: JobChange,
  ): Promise<ConfirmOutcome> {
    const keys = [...this.keys, this.claimKey(id, occurrence)];
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      if (!current) {
        await this.release(id, occurrence, owner);
        return { outcome: 'gone' };
      }
      const next = change(structuredClone(current));
      if (!next) {
        await this.release(id, occurrence, owner);
        return { outcome: 'declined', record: current };
      }
      const stored = { ...next, rev: current.rev + 1 };
      const args = [owner, String(keepMs), id, String(current.rev), JSON.stringify(stored), score(stored)];
      const outcome = (await this.run(CONFIRM, keys, args)) as string;
      if (outcome === 'confirmed') return { outcome, record: stored };
      if (outcome === 'lost' || outcome === 'gone') return { outcome };
      // 'conflict': the record changed since it was read; read it again and re-apply the change.
    }
    throw contention(id);
  }

  private claimKey(id: string, occurrence: string): string {
    return `${this.tag}:claim:${id}:${occurrence}`;
  }

  private run(script: string, keys: string[], args: string[]): Promise<unknown> {
    return guard(this.client.eval(script, { keys, arguments: args }) as Promise<unknown>);
  }
}

/** Whether a stored job waits to fire, and when (epoch ms). */
export function dueAt(job: JobRecord): number | null {
  if (!job.enabled || !job.next_run_at) return null;
  const at = Date.parse(job.next_run_at);
  return Number.isNaN(at) ? null : at;
}

function score(record: StoredJob): string {
  const at = dueAt(record.job);
  return at === null ? '' : String(at);
}

function contention(id: string): Error {
  return new Error(`job ${id}: too many concurrent writes`);
}
