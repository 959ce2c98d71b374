// Commands to the gateway instance that executes a run (stop, approve), and their replies. Runs are
// process-bound (the agent turn lives in one process), so an instance that does not own a run forwards
// these to the owner named in the run's status record. One interface, two implementations: in-process
// (memory and SQLite stores: one process per store, so every run is ours) and Redis pub/sub (shared stores).
export type RunCommand =
  | { kind: 'stop'; runId: string; scope: string }
  | { kind: 'approve'; runId: string; scope: string; choice: string; requestId?: string; all?: boolean };

/** An HTTP error the owner answered with, as it crosses the wire (GatewayError's fields). */
export interface RelayedError {
  status: number;
  type: string;
  code: string | null;
  message: string;
  param: string | null;
  headers: Record<string, string>;
}

/** `error: null`: the owner failed in a way it could not express as an HTTP error (logged there). */
export type RunCommandReply = { ok: true; value: unknown } | { ok: false; error: RelayedError | null };

export type RunCommandHandler = (command: RunCommand) => Promise<RunCommandReply>;

/** Nobody answered: no instance listens under that id, or its answer did not come in time. */
export class RunOwnerUnreachable extends Error {
  constructor(instance: string, why: string) {
    super(`run owner ${instance} unreachable: ${why}`);
    this.name = 'RunOwnerUnreachable';
  }
}

export interface RunCommandChannel {
  /** Answers the commands addressed to `instance` with `handler` (and receives replies to its own sends). */
  serve(instance: string, handler: RunCommandHandler): Promise<void>;
  /** Sends `command` to `instance` and waits for the reply; rejects with RunOwnerUnreachable. */
  send(instance: string, command: RunCommand, timeoutMs: number): Promise<RunCommandReply>;
  dispose(): Promise<void>;
}

/** In-process delivery: only instances served by this very channel object are reachable. */
export class MemoryRunCommandChannel implements RunCommandChannel {
  private readonly handlers = new Map<string, RunCommandHandler>();

  async serve(instance: string, handler: RunCommandHandler): Promise<void> {
    this.handlers.set(instance, handler);
  }

  async send(instance: string, command: RunCommand, timeoutMs: number): Promise<RunCommandReply> {
    const handler = this.handlers.get(instance);
    if (!handler) throw new RunOwnerUnreachable(instance, 'no such instance');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RunOwnerUnreachable(instance, `no reply within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      // A copy each way, as on the wire: neither side may keep a reference into the other's objects.
      return structuredClone(await Promise.race([handler(structuredClone(command)), timeout]));
    } finally {
      clearTimeout(timer);
    }
  }

  async dispose(): Promise<void> {
    this.handlers.clear();
  }
}
