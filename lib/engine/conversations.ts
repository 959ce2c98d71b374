// Conversation state: sessions in the store (a record plus appended messages; survives restarts, shared through
// Redis) and the live agent sessions (memory). A turn writes only what it adds.
import type { Store } from '../store/keyv.js';
import {
  createSessionStore,
  type SessionMessage,
  type SessionRow,
  type SessionStore,
  sessionKeyOf,
} from '../store/session-store.js';
import { type LiveSession, type LiveSessionLimits, LiveSessions } from './live-sessions.js';
import { EMPTY_DIGEST, extendDigest, type TranscriptMessage } from './transcript.js';
import type { TurnSummary } from './turn-summary.js';

export type { LiveSession, SessionRow };

/** Which conversation a turn belongs to: its owner (key scope, narrowed by the session key) and public id. */
export interface ConversationRef {
  owner: string;
  id: string;
  /** Where the session came from (reference §8 `source`); api_server unless the caller says otherwise. */
  source?: string;
  /**
   * The session exists for a Responses chain that opened it (no session id was named): it goes when the last
   * stored response that ran in it goes.
   */
  heldByResponses?: boolean;
}

/** Where a recorded turn's messages are in its session: positions [start, end). */
export interface MessageRange {
  start: number;
  end: number;
}

export interface TurnRecording {
  ref: ConversationRef;
  agentId: string;
  model: string | null;
  systemPrompt: string | null;
  /** What a stateless client sent as the history; null when the record is the history. */
  clientHistory: TranscriptMessage[] | null;
  inputText: string;
  summary: TurnSummary;
  /** The title the agent gave its session (session_info_update), if it gave one. */
  title: string | null;
  revision: string;
  agentSessionId: string | null;
  now: number;
}

/** Sessions idle this long are removed (as the 30-day TTL of the conversation records before them). */
export const SESSION_IDLE_RETENTION_MS = 30 * 24 * 3600 * 1000;
const SWEEP_EVERY_MS = 3600 * 1000;

export interface SessionRetention {
  idleMs: number;
  onError(error: Error): void;
}

const PREVIEW_CHARS = 80;
const FINISH_REASONS: Record<string, string> = { end_turn: 'stop', max_tokens: 'length' };
const seconds = (ms: number) => Math.round(ms) / 1000;

export class Conversations {
  readonly sessions: SessionStore;
  private readonly live: LiveSessions;
  /** Sessions whose last turn replied and is still being recorded (see recordingStarted). */
  private readonly recording = new Map<string, Promise<void>>();

  private readonly sweeper: NodeJS.Timeout;
  private readonly sweepHooks: Array<(now: number) => Promise<void>> = [];

  constructor(
    store: Store,
    limits: LiveSessionLimits,
    sessions: SessionStore = createSessionStore(store),
    private readonly retention: SessionRetention = { idleMs: SESSION_IDLE_RETENTION_MS, onError() {} },
  ) {
    this.sessions = sessions;
    this.live = new LiveSessions(limits);
    this.sweeper = setInterval(() => void this.sweep(), Math.min(SWEEP_EVERY_MS, retention.idleMs));
    this.sweeper.unref();
  }

  /**
   * The retention sweep: removes sessions nobody used for the retention period, with their messages, then runs
   * the other sweeps registered with `onSweep` (stored responses by age). Resolves with how many sessions went.
   */
  async sweep(now = Date.now()): Promise<number> {
    let removed = 0;
    try {
      removed = await this.sessions.sweep(now - this.retention.idleMs);
    } catch (error) {
      this.retention.onError(error as Error);
    }
    for (const hook of this.sweepHooks) await hook(now).catch((error: Error) => this.retention.onError(error));
    return removed;
  }

  /** Adds work to the hourly retention sweep (one timer for every kind of state that ages out). */
  onSweep(hook: (now: number) => Promise<void>): void {
    this.sweepHooks.push(hook);
  }

