// Errors an Agent throws from start() and newSession(); turns report failures as `error` events instead.

export type AgentErrorCode = 'agent_error' | 'agent_crashed' | 'agent_unavailable' | 'session_lost';

/** A failure of the agent itself (not of the request); the code matches the engine `error` event's. */
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
