// Sessions on Redis: the record is one string, the messages one list (a turn pushes what it adds), and two sorted
// sets by last activity (per owner for listing, global for retention). Each write is one Lua script.
import type { RedisClientType } from '@keyv/redis';
import { guard } from './repository.js';
import type { NumberedMessage, SessionMessage, SessionRow, SessionStore } from './session-store.js';

// KEYS: record, messages, owner index, activity index. ARGV: key, row json, last_active, from, messages…
const APPEND = `
local from = tonumber(ARGV[4])
if redis.call('LLEN', KEYS[2]) > from then
  if from == 0 then redis.call('DEL', KEYS[2]) else redis.call('LTRIM', KEYS[2], 0, from - 1) end
end
if #ARGV > 4 then redis.call('RPUSH', KEYS[2], unpack(ARGV, 5)) end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
return 1`;

const PUT = `
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
return 1`;

const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
return 1`;

const DELETE = `
local existed = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return existed`;

export class RedisSessionStore implements SessionStore {
  private readonly base: string;

  constructor(
    private readonly client: RedisClientType,
    prefix = '',
  ) {
    this.base = `${prefix}agw:sessions`;
  }

  async get(key: string): Promise<SessionRow | undefined> {
    const value = await guard(this.client.get(this.recordKey(key)));
    return value ? (JSON.parse(value) as SessionRow) : undefined;
  }

  async create(row: SessionRow): Promise<boolean> {
    return (await this.run(CREATE, row, [row.key, JSON.stringify(row), String(row.info.last_active)])) === 1;
  }

  async put(row: SessionRow): Promise<void> {
    await this.run(PUT, row, [row.key, JSON.stringify(row), String(row.info.last_active)]);
  }

  async append(row: SessionRow, from: number, messages: SessionMessage[]): Promise<void> {
    const args = [row.key, JSON.stringify(row), String(row.info.last_active), String(from)];
    await this.run(APPEND, row, [...args, ...messages.map((m) => JSON.stringify(m))]);
  }

  async messages(key: string, start: number, end: number): Promise<NumberedMessage[]> {
    if (end <= start) return [];
    const values = await guard(this.client.lRange(this.messagesKey(key), start, end - 1));
    return values.map((value, i) => ({ id: start + i + 1, ...(JSON.parse(value) as SessionMessage) }));
  }

  async list(owner: string): Promise<SessionRow[]> {
    const keys = await guard(this.client.zRange(this.ownerKey(owner), 0, -1, { REV: true }));
    if (keys.length === 0) return [];
    const values = await guard(this.client.mGet(keys.map((key) => this.recordKey(key))));
    return values.flatMap((value) => (value ? [JSON.parse(value) as SessionRow] : []));
  }

  async delete(key: string): Promise<boolean> {
    const row = await this.get(key);
    if (!row) return false;
    return (await this.run(DELETE, row, [key])) === 1;
  }

  async sweep(before: number): Promise<number> {
    const stale = await guard(this.client.zRangeByScore(this.activityKey(), '-inf', `(${before / 1000}`));
    let removed = 0;
    for (const key of stale) {
      const row = await this.get(key);
      if (row && !row.heldByResponses && (await this.delete(key))) removed++;
    }
    return removed;
  }

  private run(script: string, row: SessionRow, args: string[]): Promise<unknown> {
    const keys = [this.recordKey(row.key), this.messagesKey(row.key), this.ownerKey(row.owner), this.activityKey()];
    return guard(this.client.eval(script, { keys, arguments: args }) as Promise<unknown>);
  }

  private recordKey(key: string) {
    return `${this.base}:record:${key}`;
  }

  private messagesKey(key: string) {
    return `${this.base}:messages:${key}`;
  }

  private ownerKey(owner: string) {
    return `${this.base}:owner:${owner}`;
  }

  private activityKey() {
    return `${this.base}:activity`;
  }
}
