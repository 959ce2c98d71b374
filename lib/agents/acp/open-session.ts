// Opening sessions on one process: session/new (the native system prompt when the agent takes one, the caller's
// `_meta`, authentication on -32000 then one retry, the requested model), session/fork, and session/load or
// session/resume. Every one carries the agent's configured MCP servers.
import * as acp from '@agentclientprotocol/sdk/unstable';
import type { Logger } from '../../log.js';
import { AgentError } from '../../engine/port/agent-error.js';
import type { NewSessionOptions } from '../../engine/port/agent.js';
import type { McpServerConfig } from '../../generated/config.gen.js';
import { type AgentProcess, errorMessage } from './agent-process.js';
import { applyModel, type ModelSelection, type NewSessionReply } from './model-selection.js';

const AUTH_REQUIRED = -32000;
const RESOURCE_NOT_FOUND = -32002;

export interface OpenSessionSettings {
  /** Absolute workspace path sent as the session's cwd. */
  cwd: string;
  authMethodId?: string;
  modelSelection: ModelSelection;
  /** The gateway's own model id for this agent: asking for it selects nothing. */
  agentId: string;
  /** The agent's configured MCP servers, in ACP's shape. */
  mcpServers: acp.McpServer[];
}

/** Config entries -> ACP McpServer (the config's optional `type: stdio` and `description` stay with the gateway). */
export function toAcpMcpServers(servers: readonly McpServerConfig[] | undefined): acp.McpServer[] {
  return (servers ?? []).map((server) => {
    if ('command' in server) {
      return { name: server.name, command: server.command, args: server.args ?? [], env: server.env ?? [] };
    }
    return { type: server.type, name: server.name, url: server.url, headers: server.headers ?? [] };
  });
}

export async function openSession(
  proc: AgentProcess,
  options: NewSessionOptions,
  settings: OpenSessionSettings,
  logger: Logger,
): Promise<string> {
  const request: acp.NewSessionRequest = { cwd: settings.cwd, mcpServers: settings.mcpServers };
  if (options.meta) request._meta = options.meta;
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

/** session/fork of a live session on the same process (ACP unstable); returns the fork's id. */
export async function forkSession(
  proc: AgentProcess,
  sessionId: string,
  settings: OpenSessionSettings,
): Promise<string> {
  try {
    const reply = await proc.rpc.request(acp.methods.agent.session.fork, {
      sessionId,
      cwd: settings.cwd,
      mcpServers: settings.mcpServers,
    });
    proc.sessions.add(reply.sessionId);
    return reply.sessionId;
  } catch (error) {
    throw requestError('session/fork', proc, error);
  }
}

/**
 * Reopens a session the agent keeps: session/resume when advertised (nothing replayed), else session/load (its
 * history replay arrives outside any turn and is dropped: the gateway has its own record).
 */
export async function reopenSession(
  proc: AgentProcess,
  sessionId: string,
  options: NewSessionOptions,
  settings: OpenSessionSettings,
  logger: Logger,
): Promise<'resume' | 'load'> {
  const caps = proc.initializeResponse?.agentCapabilities;
  const via = caps?.sessionCapabilities?.resume ? 'resume' : 'load';
  const request = {
    sessionId,
    cwd: settings.cwd,
    mcpServers: settings.mcpServers,
    ...(options.meta ? { _meta: options.meta } : {}),
  };
  let reply: NewSessionReply | null;
  try {
    if (via === 'resume') reply = await proc.rpc.request(acp.methods.agent.session.resume, request);
    else if (caps?.loadSession) reply = await proc.rpc.request(acp.methods.agent.session.load, request);
    else throw AgentError.failed('the agent can neither load nor resume sessions');
  } catch (error) {
    if (error instanceof AgentError) throw error;
    throw requestError(`session/${via}`, proc, error);
  }
  proc.sessions.add(sessionId);
  if (options.model && options.model !== settings.agentId) {
    await applyModel(proc, { ...reply, sessionId }, options.model, settings.modelSelection, logger);
  }
  return via;
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
  return requestError('session/new', proc, error);
}

/** A failed session request: a crash when no JSON-RPC reply came, else the agent's own error. */
function requestError(method: string, proc: AgentProcess, error: unknown): AgentError {
  if (codeOf(error) === undefined) {
    const reason = proc.endReason?.message ?? errorMessage(error);
    return new AgentError('agent_crashed', `${method} failed: ${reason}`, { cause: error });
  }
  if (codeOf(error) === RESOURCE_NOT_FOUND) {
    return new AgentError('session_lost', `${method} failed: ${errorMessage(error)}`, { cause: error });
  }
  return AgentError.failed(`${method} failed: ${errorMessage(error)}`, error);
}

/** The JSON-RPC error code of an agent's error reply; undefined for transport failures. */
export function codeOf(error: unknown): number | undefined {
  return error instanceof acp.RequestError ? error.code : undefined;
}
