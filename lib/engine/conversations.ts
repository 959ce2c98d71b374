// Conversation state: the recorded transcript (in the store, survives restarts) and the live agent session (memory).
import type { Store } from '../store/keyv.js';
import { Repository } from '../store/repository.js';
import { type LiveSession, type LiveSessionLimits, LiveSessions } from './live-sessions.js';
import type { TranscriptMessage } from './transcript.js';

export type { LiveSession };

export interface ConversationRecord {
  agentId: string;
  systemPrompt: string | null;
  transcript: TranscriptMessage[];
  updatedAt: number;
  /** Changes on every save; a live session may continue only the revision it wrote itself. */
  revision?: string;
}

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

export class Conversations {
  private readonly records: Repository<ConversationRecord>;
  private readonly live: LiveSessions;

  constructor(store: Store, limits: LiveSessionLimits, ttlMs = THIRTY_DAYS_MS) {
    this.records = new Repository<ConversationRecord>(store, 'conversations', ttlMs);
    this.live = new LiveSessions(limits);
  }

  get(key: string): Promise<ConversationRecord | undefined> {
    return this.records.get(key);
  }

  save(key: string, record: ConversationRecord): Promise<void> {
    return this.records.set(key, record);
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
    this.live.dispose();
  }
}
