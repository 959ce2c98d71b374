// Durable Idempotency-Key records for POST /v1/runs (reference §6.2): reserved atomically, kept 24 h once the run is
// recorded. Redis: SET NX on the raw client (atomic across instances). SQLite/memory: Keyv behind an in-process lock.
//
// A reservation lives only PENDING_TTL_MS until the run it names is recorded (`updateStatus`, called by the run's
// submission, turns it into the 24 h record). So a reservation whose request failed (the store went away between the
// reservation and the run's record, a reply that never came back) is gone within seconds even when it could not be
// released: a retry with the same key then starts the run, never replays one that does not exist.
import { createHash } from 'node:crypto';
import type { RedisClientType } from '@keyv/redis';
import type { Store } from './keyv.js';
import { guard, Repository } from './repository.js';

export interface IdempotencyRecord {
  fingerprint: string;
  runId: string;
  /** The run's last known status (kept current on settle, so a replay after the status expired still answers). */
  status: string;
  createdAt: number;
  updatedAt: number;
  /** The key of the session the run ran in: deleting the session forgets its runs' keys. */
  session?: string;
}

export type Reservation = { outcome: 'reserved' } | { outcome: 'existing'; record: IdempotencyRecord };

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** How long a reservation waits for its run to be recorded. */
export const PENDING_TTL_MS = 10_000;

export interface RunIdempotencyRepo {
  /** Stores `record` under (scope, key) unless a record is there already, which is then returned. */
  reserve(scope: string, key: string, record: IdempotencyRecord): Promise<Reservation>;
  /** Records the run's latest status; restarts the 24 h clock (the first call confirms the reservation). */
  updateStatus(scope: string, key: string, runId: string, status: string): Promise<void>;
  /** Drops a reservation whose run never started (e.g. refused by the concurrency cap). */
  release(scope: string, key: string, runId: string): Promise<void>;
  /** Forgets the keys of every run of a session (the session was deleted); resolves with how many. */
  forgetSession(sessionKey: string): Promise<number>;
}

export function createRunIdempotencyRepo(
  store: Store,
  ttlMs = IDEMPOTENCY_TTL_MS,
  pendingTtlMs = PENDING_TTL_MS,
): RunIdempotencyRepo {
  return store.redis
    ? new RedisIdempotencyRepo(store.redis, ttlMs, pendingTtlMs)
    : new KeyvIdempotencyRepo(store, ttlMs, pendingTtlMs);
}

