// Sessions (reference §8): one record per conversation plus its messages, appended and never rewritten, so a
// turn's write cost does not grow with the conversation. Redis: a list per session; Keyv (memory,
// SQLite): one entry per message, keyed by its position.
import type { Store } from './keyv.js';
import { guard, Repository } from './repository.js';
import { RedisSessionStore } from './session-store-redis.js';

/** The public fields of a session, in the reference's order (§8); the API emits those that are set. */
export interface SessionInfo {
  id: string;
  source: string;
  user_id?: string | null;
  model: string | null;
  title: string | null;
  started_at: number;
  ended_at: number | null;
  end_reason: string | null;
  message_count: number;
  tool_call_count: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  parent_session_id: string | null;
  last_active: number;
  preview: string | null;
  pinned: boolean;
  archived: boolean;
  hidden: boolean;
  unread?: boolean;
}

export interface SessionRow {
  /** `<owner>:<id>`: what the engine locks and keeps live sessions under. */
  key: string;
  /** Who may see it: the key's scope, narrowed by X-Hermes-Session-Key. */
  owner: string;
  info: SessionInfo;
  /** The agent the conversation runs on (null until its first turn). */
  agentId: string | null;
  systemPrompt: string | null;
  modelConfig: Record<string, unknown> | null;
  /** Digest chain over the transcript (user and final assistant texts), to match a stateless client's history. */
  digest: string;
  /** How many transcript messages the digest covers. */
  transcriptLength: number;
  /** Changes on every turn written; a live agent session continues only the revision it wrote itself. */
  revision: string | null;
  /** The agent's own session id of the last turn (to resume it later). */
  agentSessionId: string | null;
  /** Opened by a Responses chain (no session id named): removed with the last stored response that ran in it. */
  heldByResponses?: boolean;
}

export interface ToolCallRef {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One stored message (reference §8 message keys); `id` is its 1-based position, assigned on read. */
export interface SessionMessage {
  role: 'user' | 'assistant' | 'tool' | 'system';
  content: string;
  tool_call_id?: string;
  tool_calls?: ToolCallRef[];
  tool_name?: string;
  timestamp: number;
  finish_reason?: string | null;
  reasoning?: string | null;
}

export interface NumberedMessage extends SessionMessage {
  id: number;
}

export interface SessionStore {
  get(key: string): Promise<SessionRow | undefined>;
  /** Writes a new session; false (nothing written) when the key is taken. */
  create(row: SessionRow): Promise<boolean>;
  /** Replaces a session's record, never its messages. */
  put(row: SessionRow): Promise<void>;
  /**
   * Appends messages after the `from` already stored and writes the record (whose counts include them).
   * `from` is the count the caller read; what is stored beyond it (an abandoned write) is overwritten.
   * `stored`, when the caller knows it, is how many messages the session holds now (saves reading the record).
   */
  append(row: SessionRow, from: number, messages: SessionMessage[], stored?: number): Promise<void>;
  /** Messages [start, end) by position (0-based). */
  messages(key: string, start: number, end: number): Promise<NumberedMessage[]>;
  /** Every session of an owner, most recently active first. */
  list(owner: string): Promise<SessionRow[]>;
  /** Removes a session and its messages; false when there was none. */
  delete(key: string): Promise<boolean>;
  /**
   * Removes sessions idle since before `before` (ms epoch); resolves with how many. A session held by stored
   * responses is not swept: it goes with the last of them (their own retention).
   */
  sweep(before: number): Promise<number>;
}

export const sessionKeyOf = (owner: string, id: string): string => `${owner}:${id}`;

/** The owner and id a key was made of (owners never contain ':'). */
export function parseSessionKey(key: string): { owner: string; id: string } {
  const at = key.indexOf(':');
  return { owner: key.slice(0, at), id: key.slice(at + 1) };
}

export function createSessionStore(store: Store): SessionStore {
  return store.redis ? new RedisSessionStore(store.redis, store.prefix) : new KeyvSessionStore(store);
}

const messageKey = (key: string, index: number) => `${key}#${index}`;
const range = (start: number, end: number) => Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);

/** Memory and SQLite: one process owns the data; the engine serialises turns per session. */
class KeyvSessionStore implements SessionStore {
  private readonly rows: Repository<SessionRow>;
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
    this.rows = new Repository<SessionRow>(store, 'sessions');
  }

  private get lines() {
    return this.store.namespace<SessionMessage>('session-messages');
  }

  get(key: string): Promise<SessionRow | undefined> {
    return this.rows.get(key);
  }

  async create(row: SessionRow): Promise<boolean> {
    if (await this.rows.has(row.key)) return false;
    await this.rows.set(row.key, row);
    return true;
  }

  put(row: SessionRow): Promise<void> {
    return this.rows.set(row.key, row);
  }

  async append(row: SessionRow, from: number, messages: SessionMessage[], known?: number): Promise<void> {
    const end = from + messages.length;
    const stored = known ?? (await this.rows.get(row.key))?.info.message_count ?? 0;
    // A rewrite shorter than what is stored: the tail goes, nothing of the old conversation is left behind.
    if (stored > end) await guard(this.lines.deleteMany(range(end, stored).map((i) => messageKey(row.key, i))));
    // Messages first: a record never counts a message that is not stored.
    if (messages.length > 0) {
      await guard(this.lines.setMany(messages.map((value, i) => ({ key: messageKey(row.key, from + i), value }))));
    }
    await this.rows.set(row.key, row);
  }

  async messages(key: string, start: number, end: number): Promise<NumberedMessage[]> {
    const positions = range(start, end);
    if (positions.length === 0) return [];
    const values = await guard(this.lines.getMany(positions.map((i) => messageKey(key, i))));
    const found: NumberedMessage[] = [];
    values.forEach((value, i) => {
      if (value) found.push({ id: positions[i] + 1, ...value });
    });
    return found;
  }

  async list(owner: string): Promise<SessionRow[]> {
    const rows: SessionRow[] = [];
    for (const row of await this.all()) if (row.owner === owner) rows.push(row);
    return rows.sort((a, b) => b.info.last_active - a.info.last_active);
  }

  async delete(key: string): Promise<boolean> {
    const row = await this.rows.get(key);
    if (!row) return false;
    const count = row.info.message_count;
    if (count > 0) await guard(this.lines.deleteMany(range(0, count).map((i) => messageKey(key, i))));
    return this.rows.delete(key);
  }

  async sweep(before: number): Promise<number> {
    let removed = 0;
    for (const row of await this.all()) {
      if (row.heldByResponses || row.info.last_active * 1000 >= before) continue;
      if (await this.delete(row.key)) removed++;
    }
    return removed;
  }

  private async all(): Promise<SessionRow[]> {
    const keyv = this.store.namespace<SessionRow>('sessions');
    if (!keyv.iterator) return [];
    const rows: SessionRow[] = [];
    const iterate = async () => {
      for await (const [, value] of keyv.iterator!(undefined)) if (value) rows.push(value as SessionRow);
    };
    await guard(iterate());
    return rows;
  }
}
