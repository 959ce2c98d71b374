// The per-run event journal (reference §6.5): numbered events from 1, replay after an id, live tail for
// any number of subscribers, end marker. The interface, and the in-process implementation.
// Payloads are opaque JSON objects here; the runs surface decides what they say.

export type RunEventPayload = { event: string } & Record<string, unknown>;

export interface JournalEntry {
  id: number;
  data: RunEventPayload;
}

export interface RunJournal {
  /** Starts an empty journal for a run. */
  open(runId: string): Promise<void>;
  /** Appends an event; resolves with its id. */
  append(runId: string, data: RunEventPayload): Promise<number>;
  /** No more events: subscribers drain and end; the journal expires once nobody reads it. */
  close(runId: string): Promise<void>;
  /** Whether the journal still exists (open, or closed and not yet expired). */
  exists(runId: string): Promise<boolean>;
  /**
   * Every kept event with an id above `afterId`, then live ones, ending after the close (or on abort).
   * The caller decides before subscribing whether the journal exists.
   */
  subscribe(runId: string, afterId: number, signal: AbortSignal): AsyncIterable<JournalEntry>;
  /** Stops timers and wakes every subscriber. */
  dispose(): Promise<void>;
}

export interface JournalLimits {
  maxEvents: number;
  /** A closed journal nobody reads is dropped after this long. */
  ttlMs: number;
}

interface Log {
  entries: JournalEntry[];
  nextId: number;
  closedAt: number | null;
  readers: number;
  wakers: Set<() => void>;
}

export class MemoryRunJournal implements RunJournal {
  private readonly logs = new Map<string, Log>();
  private readonly sweeper: NodeJS.Timeout;
  private disposed = false;

  constructor(
    private readonly limits: JournalLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(50, Math.min(60_000, limits.ttlMs / 2)));
    this.sweeper.unref();
  }

  async open(runId: string): Promise<void> {
    if (!this.logs.has(runId))
      this.logs.set(runId, { entries: [], nextId: 1, closedAt: null, readers: 0, wakers: new Set() });
  }

  async append(runId: string, data: RunEventPayload): Promise<number> {
    const log = this.logs.get(runId);
    if (!log || log.closedAt !== null) return 0;
    const id = log.nextId++;
    log.entries.push({ id, data });
    if (log.entries.length > this.limits.maxEvents) log.entries.splice(0, log.entries.length - this.limits.maxEvents);
    wake(log);
    return id;
  }

  async close(runId: string): Promise<void> {
    const log = this.logs.get(runId);
    if (!log || log.closedAt !== null) return;
    log.closedAt = this.now();
    wake(log);
  }

  async exists(runId: string): Promise<boolean> {
    this.sweep();
    return this.logs.has(runId);
  }

  async *subscribe(runId: string, afterId: number, signal: AbortSignal): AsyncIterable<JournalEntry> {
    const log = this.logs.get(runId);
    if (!log) return;
    log.readers++;
    let last = afterId;
    try {
      while (!signal.aborted && !this.disposed) {
        const fresh = log.entries.filter((entry) => entry.id > last);
        for (const entry of fresh) {
          last = entry.id;
          yield entry;
          if (signal.aborted) return;
        }
        if (log.closedAt !== null && !log.entries.some((entry) => entry.id > last)) return;
        if (fresh.length === 0) await nextWake(log, signal);
      }
    } finally {
      log.readers--;
      // Read to the end: the clock for dropping it starts again from now.
      if (log.closedAt !== null) log.closedAt = this.now();
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.sweeper);
    for (const log of this.logs.values()) wake(log);
  }

  private sweep(): void {
    const horizon = this.now() - this.limits.ttlMs;
    for (const [runId, log] of this.logs) {
      if (log.closedAt !== null && log.readers === 0 && log.closedAt <= horizon) this.logs.delete(runId);
    }
  }
}

function wake(log: Log): void {
  const wakers = [...log.wakers];
  log.wakers.clear();
  for (const w of wakers) w();
}

function nextWake(log: Log, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      log.wakers.delete(done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    log.wakers.add(done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Last-Event-ID (reference §6.5): digits without leading zeros, at most 20; anything else means 0. */
export function parseLastEventId(value: unknown): number {
  if (typeof value !== 'string') return 0;
  const text = value.trim();
  if (!/^(0|[1-9][0-9]{0,19})$/.test(text)) return 0;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : 0;
}
