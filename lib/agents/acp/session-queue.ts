// Per-session FIFO: at most one prompt in flight per ACP session, different sessions in parallel.
// Why: agents must not see two prompts at once on a session (hermes would queue the second itself
// and answer it with a fake "Queued for the next turn" reply, acp.md §3).

export type Release = () => void;

interface Lane {
  busy: boolean;
  waiters: Array<(release: Release) => void>;
}

export class SessionQueue {
  private readonly lanes = new Map<string, Lane>();

  /**
   * Waits for the session's turn. Resolves with a release function (call it exactly once, when the
   * prompt has settled), or with null when `signal` aborts first; an aborted waiter leaves the line.
   */
  acquire(key: string, signal?: AbortSignal): Promise<Release | null> {
    if (signal?.aborted) return Promise.resolve(null);
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { busy: false, waiters: [] };
      this.lanes.set(key, lane);
    }
    if (!lane.busy) {
      lane.busy = true;
      return Promise.resolve(this.releaser(key, lane));
    }
    const waiting = lane;
    return new Promise((resolve) => {
      const onAbort = () => {
        const index = waiting.waiters.indexOf(grant);
        if (index !== -1) waiting.waiters.splice(index, 1);
        resolve(null);
      };
      const grant = (release: Release) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(release);
      };
      waiting.waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The session's turn at once when it is free (and `signal` has not aborted); else undefined: use acquire(). */
  tryAcquire(key: string, signal?: AbortSignal): Release | undefined {
    if (signal?.aborted || this.lanes.has(key)) return undefined;
    const lane: Lane = { busy: true, waiters: [] };
    this.lanes.set(key, lane);
    return this.releaser(key, lane);
  }

  /** Prompts waiting or running on the session. */
  depth(key: string): number {
    const lane = this.lanes.get(key);
    return lane ? lane.waiters.length + (lane.busy ? 1 : 0) : 0;
  }

  private releaser(key: string, lane: Lane): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = lane.waiters.shift();
      if (next) {
        next(this.releaser(key, lane));
      } else {
        lane.busy = false;
        this.lanes.delete(key);
      }
    };
  }
}
