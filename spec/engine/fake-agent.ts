// An in-process Agent for engine specs: scripted turns, and a newSession that can be made to fail.
import type {
  Agent,
  AgentCommand,
  AgentDescription,
  AgentHealth,
  AgentSessionHandle,
  AgentToolset,
  PromptBlock,
  PromptOptions,
  ReopenedSession,
} from '../../lib/engine/port/agent.js';
import type { EngineEvent } from '../../lib/engine/port/engine-event.js';

/** One turn: the events the agent yields for a prompt (the signal aborts when the turn is cancelled). */
export type TurnScript = (blocks: PromptBlock[], options: PromptOptions) => AsyncIterable<EngineEvent>;

export interface FakeAgentOptions {
  id?: string;
  script?: TurnScript;
  /** Thrown by newSession instead of opening a session. */
  sessionFailure?: unknown;
  /** The commands the agent advertises (describe().commands, listCommands()). */
  commands?: AgentCommand[];
  /** What listToolsets() answers. */
  toolsets?: AgentToolset[];
  /** Answers steer(); without it the agent cannot steer (false). */
  steer?: (handle: AgentSessionHandle, text: string) => Promise<boolean>;
}

const USAGE = { inputTokens: 1, outputTokens: 1, totalTokens: 2 };

/** Yields `texts` as text events, then ends the turn. */
export function says(...texts: string[]): TurnScript {
  return async function* () {
    for (const delta of texts) yield { type: 'text', delta };
    yield { type: 'end', stopReason: 'end_turn', usage: USAGE };
  };
}

/** Waits until the turn is cancelled, then ends it as cancelled. */
export function waitsForCancel(): TurnScript {
  return async function* (_blocks, { signal }) {
    await new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    yield { type: 'end', stopReason: 'cancelled', usage: USAGE };
  };
}

/** Asks permission for one tool call, then says which option the gateway chose. */
export function asksPermission(requestId: string): TurnScript {
  return async function* (_blocks, { signal, onPermission }) {
    const request = {
      requestId,
      toolCallId: requestId,
      title: 'rm -rf build',
      options: [
        { optionId: 'allow', name: 'Allow', kind: 'allow_once' as const },
        { optionId: 'reject', name: 'Reject', kind: 'reject_once' as const },
      ],
    };
    const outcome = await onPermission(request, signal ?? new AbortController().signal);
    yield { type: 'text', delta: outcome.outcome === 'selected' ? outcome.optionId : 'cancelled' };
    yield { type: 'end', stopReason: 'end_turn', usage: USAGE };
  };
}

export class FakeAgent implements Agent {
  readonly id: string;
  private sessions = 0;

  constructor(private readonly options: FakeAgentOptions = {}) {
    this.id = options.id ?? 'fake';
  }

  async start(): Promise<void> {}

  describe(): AgentDescription {
    const capabilities = {
      image: false,
      systemPrompt: false,
      loadSession: false,
      resumeSession: false,
      listSessions: false,
      closeSession: false,
      fork: false,
    };
    const commands = this.options.commands ?? [];
    return { id: this.id, agentName: this.id, agentVersion: '0', capabilities, commands };
  }

  health(): AgentHealth {
    return { id: this.id, status: 'up', processes: 1, ready: 1, restarts: 0, lastError: null };
  }

  async newSession(): Promise<AgentSessionHandle> {
    if (this.options.sessionFailure !== undefined) throw this.options.sessionFailure;
    this.sessions++;
    return { agentId: this.id, sessionId: `s${this.sessions}`, processKey: 'p' };
  }

  isAlive(): boolean {
    return true;
  }

  prompt(_handle: AgentSessionHandle, blocks: PromptBlock[], options: PromptOptions): AsyncIterable<EngineEvent> {
    return (this.options.script ?? says('ok'))(blocks, options);
  }

  async forkSession(): Promise<AgentSessionHandle> {
    throw new Error('the fake agent cannot fork sessions');
  }

  async reopenSession(): Promise<ReopenedSession> {
    throw new Error('the fake agent cannot reopen sessions');
  }

  async closeSession(): Promise<void> {}

  steer(handle: AgentSessionHandle, text: string): Promise<boolean> {
    return this.options.steer?.(handle, text) ?? Promise.resolve(false);
  }

  sessionTitle(): string | null {
    return null;
  }

  async listCommands(): Promise<AgentCommand[]> {
    return this.options.commands ?? [];
  }

  async listToolsets(): Promise<AgentToolset[]> {
    return this.options.toolsets ?? [];
  }

  async stop(): Promise<void> {}
}
