// A turn refused because its agent could not open a session: the client's answer stays 503 agent_unavailable
// (the error catalogue has no other code for it), and the agent's own code rides along for the engine and logs.
import { GatewayError } from '../errors.js';
import { AgentError, type AgentErrorCode } from './port/agent-error.js';

export class SessionStartRefusal extends GatewayError {
  /** The AgentError's code (agent_crashed, session_lost, …); agent_unavailable for any other failure. */
  readonly agentCode: AgentErrorCode;

  constructor(failure: unknown) {
    const refusal = GatewayError.agentUnavailable(failure instanceof Error ? failure.message : String(failure));
    super(refusal.status, refusal.type, refusal.code, refusal.message, refusal.param, refusal.headers);
    this.agentCode = failure instanceof AgentError ? failure.code : 'agent_unavailable';
    this.cause = failure;
  }
}