  /** A session's record; while a turn that already replied is still being recorded, once it is. */
  async get(key: string): Promise<SessionRow | undefined> {
    const pending = this.recording.get(key);
    if (pending) await pending;
    return this.sessions.get(key);
  }

  /** Every session of an owner (most recently active first), once the turns being recorded for it are. */
  async list(owner: string): Promise<SessionRow[]> {
    const pending: Promise<void>[] = [];
    for (const [key, recorded] of this.recording) if (key.startsWith(`${owner}:`)) pending.push(recorded);
    if (pending.length > 0) await Promise.all(pending);
    return this.sessions.list(owner);
  }

  /** Resolves once every turn being recorded is: shutdown waits for it before the store closes. */
  async recordsSettled(): Promise<void> {
    while (this.recording.size > 0) await Promise.all(this.recording.values());
  }

  /**
   * A turn replied before its record was written (a chat completion does not wait for it): until the returned
   * function is called, reads of the session through get() and list() wait, so a client that asks right after
   * the reply sees its turn.
   */
  recordingStarted(key: string): () => void {
    let settle!: () => void;
    const recorded = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.recording.set(key, recorded);
    return () => {
      if (this.recording.get(key) === recorded) this.recording.delete(key);
      settle();
    };
  }

  /** True when `history` is exactly the recorded transcript (compared by digest, without reading messages). */
  matches(row: SessionRow, history: readonly TranscriptMessage[]): boolean {
    return row.transcriptLength === history.length && row.digest === extendDigest(EMPTY_DIGEST, history);
  }

  /** The user and final assistant texts of a session's first `end` messages, oldest first (what seeds a session). */
  async transcript(row: SessionRow, end = row.info.message_count): Promise<TranscriptMessage[]> {
    const messages = await this.sessions.messages(row.key, 0, end);
    return messages.flatMap((m): TranscriptMessage[] =>
      m.role === 'user' || (m.role === 'assistant' && !m.tool_calls) ? [{ role: m.role, content: m.content }] : [],
    );
  }

  /** A session record with nothing in it yet. */
  newRow(ref: ConversationRef, now: number, fields: Partial<SessionRow['info']> = {}): SessionRow {
    const at = seconds(now);
    return {
      key: sessionKeyOf(ref.owner, ref.id),
      owner: ref.owner,
      info: {
        id: ref.id,
        source: ref.source ?? 'api_server',
        model: null,
        title: null,
        started_at: at,
        ended_at: null,
        end_reason: null,
        message_count: 0,
        tool_call_count: 0,
        input_tokens: 0,
        output_tokens: 0,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        reasoning_tokens: 0,
        parent_session_id: null,
        last_active: at,
        preview: null,
        pinned: false,
        archived: false,
        hidden: false,
        ...fields,
      },
      agentId: null,
      systemPrompt: null,
      modelConfig: null,
      digest: EMPTY_DIGEST,
      transcriptLength: 0,
      revision: null,
      agentSessionId: null,
      ...(ref.heldByResponses ? { heldByResponses: true } : {}),
    };
  }

