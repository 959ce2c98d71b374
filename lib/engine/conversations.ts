// Conversation state: the recorded transcript (in the store, survives restarts) and the live agent session (memory).
import type { AgentSessionHandle } from '../agents/agent.js';
import type { Store } from '../store/keyv.js';
import { Repository } from '../store/repository.js';
import type { TranscriptMessage } from './transcript.js';

export interface ConversationRecord {
  agentId: string;
  systemPrompt: string | null;
  transcript: TranscriptMessage[];
  updatedAt: number;
  /** Changes on every save; a live session may continue only the revision it wrote itself. */
  revision?: string;
}

export interface LiveSession {
  handle: AgentSessionHandle;
  systemPrompt: string | null;
  /** The record revision this session's last turn wrote; null before its first recorded turn. */
  revision: string | null;
}

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

export class Conversations {
  private readonly records: Repository<ConversationRecord>;
  private readonly live = new Map<string, LiveSession>();

  constructor(store: Store, ttlMs = THIRTY_DAYS_MS) {
    this.records = new Repository<ConversationRecord>(store, 'conversations', ttlMs);
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

  dropLive(key: string): void {
    this.live.delete(key);
  }

  liveCount(): number {
    return this.live.size;
  }
}
