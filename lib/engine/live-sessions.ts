// The agent sessions kept warm for conversations: bounded in number and idle time, so a long-running gateway
// does not pile sessions up in its agent processes. An evicted conversation is seeded again on its next turn.
import type { AgentSessionHandle } from './port/agent.js';

export interface LiveSession {
  handle: AgentSessionHandle;
  systemPrompt: string | null;
  /** The record revision this session's last turn wrote; null before its first recorded turn. */
  revision: string | null;
}

interface Entry {
  session: LiveSession;
  lastUsed: number;
  /** Turns running on the session: a busy session is never evicted. */
  busy: number;
}

export interface LiveSessionLimits {
  max: number;
  idleMs: number;
  /** Releases an evicted session in its agent (ACP session/close where supported). */
  onEvict(handle: AgentSessionHandle): void;
  /**
   * The key has a live session here from now on (`true`), or no longer has one (`false`: evicted, dropped): with
   * several instances on one store, the one holding a conversation's live session owns its turns.
   */
  onHeld?(key: string, held: boolean): void;
  now?: () => number;
}

export class LiveSessions {
  /** Map order is recency order: touched entries move to the end. */
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly limits: LiveSessionLimits) {
    this.now = limits.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.min(limits.idleMs / 2, 60_000)));
    this.sweeper.unref();
  }

  get(key: string): LiveSession | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    entry.lastUsed = this.now();
    this.entries.set(key, entry);
    return entry.session;
  }

  set(key: string, session: LiveSession): void {
    const previous = this.entries.get(key);
    this.entries.delete(key);
    if (previous && previous.session.handle !== session.handle) this.limits.onEvict(previous.session.handle);
    this.entries.set(key, { session, lastUsed: this.now(), busy: previous?.busy ?? 0 });
    this.limits.onHeld?.(key, true);
    this.trim();
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.limits.onEvict(entry.session.handle);
    this.limits.onHeld?.(key, false);
  }

  /** Marks a turn running on the key's session; the returned function ends it. */
  hold(key: string): () => void {
    const entry = this.entries.get(key);
    if (!entry) return () => {};
    entry.busy++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.busy--;
      entry.lastUsed = this.now();
    };
  }

  get size(): number {
    return this.entries.size;
  }

  dispose(): void {
    clearInterval(this.sweeper);
  }

  private trim(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.limits.max) return;
      if (entry.busy === 0) this.delete(key);
    }
  }

  private sweep(): void {
    const stale = this.now() - this.limits.idleMs;
    for (const [key, entry] of [...this.entries]) if (entry.busy === 0 && entry.lastUsed <= stale) this.delete(key);
  }
}