  /**
   * Appends a clean turn to its session (creating the session on its first turn). When a stateless client's
   * history differs from the record (an edited or new conversation), the client's history replaces the record's
   * messages: the only case where a turn writes more than it adds.
   */
  async recordTurn(turn: TurnRecording): Promise<{ row: SessionRow; range: MessageRange }> {
    const key = sessionKeyOf(turn.ref.owner, turn.ref.id);
    const existing = await this.sessions.get(key);
    const row = existing ? structuredClone(existing) : this.newRow(turn.ref, turn.now);
    const at = seconds(turn.now);
    let from = row.info.message_count;
    const messages: SessionMessage[] = [];
    if (turn.clientHistory && !(existing && this.matches(existing, turn.clientHistory))) {
      from = 0;
      Object.assign(row.info, { message_count: 0, tool_call_count: 0, preview: null });
      row.digest = extendDigest(EMPTY_DIGEST, turn.clientHistory);
      row.transcriptLength = turn.clientHistory.length;
      for (const m of turn.clientHistory) messages.push({ role: m.role, content: m.content, timestamp: at });
    }
    const added = turnMessages(turn.inputText, turn.summary, at);
    const turnRows = added.length;
    messages.push(...added);
    const { usage, tools } = turn.summary;
    const { title } = turn;
    const info = row.info;
    info.message_count = from + messages.length;
    info.tool_call_count += tools.length;
    info.input_tokens += usage.inputTokens;
    info.output_tokens += usage.outputTokens;
    info.last_active = at;
    info.model = turn.model ?? info.model;
    if (title) info.title = title;
    info.preview ??= preview(messages.find((m) => m.role === 'user')?.content ?? turn.inputText);
    row.agentId = turn.agentId;
    row.systemPrompt = turn.systemPrompt ?? row.systemPrompt;
    row.digest = extendDigest(row.digest, [
      { role: 'user', content: turn.inputText },
      { role: 'assistant', content: turn.summary.text },
    ]);
    row.transcriptLength += 2;
    row.revision = turn.revision;
    row.agentSessionId = turn.agentSessionId;
    await this.sessions.append(row, from, messages, existing?.info.message_count ?? 0);
    return { row, range: { start: info.message_count - turnRows, end: info.message_count } };
  }

  /** Removes a session, its messages and its live agent session (released in the agent). */
  async deleteSession(key: string): Promise<boolean> {
    this.live.delete(key);
    return this.sessions.delete(key);
  }

  /**
   * Cuts a session back to its first `count` messages (`transcript`: the user and assistant texts among them).
   * The agent's live session still remembers what was cut, so it goes: the next turn reopens nothing and seeds.
   */
  async truncate(row: SessionRow, count: number, transcript: readonly TranscriptMessage[]): Promise<void> {
    const cut = structuredClone(row);
    cut.info.message_count = count;
    cut.digest = extendDigest(EMPTY_DIGEST, transcript);
    cut.transcriptLength = transcript.length;
    cut.revision = null;
    cut.agentSessionId = null;
    this.live.delete(row.key);
    await this.sessions.append(cut, count, [], row.info.message_count);
  }

  liveSession(key: string): LiveSession | undefined {
    return this.live.get(key);
  }

  setLive(key: string, session: LiveSession): void {
    this.live.set(key, session);
  }

  /** Forgets the key's live session and releases it in the agent. */
  dropLive(key: string): void {
    this.live.delete(key);
  }

  /** Keeps the key's live session from eviction while a turn runs on it. */
  holdLive(key: string): () => void {
    return this.live.hold(key);
  }

  liveCount(): number {
    return this.live.size;
  }

  dispose(): void {
    clearInterval(this.sweeper);
    this.live.dispose();
  }
}

/** The rows one turn adds: the user message, each tool call and its result, the final assistant message. */
export function turnMessages(inputText: string, summary: TurnSummary, at: number): SessionMessage[] {
  const rows: SessionMessage[] = [{ role: 'user', content: inputText, timestamp: at }];
  for (const tool of summary.tools) {
    const args = tool.input === undefined ? '{}' : JSON.stringify(tool.input);
    rows.push({
      role: 'assistant',
      content: '',
      tool_calls: [{ id: tool.toolCallId, type: 'function', function: { name: tool.name, arguments: args } }],
      timestamp: at,
    });
    rows.push({
      role: 'tool',
      content: tool.output ?? '',
      tool_call_id: tool.toolCallId,
      tool_name: tool.name,
      timestamp: at,
    });
  }
  rows.push({
    role: 'assistant',
    content: summary.text,
    timestamp: at,
    finish_reason: FINISH_REASONS[summary.stopReason ?? ''] ?? summary.stopReason,
    reasoning: summary.reasoning || null,
  });
  return rows;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}
