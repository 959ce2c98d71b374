// The gateway's own agent interface. Everything protocol-specific (ACP SDK types, JSON-RPC) stays behind it.
import type { EngineEvent, PermissionOutcome, PermissionRequest } from './engine-event.js';

/** Prompt content in neutral form; the adapter maps it to its protocol's blocks. */
export type PromptBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; data: string; mimeType: string }
  | { type: 'image_url'; url: string };

export interface AgentCapabilities {
  image: boolean;
  /** The agent takes a system prompt on session creation (ACP unstable `systemPrompt`). */
  systemPrompt: boolean;
  loadSession: boolean;
  resumeSession: boolean;
  listSessions: boolean;
  closeSession: boolean;
  /** The agent copies a session into a new one (ACP unstable `session/fork`). */
  fork: boolean;
}

/** A slash command the agent advertises (ACP `available_commands_update`). */
export interface AgentCommand {
  name: string;
  description: string;
  /** What to type after the command, when it takes input. */
  inputHint: string | null;
}

/** One MCP server configured for the agent, with the tools it offers (as the gateway listed them itself). */
export interface AgentToolset {
  /** The server's configured name. */
  name: string;
  transport: 'stdio' | 'http' | 'sse';
  /** The configured description, else the server's own instructions; null when neither says anything. */
  description: string | null;
  /** Tool names, sorted; empty when listing failed. */
  tools: string[];
  /** Why the tools could not be listed (the server did not start, refused, timed out); null when listed. */
  error: string | null;
  /** Epoch milliseconds of the listing this entry comes from (entries are cached). */
  listedAt: number;
}

export interface AgentDescription {
  /** Model id the gateway publishes for this agent. */
  id: string;
  /** Name/version the agent reported in `initialize` (null before the first start). */
  agentName: string | null;
  agentVersion: string | null;
  capabilities: AgentCapabilities;
  /** The commands the agent advertised last (on any session); empty until it advertised some. */
  commands: AgentCommand[];
}

export interface AgentHealth {
  id: string;
  status: 'up' | 'starting' | 'down';
  processes: number;
  ready: number;
  restarts: number;
  lastError: string | null;
}

/** Handle on one agent-side session. `generation` changes when its process was replaced. */
export interface AgentSessionHandle {
  agentId: string;
  sessionId: string;
  /** Identifies the process the session lives in; a stale handle means the session is lost. */
  processKey: string;
}

/** A session the agent kept, open again: `resume` restores it silently, `load` replays its history (dropped). */
export interface ReopenedSession {
  handle: AgentSessionHandle;
  via: 'resume' | 'load';
}

export interface NewSessionOptions {
  /** Layered system prompt; applied natively when the agent supports it, else by the caller's first block. */
  systemPrompt?: string;
  /** Model the client asked for; applied through config options / legacy set_model when the agent offers it. */
  model?: string;
  /** Sent as the request's `_meta` (e.g. the caller's X-Hermes-Session-Key); the agent may ignore it. */
  meta?: Record<string, unknown>;
}

export interface PromptOptions {
  /** Aborting cancels the turn (ACP session/cancel) and answers pending permissions as cancelled. */
  signal?: AbortSignal;
  /** Decides a permission request; the outcome is sent back to the agent. Aborted when the turn ends. */
  onPermission(request: PermissionRequest, signal: AbortSignal): Promise<PermissionOutcome>;
}

export interface Agent {
  readonly id: string;
  /** Spawns the pool and runs initialize; resolves when at least one process is ready. */
  start(): Promise<void>;
  describe(): AgentDescription;
  health(): AgentHealth;
  newSession(options: NewSessionOptions): Promise<AgentSessionHandle>;
  /**
   * A new session that starts as a copy of the handle's session (its history), then goes its own way.
   * Throws an AgentError when the agent cannot fork (capabilities.fork false) or the session is gone.
   */
  forkSession(handle: AgentSessionHandle): Promise<AgentSessionHandle>;
  /**
   * Reopens a session the agent keeps by its id (ACP session/resume when advertised: no replay; else
   * session/load, its replay dropped), e.g. after the gateway restarted. Throws an AgentError when the agent can do neither or does not know the session.
   */
  reopenSession(sessionId: string, options: NewSessionOptions): Promise<ReopenedSession>;
  /** True while the process that owns the session is still the same live process. */
  isAlive(handle: AgentSessionHandle): boolean;
  /**
   * Runs one turn. Yields events as they arrive; ends with exactly one `end` or `error` event.
   * Prompts on one session are queued: at most one is in flight per session.
   */
  prompt(handle: AgentSessionHandle, blocks: PromptBlock[], options: PromptOptions): AsyncIterable<EngineEvent>;
  closeSession(handle: AgentSessionHandle): Promise<void>;
  /**
   * Delivers `text` into the turn running on the session, through the agent's own `steer` command (hermes'
   * `/steer`). Resolves true when the agent took it; false when it cannot (no `steer` command advertised, no
   * turn running on the session, the agent refused): the caller then keeps the text for a later turn.
   */
  steer(handle: AgentSessionHandle, text: string): Promise<boolean>;
  /** The last title the agent gave the session (ACP session_info_update, in a turn or between turns); else null. */
  sessionTitle(handle: AgentSessionHandle): string | null;
  /**
   * The advertised commands; when the agent has advertised none yet, opens a short-lived session to learn
   * them (agents advertise per session), waiting at most `timeoutMs`. Never throws: an agent that is down
   * or advertises nothing gives [].
   */
  listCommands(timeoutMs?: number): Promise<AgentCommand[]>;
  /**
   * The MCP servers configured for the agent (they reach it as ACP `mcpServers`) with their tools, listed by the
   * gateway and cached; `refresh` lists again now. Never throws: a server that fails carries its `error`.
   */
  listToolsets(options?: { refresh?: boolean }): Promise<AgentToolset[]>;
  /** Kills the processes of this agent; in-flight turns end with an `error` event. */
  stop(): Promise<void>;
}