/** The stored key: neither the API key nor the client's Idempotency-Key is kept in clear. */
export function idempotencySlot(scope: string, key: string): string {
  return `${scope}:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

class KeyvIdempotencyRepo implements RunIdempotencyRepo {
  private readonly repo: Repository<IdempotencyRecord>;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    store: Store,
    private readonly ttlMs: number,
    private readonly pendingTtlMs: number,
  ) {
    this.repo = new Repository<IdempotencyRecord>(store, 'run_idempotency', ttlMs);
  }

  reserve(scope: string, key: string, record: IdempotencyRecord): Promise<Reservation> {
    const slot = idempotencySlot(scope, key);
    return this.locked(slot, async () => {
      const existing = await this.repo.get(slot);
      if (existing) return { outcome: 'existing', record: existing } as const;
      await this.repo.set(slot, record, this.pendingTtlMs);
      return { outcome: 'reserved' } as const;
    });
  }

  updateStatus(scope: string, key: string, runId: string, status: string): Promise<void> {
    const slot = idempotencySlot(scope, key);
    return this.locked(slot, async () => {
      const existing = await this.repo.get(slot);
      if (existing?.runId === runId) {
        await this.repo.set(slot, { ...existing, status, updatedAt: Date.now() }, this.ttlMs);
      }
    });
  }

  release(scope: string, key: string, runId: string): Promise<void> {
    const slot = idempotencySlot(scope, key);
    return this.locked(slot, async () => {
      const existing = await this.repo.get(slot);
      if (existing?.runId === runId) await this.repo.delete(slot);
    });
  }

  async forgetSession(sessionKey: string): Promise<number> {
    const keyv = this.repo.keyv;
    if (!keyv.iterator) return 0;
    const slots: string[] = [];
    // A scan, on a deletion only: records are not indexed by session.
    const scan = async () => {
      for await (const [slot, record] of keyv.iterator!(undefined)) {
        if ((record as IdempotencyRecord | undefined)?.session === sessionKey) slots.push(String(slot));
      }
    };
    await guard(scan());
    for (const slot of slots) await this.locked(slot, () => this.repo.delete(slot));
    return slots.length;
  }

  /** One read-then-write at a time per slot; enough for one process owning the SQLite file. */
  private locked<R>(slot: string, work: () => Promise<R>): Promise<R> {
    const previous = this.locks.get(slot) ?? Promise.resolve();
    const mine = previous.then(work, work);
    const tail = mine.catch(() => undefined);
    this.locks.set(slot, tail);
    void tail.then(() => {
      if (this.locks.get(slot) === tail) this.locks.delete(slot);
    });
    return mine;
  }
}

// KEYS[1]: the record. ARGV: the run id, then (update only) the new status, the time and the TTL in ms.
// Compare-and-set / compare-and-delete on the run id, in one command: no read-then-write window between instances.
const UPDATE = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local record = cjson.decode(raw)
if record.runId ~= ARGV[1] then return 0 end
record.status = ARGV[2]
record.updatedAt = tonumber(ARGV[3])
redis.call('SET', KEYS[1], cjson.encode(record), 'PX', ARGV[4])
return 1
`;
const RELEASE = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
if cjson.decode(raw).runId ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
`;

class RedisIdempotencyRepo implements RunIdempotencyRepo {
  constructor(
    private readonly redis: RedisClientType,
    private readonly ttlMs: number,
    private readonly pendingTtlMs: number,
  ) {}

  private keyOf(scope: string, key: string): string {
    return `agw:run_idempotency:${idempotencySlot(scope, key)}`;
  }

  async reserve(scope: string, key: string, record: IdempotencyRecord): Promise<Reservation> {
    const name = this.keyOf(scope, key);
    let set: string | null;
    try {
      set = await guard(this.redis.set(name, JSON.stringify(record), { NX: true, PX: this.pendingTtlMs }));
    } catch (error) {
      // The SET may still reach Redis (a reply lost, a stalled connection): undo it right behind it, on the same
      // connection, so it cannot outlive the request it was made for. Its pending TTL covers the rest.
      this.redis
        .eval(RELEASE, { keys: [name], arguments: [record.runId] })
        .catch(() => undefined /* the pending TTL expires it anyway */);
      throw error;
    }
    if (set === 'OK') return { outcome: 'reserved' };
    const raw = await guard(this.redis.get(name));
    // Expired between SET and GET: take it now.
    if (raw === null) return this.reserve(scope, key, record);
    return { outcome: 'existing', record: JSON.parse(String(raw)) as IdempotencyRecord };
  }

  async updateStatus(scope: string, key: string, runId: string, status: string): Promise<void> {
    await guard(
      this.redis.eval(UPDATE, {
        keys: [this.keyOf(scope, key)],
        arguments: [runId, status, String(Date.now()), String(this.ttlMs)],
      }),
    );
  }

  async release(scope: string, key: string, runId: string): Promise<void> {
    await guard(this.redis.eval(RELEASE, { keys: [this.keyOf(scope, key)], arguments: [runId] }));
  }

  async forgetSession(sessionKey: string): Promise<number> {
    // A scan, on a deletion only: records are not indexed by session.
    const names: string[] = [];
    const scan = async () => {
      for await (const batch of this.redis.scanIterator({ MATCH: 'agw:run_idempotency:*', COUNT: 500 })) {
        for (const name of ([] as string[]).concat(batch)) {
          const raw = await this.redis.get(name);
          if (raw && (JSON.parse(String(raw)) as IdempotencyRecord).session === sessionKey) names.push(name);
        }
      }
    };
    await guard(scan(), 10_000);
    if (names.length > 0) await guard(this.redis.del(names));
    return names.length;
  }
}
