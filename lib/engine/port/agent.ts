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
}

export interface AgentDescription {
  /** Model id the gateway publishes for this agent. */
  id: string;
  /** Name/version the agent reported in `initialize` (null before the first start). */
  agentName: string | null;
  agentVersion: string | null;
  capabilities: AgentCapabilities;
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

export interface NewSessionOptions {
  /** Layered system prompt; applied natively when the agent supports it, else by the caller's first block. */
  systemPrompt?: string;
  /** Model the client asked for; applied through config options / legacy set_model when the agent offers it. */
  model?: string;
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
  /** True while the process that owns the session is still the same live process. */
  isAlive(handle: AgentSessionHandle): boolean;
  /**
   * Runs one turn. Yields events as they arrive; ends with exactly one `end` or `error` event.
   * Prompts on one session are queued: at most one is in flight per session.
   */
  prompt(handle: AgentSessionHandle, blocks: PromptBlock[], options: PromptOptions): AsyncIterable<EngineEvent>;
  closeSession(handle: AgentSessionHandle): Promise<void>;
  /** Kills the processes of this agent; in-flight turns end with an `error` event. */
  stop(): Promise<void>;
}
