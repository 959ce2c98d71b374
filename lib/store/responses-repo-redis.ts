// Stored Responses on Redis: every operation is one Lua script, so several gateway instances share one LRU.
import type { RedisClientType } from '@keyv/redis';
import { guard } from './repository.js';
import type { Evicted, ResponsesRepo, StoredResponse } from './responses-repo.js';

// KEYS: records (hash id -> json), lru (zset id -> logical clock), clock (counter), names (hash name -> id),
// links (hash id -> json array of the names pointing at it, so eviction finds them without a scan), sessions
// (hash id -> the key of the session it ran in), and one set of ids per session (KEYS[6] .. ':' .. session key).
const HELPERS = `
local rec, lru, clock, names, links, sessions = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local function drop(id)
  local session = redis.call('HGET', sessions, id)
  if session then
    redis.call('SREM', sessions .. ':' .. session, id)
    redis.call('HDEL', sessions, id)
  end
  local linked = redis.call('HGET', links, id)
  if linked then
    for _, name in ipairs(cjson.decode(linked)) do
      if redis.call('HGET', names, name) == id then redis.call('HDEL', names, name) end
    end
    redis.call('HDEL', links, id)
  end
  redis.call('ZREM', lru, id)
  return redis.call('HDEL', rec, id)
end
local function unlink(name, id)
  local linked = redis.call('HGET', links, id)
  if not linked then return end
  local kept = {}
  for _, other in ipairs(cjson.decode(linked)) do if other ~= name then table.insert(kept, other) end end
  if #kept == 0 then redis.call('HDEL', links, id) else redis.call('HSET', links, id, cjson.encode(kept)) end
end
local function link(name, id)
  local old = redis.call('HGET', names, name)
  if old == id then return end
  if old then unlink(name, old) end
  redis.call('HSET', names, name, id)
  local linked = redis.call('HGET', links, id)
  local list = linked and cjson.decode(linked) or {}
  table.insert(list, name)
  redis.call('HSET', links, id, cjson.encode(list))
end
`;

const SAVE = `${HELPERS}
local id, max = ARGV[1], tonumber(ARGV[3])
redis.call('HSET', rec, id, ARGV[2])
redis.call('ZADD', lru, redis.call('INCR', clock), id)
if ARGV[4] ~= '' then link(ARGV[4], id) end
redis.call('HSET', sessions, id, ARGV[5])
redis.call('SADD', sessions .. ':' .. ARGV[5], id)
local evicted = {}
local over = redis.call('ZCARD', lru) - max
if over > 0 then
  for _, victim in ipairs(redis.call('ZRANGE', lru, 0, over - 1)) do
    table.insert(evicted, victim)
    table.insert(evicted, redis.call('HGET', sessions, victim) or '')
    drop(victim)
  end
end
return evicted`;

const UPDATE = `${HELPERS}
if redis.call('HEXISTS', rec, ARGV[1]) == 0 then return 0 end
redis.call('HSET', rec, ARGV[1], ARGV[2])
return 1`;

const GET = `${HELPERS}
local value = redis.call('HGET', rec, ARGV[1])
if value then redis.call('ZADD', lru, redis.call('INCR', clock), ARGV[1]) end
return value`;

const DELETE = `${HELPERS}
if redis.call('HEXISTS', rec, ARGV[1]) == 0 and not redis.call('ZSCORE', lru, ARGV[1]) then return 0 end
drop(ARGV[1])
return 1`;

export class RedisResponsesRepo implements ResponsesRepo {
  private readonly keys: string[];

  constructor(
    private readonly client: RedisClientType,
    private readonly maxStored: number,
    prefix = 'agw:responses',
  ) {
    // One hash tag: all keys land in one cluster slot, as a multi-key script needs.
    const tag = `{${prefix}}`;
    this.keys = ['records', 'lru', 'clock', 'names', 'links', 'sessions'].map((part) => `${tag}:${part}`);
  }

  async save(record: StoredResponse, conversation?: string | null): Promise<Evicted[]> {
    const args = [
      record.response.id,
      JSON.stringify(record),
      String(this.maxStored),
      conversation ?? '',
      record.session.key,
    ];
    const flat = (await this.run(SAVE, args)) as string[];
    const evicted: Evicted[] = [];
    for (let i = 0; i < flat.length; i += 2) evicted.push({ id: flat[i], session: flat[i + 1] || null });
    return evicted;
  }

  idsOfSession(sessionKey: string): Promise<string[]> {
    return guard(this.client.sMembers(`${this.keys[5]}:${sessionKey}`));
  }

  async update(record: StoredResponse): Promise<boolean> {
    return (await this.run(UPDATE, [record.response.id, JSON.stringify(record)])) === 1;
  }

  async get(id: string): Promise<StoredResponse | undefined> {
    const value = (await this.run(GET, [id])) as string | null;
    return value ? (JSON.parse(value) as StoredResponse) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.run(DELETE, [id])) === 1;
  }

  async resolveConversation(name: string): Promise<string | undefined> {
    return (await guard(this.client.hGet(this.keys[3], name))) ?? undefined;
  }

  ids(): Promise<string[]> {
    return guard(this.client.zRange(this.keys[1], 0, -1));
  }

  private run(script: string, args: string[]): Promise<unknown> {
    return guard(this.client.eval(script, { keys: this.keys, arguments: args }) as Promise<unknown>);
  }
}
