// Which runs each scope started, newest first (GET /v1/runs): the ids only, the records stay in RunStatusStore.
// Redis keeps one sorted set per scope (score = creation time), so every instance adds to and reads one index;
// memory and SQLite keep one capped list per scope in the store, changed by one writer at a time (one process
// per store there, as everywhere in the gateway).
import type { RedisClientType } from '@keyv/redis';
import type { Store } from '../../store/keyv.js';
import { guard, Repository } from '../../store/repository.js';

/** The runs an index keeps per scope; older ones drop out (their status may still be read by id). */
export const RUN_INDEX_LIMIT = 200;

export interface RunIndex {
  add(scope: string, runId: string, createdAt: number): Promise<void>;
  /** The newest `limit` run ids of the scope, newest first. */
  recent(scope: string, limit: number): Promise<string[]>;
}

/** `ttlMs`: how long an index lives after its last addition (its runs' records are gone by then too). */
export function createRunIndex(store: Store, ttlMs: number): RunIndex {
  return store.redis
    ? new RedisRunIndex(store.redis, `${store.prefix}agw:run_index:`, ttlMs)
    : new StoreRunIndex(store, ttlMs);
}

// KEYS: the scope's set. ARGV: run id, created at, limit, ttl ms.
const ADD = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -1 - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

class RedisRunIndex implements RunIndex {
  constructor(
    private readonly redis: RedisClientType,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async add(scope: string, runId: string, createdAt: number): Promise<void> {
    const args = [runId, String(createdAt), String(RUN_INDEX_LIMIT), String(this.ttlMs)];
    await guard(this.redis.eval(ADD, { keys: [this.prefix + scope], arguments: args }));
  }

  recent(scope: string, limit: number): Promise<string[]> {
    return guard(this.redis.zRange(this.prefix + scope, 0, limit - 1, { REV: true }));
  }
}

type Entry = [runId: string, createdAt: number];

class StoreRunIndex implements RunIndex {
  private readonly lists: Repository<Entry[]>;
  /** The write in progress per scope: a read-modify-write must not lose a concurrent one's run. */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    store: Store,
    private readonly ttlMs: number,
  ) {
    this.lists = new Repository<Entry[]>(store, 'run_index');
  }

  add(scope: string, runId: string, createdAt: number): Promise<void> {
    const previous = this.writing.get(scope) ?? Promise.resolve();
    const write = previous
      .catch(() => undefined) // the earlier write's caller saw its failure; this one starts afresh
      .then(async () => {
        const entries = ((await this.lists.get(scope)) ?? []).filter(([id]) => id !== runId);
        entries.push([runId, createdAt]);
        entries.sort((a, b) => b[1] - a[1]);
        await this.lists.set(scope, entries.slice(0, RUN_INDEX_LIMIT), this.ttlMs);
      });
    this.writing.set(scope, write);
    void write.finally(() => {
      if (this.writing.get(scope) === write) this.writing.delete(scope);
    });
    return write;
  }

  async recent(scope: string, limit: number): Promise<string[]> {
    await this.writing.get(scope)?.catch(() => undefined); // read after the write in progress, never before it
    return ((await this.lists.get(scope)) ?? []).slice(0, limit).map(([runId]) => runId);
  }
}
