// Session ownership on a shared Redis: one key per conversation naming the instance that holds its live agent
// session and the URL it is reached at (`<instance> <url>`). An owner counts while its heartbeat (the runs'
// instance presence, instances.ownershipTtlSeconds) lives: a crashed owner's conversations are taken over once it
// stops beating, or at once when it does not answer a forwarded turn. The key itself expires when no turn touched it
// for longer than a live session may idle, and the owner deletes it when its live session is evicted or dropped.
import type { RedisClientType } from '@keyv/redis';
import type { Logger } from '../log.js';
import { guard } from '../store/repository.js';
import type { OwnerRoute, SessionOwnership } from './session-ownership.js';

// KEYS[1]: the conversation's owner key. ARGV: this instance's value, ttl ms. Returns '' when the turn runs here
// (nobody owned it, or this instance does: claimed or renewed), else the owner's value.
const ROUTE = `
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] then return owner end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ''
`;

// KEYS[1]: the owner key. ARGV: this instance's value, ttl ms, the value of the owner being replaced. Returns ''
// when this instance took it over (or nobody held it any more), else the value of whoever holds it now.
const TAKE_OVER = `
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] and owner ~= ARGV[3] then return owner end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ''
`;

// KEYS: owner keys. ARGV[1]: this instance's value. Deletes those still naming this instance.
const RELEASE = `
local n = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then n = n + redis.call('DEL', KEYS[i]) end
end
return n
`;

export interface RedisSessionOwnershipOptions {
  redis: RedisClientType;
  /** The store's key prefix (profiles sharing one Redis). */
  prefix: string;
  /** This instance's id: the one its heartbeat and its runs carry. */
  instance: string;
  /** Whether an instance still beats (InstancePresence). */
  isAlive(instance: string): Promise<boolean>;
  /** How long a claim lives without a turn: longer than a live session may stay idle (it is evicted by then). */
  claimTtlMs: number;
  logger: Logger;
}

interface Owner {
  instance: string;
  url: string;
}

const LOCAL: OwnerRoute = { kind: 'local' };

export class RedisSessionOwnership implements SessionOwnership {
  readonly shared = true;
  /** `<instance> <url>` once the URL is known. */
  private value: string | null = null;
  /** The conversations this instance claimed and still holds, to give them up when it drains. */
  private readonly held = new Set<string>();
  private readonly base: string;

  constructor(private readonly options: RedisSessionOwnershipOptions) {
    this.base = `${options.prefix}agw:session_owner:`;
  }

  advertise(url: string): void {
    this.value = `${this.options.instance} ${url.replace(/\/+$/, '')}`;
  }

  async route(key: string): Promise<OwnerRoute> {
    const { value } = this;
    if (value === null) return LOCAL;
    const answer = String(await this.eval(ROUTE, [this.keyOf(key)], [value, String(this.options.claimTtlMs)]));
    if (answer === '') return this.claimed(key);
    const owner = parse(answer);
    if (owner && (await this.options.isAlive(owner.instance))) return { kind: 'forward', ...owner };
    // Its heartbeat is gone (or the record is unreadable): the conversation is ours now, unless someone was faster.
    const route = await this.takeOver(key, owner?.instance ?? '', answer);
    return route.kind === 'local' ? { kind: 'local', takenFrom: owner?.instance ?? 'unknown' } : route;
  }

  async takeOver(key: string, from: string, fromValue?: string): Promise<OwnerRoute> {
    const { value } = this;
    if (value === null) return LOCAL;
    const replaced = fromValue ?? (await this.valueOf(key, from));
    const args = [value, String(this.options.claimTtlMs), replaced ?? ''];
    const answer = String(await this.eval(TAKE_OVER, [this.keyOf(key)], args));
    if (answer === '') return this.claimed(key);
    const owner = parse(answer);
    // Another instance took it over first: the turn goes there (its heartbeat is fresh, it just claimed).
    return owner ? { kind: 'forward', ...owner } : this.claimed(key);
  }

  async claim(key: string): Promise<void> {
    const { value } = this;
    if (value === null) return;
    this.held.add(key);
    await guard(this.options.redis.set(this.keyOf(key), value, { PX: this.options.claimTtlMs }));
  }

  async renew(key: string): Promise<void> {
    const { value } = this;
    if (value === null) return;
    const answer = await this.eval(ROUTE, [this.keyOf(key)], [value, String(this.options.claimTtlMs)]);
    if (answer === '') this.held.add(key);
  }

  release(key: string): void {
    if (!this.held.delete(key) || this.value === null) return;
    this.eval(RELEASE, [this.keyOf(key)], [this.value]).catch((error: unknown) =>
      this.options.logger.warn({ err: (error as Error).message }, 'could not release a session claim; it expires'),
    );
  }

  async withdraw(): Promise<void> {
    const keys = [...this.held].map((key) => this.keyOf(key));
    this.held.clear();
    if (this.value === null || keys.length === 0) return;
    // One script per batch: a cluster-free Redis takes any keys in one call, and a drain is no time for 10k calls.
    for (let i = 0; i < keys.length; i += 500) {
      await this.eval(RELEASE, keys.slice(i, i + 500), [this.value]).catch((error: unknown) =>
        this.options.logger.warn({ err: (error as Error).message }, 'could not give session claims up; they expire'),
      );
    }
  }

  private claimed(key: string): OwnerRoute {
    this.held.add(key);
    return LOCAL;
  }

  /** The stored value naming `instance`, when it still does. */
  private async valueOf(key: string, instance: string): Promise<string | null> {
    const current = await guard(this.options.redis.get(this.keyOf(key)));
    return current && parse(current)?.instance === instance ? current : null;
  }

  private keyOf(key: string): string {
    return this.base + key;
  }

  private eval(script: string, keys: string[], args: string[]): Promise<unknown> {
    return guard(this.options.redis.eval(script, { keys, arguments: args }) as Promise<unknown>);
  }
}

function parse(value: string): Owner | null {
  const space = value.indexOf(' ');
  if (space <= 0 || space === value.length - 1) return null;
  return { instance: value.slice(0, space), url: value.slice(space + 1) };
}
