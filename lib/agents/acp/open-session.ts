// session/new on one process: the native system prompt when the agent takes one, authentication on
// -32000 (then one retry), and the requested model. Returns the new session's id.
import * as acp from '@agentclientprotocol/sdk/unstable';
import type { Logger } from '../../log.js';
import { AgentError } from '../../engine/port/agent-error.js';
import type { NewSessionOptions } from '../../engine/port/agent.js';
import { type AgentProcess, errorMessage } from './agent-process.js';
import { applyModel, type ModelSelection, type NewSessionReply } from './model-selection.js';

const AUTH_REQUIRED = -32000;

export interface OpenSessionSettings {
  /** Absolute workspace path sent as the session's cwd. */
  cwd: string;
  authMethodId?: string;
  modelSelection: ModelSelection;
  /** The gateway's own model id for this agent: asking for it selects nothing. */
  agentId: string;
}

export async function openSession(
  proc: AgentProcess,
  options: NewSessionOptions,
  settings: OpenSessionSettings,
  logger: Logger,
): Promise<string> {
  const request: acp.NewSessionRequest = { cwd: settings.cwd, mcpServers: [] };
  if (options.systemPrompt) {
    if (proc.initializeResponse?.agentCapabilities?.sessionCapabilities?.systemPrompt) {
      // Layered on top of the agent's own prompt, as hermes layers its API server's system messages.
      request.systemPrompt = { mode: 'append', content: [{ type: 'text', text: options.systemPrompt }] };
    } else {
      logger.debug('agent takes no system prompt on session/new; the caller sends it in the first prompt');
    }
  }
  const reply = await newSessionWithAuth(proc, request, settings, logger);
  proc.sessions.add(reply.sessionId);
  if (options.model && options.model !== settings.agentId) {
    await applyModel(proc, reply, options.model, settings.modelSelection, logger);
  }
  return reply.sessionId;
}

async function newSessionWithAuth(
  proc: AgentProcess,
  request: acp.NewSessionRequest,
  settings: OpenSessionSettings,
  logger: Logger,
): Promise<NewSessionReply> {
  try {
    return await proc.rpc.request(acp.methods.agent.session.new, request);
  } catch (error) {
    if (codeOf(error) !== AUTH_REQUIRED) throw sessionNewError(proc, error);
  }
  const methodId = authMethodOf(proc, settings.authMethodId);
  if (!methodId) throw AgentError.failed('the agent requires authentication and offers no method the gateway can use');
  logger.info({ methodId }, 'agent requires authentication; authenticating');
  try {
    await proc.rpc.request(acp.methods.agent.authenticate, { methodId });
    return await proc.rpc.request(acp.methods.agent.session.new, request);
  } catch (error) {
    throw sessionNewError(proc, error);
  }
}

/** The configured method, else the first one of type `agent` (the default when `type` is absent). */
function authMethodOf(proc: AgentProcess, configured: string | undefined): string | undefined {
  if (configured) return configured;
  const methods = proc.initializeResponse?.authMethods ?? [];
  return methods.find((method) => {
    const type = (method as { type?: unknown }).type;
    return type === undefined || type === 'agent';
  })?.id;
}

function sessionNewError(proc: AgentProcess, error: unknown): AgentError {
  if (codeOf(error) === undefined) {
    const reason = proc.endReason?.message ?? errorMessage(error);
    return new AgentError('agent_crashed', `session/new failed: ${reason}`, { cause: error });
  }
  return AgentError.failed(`session/new failed: ${errorMessage(error)}`, error);
}

/** The JSON-RPC error code of an agent's error reply; undefined for transport failures. */
export function codeOf(error: unknown): number | undefined {
  return error instanceof acp.RequestError ? error.code : undefined;
}
