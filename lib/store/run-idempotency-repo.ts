// Durable Idempotency-Key records for POST /v1/runs (reference §6.2): reserved atomically, kept 24 h.
// Redis: SET NX on the raw client (atomic across instances). SQLite/memory: Keyv behind an in-process lock.
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
}

export type Reservation = { outcome: 'reserved' } | { outcome: 'existing'; record: IdempotencyRecord };

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export interface RunIdempotencyRepo {
  /** Stores `record` under (scope, key) unless a record is there already, which is then returned. */
  reserve(scope: string, key: string, record: IdempotencyRecord): Promise<Reservation>;
  /** Records the run's latest status; restarts the 24 h clock. */
  updateStatus(scope: string, key: string, runId: string, status: string): Promise<void>;
  /** Drops a reservation whose run never started (e.g. refused by the concurrency cap). */
  release(scope: string, key: string, runId: string): Promise<void>;
}

export function createRunIdempotencyRepo(store: Store, ttlMs = IDEMPOTENCY_TTL_MS): RunIdempotencyRepo {
  return store.redis ? new RedisIdempotencyRepo(store.redis, ttlMs) : new KeyvIdempotencyRepo(store, ttlMs);
}

/** The stored key: neither the API key nor the client's Idempotency-Key is kept in clear. */
export function idempotencySlot(scope: string, key: string): string {
  return `${scope}:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

class KeyvIdempotencyRepo implements RunIdempotencyRepo {
  private readonly repo: Repository<IdempotencyRecord>;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(store: Store, ttlMs: number) {
    this.repo = new Repository<IdempotencyRecord>(store, 'run_idempotency', ttlMs);
  }

  reserve(scope: string, key: string, record: IdempotencyRecord): Promise<Reservation> {
    const slot = idempotencySlot(scope, key);
    return this.locked(slot, async () => {
      const existing = await this.repo.get(slot);
      if (existing) return { outcome: 'existing', record: existing } as const;
      await this.repo.set(slot, record);
      return { outcome: 'reserved' } as const;
    });
  }

  updateStatus(scope: string, key: string, runId: string, status: string): Promise<void> {
    const slot = idempotencySlot(scope, key);
    return this.locked(slot, async () => {
      const existing = await this.repo.get(slot);
      if (existing?.runId === runId) await this.repo.set(slot, { ...existing, status, updatedAt: Date.now() });
    });
  }

  release(scope: string, key: string, runId: string): Promise<void> {
    const slot = idempotencySlot(scope, key);
    return this.locked(slot, async () => {
      const existing = await this.repo.get(slot);
      if (existing?.runId === runId) await this.repo.delete(slot);
    });
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

class RedisIdempotencyRepo implements RunIdempotencyRepo {
  constructor(
    private readonly redis: RedisClientType,
    private readonly ttlMs: number,
  ) {}

  private keyOf(scope: string, key: string): string {
    return `agw:run_idempotency:${idempotencySlot(scope, key)}`;
  }

  async reserve(scope: string, key: string, record: IdempotencyRecord): Promise<Reservation> {
    const name = this.keyOf(scope, key);
    const set = await guard(this.redis.set(name, JSON.stringify(record), { NX: true, PX: this.ttlMs }));
    if (set === 'OK') return { outcome: 'reserved' };
    const raw = await guard(this.redis.get(name));
    // Expired between SET and GET: take it now.
    if (raw === null) return this.reserve(scope, key, record);
    return { outcome: 'existing', record: JSON.parse(String(raw)) as IdempotencyRecord };
  }

  async updateStatus(scope: string, key: string, runId: string, status: string): Promise<void> {
    const name = this.keyOf(scope, key);
    const raw = await guard(this.redis.get(name));
    if (raw === null) return;
    const record = JSON.parse(String(raw)) as IdempotencyRecord;
    if (record.runId !== runId) return;
    await guard(this.redis.set(name, JSON.stringify({ ...record, status, updatedAt: Date.now() }), { PX: this.ttlMs }));
  }

  async release(scope: string, key: string, runId: string): Promise<void> {
    const name = this.keyOf(scope, key);
    const raw = await guard(this.redis.get(name));
    if (raw !== null && (JSON.parse(String(raw)) as IdempotencyRecord).runId === runId)
      await guard(this.redis.del(name));
  }
}
