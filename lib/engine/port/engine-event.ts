// The neutral event stream between agents (ACP, …) and the API surfaces. Knows no wire format.
import type { AgentErrorCode } from './agent-error.js';

/** Per-turn token usage as the agent reported it; `estimated` when the agent reported none. */
export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  reasoningTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  estimated?: boolean;
}

export type StopReason = 'end_turn' | 'max_tokens' | 'max_turn_requests' | 'refusal' | 'cancelled';

export interface PlanEntry {
  content: string;
  priority: 'high' | 'medium' | 'low';
  status: 'pending' | 'in_progress' | 'completed';
}

/** One option the agent offers for a permission request (ACP PermissionOption, neutral). */
export interface PermissionOption {
  optionId: string;
  name: string;
  kind: 'allow_once' | 'allow_always' | 'reject_once' | 'reject_always';
}

/** A permission request from the agent, waiting for a decision. */
export interface PermissionRequest {
  /** Unique within the turn: the agent's toolCallId, or a generated id. */
  requestId: string;
  toolCallId: string;
  title: string;
  kind?: string;
  rawInput?: unknown;
  options: PermissionOption[];
}

export type PermissionOutcome = { outcome: 'selected'; optionId: string } | { outcome: 'cancelled' };

export type EngineEvent =
  | { type: 'text'; delta: string; messageId?: string }
  | { type: 'reasoning'; delta: string }
  | {
      type: 'tool_start';
      toolCallId: string;
      /** Tool name (ACP name ?? kind ?? title). */
      name: string;
      /** Human label, e.g. "terminal: ls -la". */
      title: string;
      kind?: string;
      input?: unknown;
    }
  | {
      type: 'tool_end';
      toolCallId: string;
      status: 'completed' | 'failed';
      /** Rendered text of the tool's result. */
      output: string;
    }
  | { type: 'plan'; entries: PlanEntry[] }
  | { type: 'notice'; severity: 'info' | 'warning' | 'error'; text: string }
  /** The agent titled the session (ACP session_info_update); null clears the title. */
  | { type: 'session_info'; title: string | null }
  | { type: 'approval_request'; request: PermissionRequest }
  | { type: 'approval_resolved'; requestId: string; choice: string; optionId?: string; timedOut?: boolean }
  | { type: 'end'; stopReason: StopReason; usage: TurnUsage }
  /** The turn failed (agent JSON-RPC error, crash, timeout). Always the last event. */
  | { type: 'error'; message: string; code: AgentErrorCode };
