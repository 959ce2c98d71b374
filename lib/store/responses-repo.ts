// Stored Responses (reference §4.5): records, conversation names and least-recently-used retention.
// One interface, two implementations: Redis (atomic Lua, safe for several gateway instances) and Keyv (memory, SQLite).
import type { components } from '../generated/openapi.gen.js';
import type { Store } from './keyv.js';
import { Repository } from './repository.js';
import { RedisResponsesRepo } from './responses-repo-redis.js';

export type ResponseObject = components['schemas']['Response'];

/** One tool call an assistant turn made, with its result (null while it ran or when it never ended). */
export interface ToolExchange {
  callId: string;
  name: string;
  arguments: string;
  output: string | null;
  status: 'completed' | 'failed' | 'running';
}

/** One message of a stored conversation; assistant messages carry the tool calls they made. */
export interface TranscriptEntry {
  role: 'user' | 'assistant';
  content: string;
  tools?: ToolExchange[];
}

export interface StoredResponse {
  /** The Response envelope as GET returns it. */
  response: ResponseObject;
  /** Which API key may read it (a prefix of the key's hash). */
  owner: string;
  /** This request's own input (its earlier items, then the user's message): GET …/input_items. */
  input?: TranscriptEntry[];
  /**
   * Where this turn's messages are in its session ([messageStart, messageEnd)): the chain's history is the
   * session's messages before messageEnd. Null while the turn runs, or when it was not recorded (failed, cancelled).
   */
  messageStart?: number | null;
  messageEnd?: number | null;
  /** Records written before sessions held the messages: the whole conversation, and where the input starts. */
  transcript?: TranscriptEntry[];
  inputFrom?: number;
  /** The effective instructions, inherited by a chained request that sends none. */
  instructions: string | null;
  /** The engine conversation (and so the agent session) this turn ran in. */
  session: { key: string; id: string; agentId: string };
}

/** A record that left the store, and the session (its key) it referenced. */
export interface Evicted {
  id: string;
  session: string | null;
}

export interface ResponsesRepo {
  /**
   * Stores or replaces a record, points `conversation` (a scoped name) at it, and evicts the least recently
   * used records beyond the cap, with the names pointing at them. Resolves with the evicted records.
   */
  save(record: StoredResponse, conversation?: string | null): Promise<Evicted[]>;
  /** Replaces a record only while it is still stored (a stream's final snapshot); false when it is gone. */
  update(record: StoredResponse): Promise<boolean>;
  /** Reads a record; a hit makes it the most recently used. */
  get(id: string): Promise<StoredResponse | undefined>;
  /** Removes a record and every conversation name pointing at it. */
  delete(id: string): Promise<boolean>;
  /** The stored responses that ran in a session (its key). */
  idsOfSession(sessionKey: string): Promise<string[]>;
  /** The response id a conversation name points at. */
  resolveConversation(name: string): Promise<string | undefined>;
  /** Stored ids, least recently used first (tests and diagnostics). */
  ids(): Promise<string[]>;
}

export interface ResponsesRepoOptions {
  maxStored: number;
  /** Redis key prefix; tests give each run its own. */
  redisPrefix?: string;
}

export function createResponsesRepo(store: Store, { maxStored, redisPrefix }: ResponsesRepoOptions): ResponsesRepo {
  if (store.redis) return new RedisResponsesRepo(store.redis, maxStored, redisPrefix);
  return new KeyvResponsesRepo(store, maxStored);
}

/** The recency index of the Keyv implementation: one document, read and written under a mutex. */
interface IndexDoc {
  clock: number;
  /** id -> last access (a logical clock, so ties cannot happen). */
  used: Record<string, number>;
  /** scoped conversation name -> id */
  names: Record<string, string>;
  /** id -> the key of the session it ran in (absent on indexes written before it existed) */
  sessionOf?: Record<string, string>;
}

type LoadedIndex = IndexDoc & { sessionOf: Record<string, string> };

/**
 * Memory and SQLite. One process owns the data (SQLite is a local file), so an in-process mutex makes every
 * operation atomic; the index lives in the store too, so retention survives a restart.
 */
export class KeyvResponsesRepo implements ResponsesRepo {
  private readonly records: Repository<StoredResponse>;
  private readonly index: Repository<IndexDoc>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    store: Store,
    private readonly maxStored: number,
  ) {
    this.records = new Repository<StoredResponse>(store, 'responses');
    this.index = new Repository<IndexDoc>(store, 'responses-index');
  }

  save(record: StoredResponse, conversation?: string | null): Promise<Evicted[]> {
    return this.locked(async () => {
      const doc = await this.readIndex();
      const id = record.response.id;
      await this.records.set(id, record);
      doc.used[id] = ++doc.clock;
      doc.sessionOf[id] = record.session.key;
      if (conversation) doc.names[conversation] = id;
      const evicted = Object.entries(doc.used)
        .sort((a, b) => a[1] - b[1])
        .slice(0, Math.max(0, Object.keys(doc.used).length - this.maxStored))
        .map(([victim]) => ({ id: victim, session: doc.sessionOf[victim] ?? null }));
      for (const victim of evicted) await this.forget(doc, victim.id);
      await this.index.set('index', doc);
      return evicted;
    });
  }

  update(record: StoredResponse): Promise<boolean> {
    return this.locked(async () => {
      const doc = await this.readIndex();
      const id = record.response.id;
      if (doc.used[id] === undefined) return false;
      await this.records.set(id, record);
      return true;
    });
  }

  get(id: string): Promise<StoredResponse | undefined> {
    return this.locked(async () => {
      const record = await this.records.get(id);
      if (!record) return undefined;
      const doc = await this.readIndex();
      doc.used[id] = ++doc.clock;
      await this.index.set('index', doc);
      return record;
    });
  }

  delete(id: string): Promise<boolean> {
    return this.locked(async () => {
      const doc = await this.readIndex();
      const known = doc.used[id] !== undefined || (await this.records.has(id));
      if (!known) return false;
      await this.forget(doc, id);
      await this.index.set('index', doc);
      return true;
    });
  }

  async resolveConversation(name: string): Promise<string | undefined> {
    return (await this.readIndex()).names[name];
  }

  async idsOfSession(sessionKey: string): Promise<string[]> {
    const doc = await this.readIndex();
    return Object.entries(doc.sessionOf).flatMap(([id, key]) => (key === sessionKey ? [id] : []));
  }

  async ids(): Promise<string[]> {
    const doc = await this.readIndex();
    return Object.entries(doc.used)
      .sort((a, b) => a[1] - b[1])
      .map(([id]) => id);
  }

  private async forget(doc: LoadedIndex, id: string): Promise<void> {
    delete doc.used[id];
    delete doc.sessionOf[id];
    for (const [name, target] of Object.entries(doc.names)) if (target === id) delete doc.names[name];
    await this.records.delete(id);
  }

  private async readIndex(): Promise<LoadedIndex> {
    const doc = (await this.index.get('index')) ?? { clock: 0, used: {}, names: {} };
    return { ...doc, sessionOf: doc.sessionOf ?? {} };
  }

  /** Runs operations one at a time; a failed one does not block the next. */
  private locked<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined); // the caller sees the failure; the queue only needs ordering
    return run;
  }
}
