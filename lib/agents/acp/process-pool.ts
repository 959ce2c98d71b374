// N long-lived agent processes (poolSize, default 1): hands out the least-loaded ready one and
// restarts a dead one with exponential backoff (250 ms doubling to 10 s). Knows no sessions' content.
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../log.js';
import { AgentError } from '../../engine/port/agent-error.js';
import type { AgentProcess, ProcessEnd } from './agent-process.js';
import { errorMessage } from './agent-process.js';

const BACKOFF_START_MS = 250;
const BACKOFF_MAX_MS = 10_000;
/** A process that stayed up this long ran fine: its crash starts the backoff over. */
const STABLE_AFTER_MS = 30_000;

/** Builds (does not start) the process for one slot generation. */
export type ProcessFactory = (key: string) => AgentProcess;

interface Slot {
  index: number;
  generation: number;
  proc: AgentProcess | null;
  failures: number;
  restartTimer: NodeJS.Timeout | null;
}

export interface PoolHealth {
  processes: number;
  ready: number;
  restarts: number;
  starting: boolean;
  lastError: string | null;
}

export class ProcessPool {
  private readonly slots: Slot[];
  /** Tells keys of this pool from those of an earlier gateway run (handles may be stored). */
  private readonly bootId = randomBytes(3).toString('hex');
  private readonly readyWaiters = new Set<() => void>();
  private started: Promise<void> | null = null;
  private stopped = false;
  private restarts = 0;
  private lastError: string | null = null;

  constructor(
    size: number,
    private readonly factory: ProcessFactory,
    /** The agent's current logger (its name is known only after the first initialize). */
    private readonly log: () => Logger,
    /** Called each time a process becomes ready (the agent caches its capabilities). */
    private readonly onReady: (proc: AgentProcess) => void,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, (_, index) => ({
      index,
      generation: 0,
      proc: null,
      failures: 0,
      restartTimer: null,
    }));
  }

  get isStarted(): boolean {
    return this.started !== null;
  }

  /**
   * Launches every slot. Resolves when one process is ready; rejects when every first attempt failed
   * (the slots keep retrying with backoff until stop()). Calling it again returns the same promise.
   */
  start(): Promise<void> {
    this.started ??= new Promise<void>((resolve, reject) => {
      let failed = 0;
      for (const slot of this.slots) {
        void this.launch(slot).then((ready) => {
          if (ready) resolve();
          else if (++failed === this.slots.length) {
            reject(AgentError.unavailable(`agent failed to start: ${this.lastError ?? 'unknown error'}`));
          }
        });
      }
    });
    return this.started;
  }

  /** The ready process with the fewest sessions; waits up to `timeoutMs` for one while restarting. */
  async acquire(timeoutMs: number): Promise<AgentProcess> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.stopped) throw AgentError.unavailable('agent stopped');
      const proc = this.leastLoaded();
      if (proc) return proc;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw AgentError.unavailable(`no agent process ready${this.lastError ? `: ${this.lastError}` : ''}`);
      }
      await this.nextReady(left);
    }
  }

  /** The live process with this key, if it is still the current one of its slot. */
  find(key: string): AgentProcess | undefined {
    const proc = this.slots.find((slot) => slot.proc?.key === key)?.proc;
    return proc && proc.state !== 'dead' ? proc : undefined;
  }

  /**
   * Kills a process that stopped answering; its slot restarts like after a crash. It takes no new session from now
   * on: requests wait for its successor (acquire) instead of failing on a process about to die.
   */
  recycle(proc: AgentProcess, end: ProcessEnd): void {
    this.log().warn({ process: proc.key, reason: end.message }, 'replacing agent process');
    proc.retiring = true;
    void proc.kill(end);
  }

  health(): PoolHealth {
    const live = this.slots.filter((slot) => slot.proc && slot.proc.state !== 'dead');
    return {
      processes: live.length,
      ready: live.filter((slot) => slot.proc!.isReady).length,
      restarts: this.restarts,
      starting: !this.stopped && this.slots.some((slot) => slot.restartTimer || slot.proc?.state === 'starting'),
      lastError: this.lastError,
    };
  }

  /** Any ready process, for capabilities and names. */
  anyReady(): AgentProcess | undefined {
    return this.slots.find((slot) => slot.proc?.isReady)?.proc ?? undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.readyWaiters) wake();
    const procs = this.slots.flatMap((slot) => {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
      return slot.proc ? [slot.proc] : [];
    });
    await Promise.all(procs.map((proc) => proc.kill({ code: 'agent_unavailable', message: 'agent stopped' })));
  }

  /** Starts a new generation in the slot; resolves whether it became ready. */
  private async launch(slot: Slot): Promise<boolean> {
    slot.generation += 1;
    const proc = this.factory(`${this.bootId}:${slot.index}.${slot.generation}`);
    slot.proc = proc;
    void proc.exited.then((end) => this.onExit(slot, proc, end));
    try {
      await proc.start();
    } catch (error) {
      this.lastError = errorMessage(error);
      this.log().error({ process: proc.key, err: error }, 'agent process failed to start');
      return false;
    }
    if (this.stopped) return false;
    this.onReady(proc);
    for (const wake of this.readyWaiters) wake();
    return true;
  }

  private onExit(slot: Slot, proc: AgentProcess, end: ProcessEnd): void {
    if (slot.proc !== proc || this.stopped) return;
    this.lastError = end.message;
    if (proc.readyAt !== null && Date.now() - proc.readyAt >= STABLE_AFTER_MS) slot.failures = 0;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** slot.failures);
    slot.failures += 1;
    this.log().info({ process: proc.key, delayMs: delay }, 'restarting agent process');
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      if (this.stopped) return;
      this.restarts += 1;
      void this.launch(slot);
    }, delay);
    // A pending restart must not keep an otherwise finished Node process alive.
    slot.restartTimer.unref();
  }

  private leastLoaded(): AgentProcess | undefined {
    let best: AgentProcess | undefined;
    for (const slot of this.slots) {
      const proc = slot.proc;
      if (proc?.isReady && (!best || proc.sessions.size < best.sessions.size)) best = proc;
    }
    return best;
  }

  private nextReady(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.readyWaiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.readyWaiters.add(wake);
    });
  }
}
