// Commands to the gateway instance that executes a run (stop, approve, steer), and their replies. Runs are
// process-bound (the agent turn lives in one process), so an instance that does not own a run forwards
// these to the owner named in the run's status record. One interface, two implementations: in-process
// (memory and SQLite stores: one process per store, so every run is ours) and Redis pub/sub (shared stores).
import type { ErrorType } from '../../errors.js';
import type { RunRecord } from './run-record.js';

/** reference §6.6: a choice for the oldest pending request, one request, or all of them. */
export interface ApprovalAnswer {
  choice: string;
  requestId?: string;
  all?: boolean;
}

export type StopResult = { outcome: 'stopping' } | { outcome: 'terminal'; record: RunRecord };

export interface ApprovalResult {
  resolved: number;
}

/** reference §6.8: steer text was accepted; `delivered` when it reached the running turn at once. */
export interface SteerResult {
  delivered: boolean;
}

/** What each kind of command carries besides its kind. */
interface RunCommandArgs {
  stop: { runId: string; scope: string };
  approve: { runId: string; scope: string } & ApprovalAnswer;
  steer: { runId: string; scope: string; text: string };
}

/** What the owner answers to each kind of command. */
export interface RunCommandResults {
  stop: StopResult;
  approve: ApprovalResult;
  steer: SteerResult;
}

export type RunCommandKind = keyof RunCommandArgs;

/** The command of kind K; written as a mapped type so a handler table indexed by `command.kind` stays typed. */
export type RunCommandOf<K extends RunCommandKind> = { [P in K]: { kind: P } & RunCommandArgs[P] }[K];

export type RunCommand = RunCommandOf<RunCommandKind>;

/** An HTTP error the owner answered with, as it crosses the wire (GatewayError's fields). */
export interface RelayedError {
  status: number;
  type: ErrorType;
  code: string | null;
  message: string;
  param: string | null;
  headers: Record<string, string>;
}

/** `error: null`: the owner failed in a way it could not express as an HTTP error (logged there). */
export type RunCommandReply<K extends RunCommandKind = RunCommandKind> =
  | { ok: true; value: RunCommandResults[K] }
  | { ok: false; error: RelayedError | null };

/** Answers a command with the reply for its kind. */
export type RunCommandHandler = <K extends RunCommandKind>(command: RunCommandOf<K>) => Promise<RunCommandReply<K>>;

/** The command that carries an approval answer to the instance holding the run or stream. */
export function approveCommand(ownerId: string, scope: string, answer: ApprovalAnswer): RunCommandOf<'approve'> {
  const command: RunCommandOf<'approve'> = { kind: 'approve', runId: ownerId, scope, choice: answer.choice };
  if (answer.requestId !== undefined) command.requestId = answer.requestId;
  if (answer.all) command.all = true;
  return command;
}

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
  send<K extends RunCommandKind>(
    instance: string,
    command: RunCommandOf<K>,
    timeoutMs: number,
  ): Promise<RunCommandReply<K>>;
  dispose(): Promise<void>;
}

/** In-process delivery: only instances served by this very channel object are reachable. */
export class MemoryRunCommandChannel implements RunCommandChannel {
  private readonly handlers = new Map<string, RunCommandHandler>();

  async serve(instance: string, handler: RunCommandHandler): Promise<void> {
    this.handlers.set(instance, handler);
  }

  async send<K extends RunCommandKind>(
    instance: string,
    command: RunCommandOf<K>,
    timeoutMs: number,
  ): Promise<RunCommandReply<K>> {
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
