// Errors an Agent throws from start() and newSession(); turns report failures as `error` events instead.

/** How an agent failed: the code of an AgentError and of the engine `error` event alike. */
export type AgentErrorCode = 'agent_error' | 'agent_crashed' | 'agent_unavailable' | 'session_lost';

/** A failure of the agent itself (not of the request). */
export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AgentError';
  }

  static unavailable(message: string, cause?: unknown): AgentError {
    return new AgentError('agent_unavailable', message, { cause });
  }

  static failed(message: string, cause?: unknown): AgentError {
    return new AgentError('agent_error', message, { cause });
  }
}
