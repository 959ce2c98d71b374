// What the gateway remembers about a run (reference §6.3/§6.4), and how a finished turn maps to a terminal status.
import type { PermissionRequest, TurnUsage } from '../port/engine-event.js';
import { hasText, type TurnSummary } from '../turn-summary.js';

export type RunStatus =
  | 'queued'
  | 'running'
  | 'waiting_for_approval'
  | 'stopping'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

/** reference §6.4: `interrupted` (cut short by a shutdown or restart: "retry me") is terminal, a kind of cancelled. */
export type TerminalRunStatus = 'completed' | 'failed' | 'cancelled' | 'interrupted';

const TERMINAL: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'cancelled', 'interrupted']);
export const isTerminal = (status: RunStatus): status is TerminalRunStatus => TERMINAL.has(status);

export interface RunRecord {
  runId: string;
  /** The API key hash the run belongs to: any other key sees 404. */
  scope: string;
  /** The gateway process that executes (or executed) the run. */
  instance: string;
  status: RunStatus;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  sessionId: string;
  model: string;
  lastEvent: string | null;
  output: string | null;
  usage: TurnUsage | null;
  error: string | null;
  /** The oldest pending permission request while `waiting_for_approval`. */
  approval: PermissionRequest | null;
  /**
   * Request ids of every pending permission request, oldest first: an instance that does not execute the
   * run answers 409 approval_not_pending from this without asking the owner.
   */
  pendingApprovals?: string[];
  completed?: boolean;
  partial?: boolean;
  interrupted?: boolean;
  turnExitReason?: string;
  /** Why a cancelled run ended the way it did (e.g. the agent had to be restarted). */
  note?: string;
  /** reference §6.8: steer text accepted for the run that has not reached the agent (yet, or ever). */
  pendingSteer?: string | null;
}

export interface RunOutcome {
  status: TerminalRunStatus;
  output: string;
  usage: TurnUsage | null;
  error: string | null;
  completed: boolean;
  partial: boolean;
  interrupted: boolean;
  turnExitReason?: string;
  note?: string;
  /** Steer text accepted for the run that never reached the agent. */
  pendingSteer?: string;
}

export const RESTARTED_ERROR = 'The gateway restarted before this run settled.';
export const SHUTDOWN_ERROR = 'Gateway shutdown interrupted the run.';

export interface OutcomeContext {
  stopRequested: boolean;
  shuttingDown: boolean;
}

/**
 * reference §6.4 terminal mapping: cancelled when stopped, interrupted when the gateway shut down under the turn,
 * failed on errors and partial ends, else completed.
 */
export function summaryToOutcome(summary: TurnSummary, { stopRequested, shuttingDown }: OutcomeContext): RunOutcome {
  const base = { output: summary.text, usage: summary.stopReason ? summary.usage : null };
  if (summary.error) {
    if (stopRequested) {
      const note =
        summary.error.code === 'agent_crashed'
          ? `The agent did not end its turn after the stop request and was restarted (${summary.error.message}).`
          : `The turn ended with an error after the stop request: ${summary.error.message}`;
      return { ...base, status: 'cancelled', error: null, completed: false, partial: true, interrupted: true, note };
    }
    if (shuttingDown) return interruptedOutcome(summary.text, SHUTDOWN_ERROR);
    const { message } = summary.error;
    return {
      ...base,
      status: 'failed',
      error: message,
      completed: false,
      partial: hasText(summary),
      interrupted: false,
    };
  }
  switch (summary.stopReason) {
    case 'end_turn':
      return { ...base, status: 'completed', error: null, completed: true, partial: false, interrupted: false };
    case 'cancelled':
      if (shuttingDown && !stopRequested) return interruptedOutcome(summary.text, SHUTDOWN_ERROR);
      return { ...base, status: 'cancelled', error: null, completed: false, partial: true, interrupted: true };
    case 'refusal':
      return {
        ...base,
        status: 'failed',
        error: 'The agent refused the request.',
        completed: false,
        partial: false,
        interrupted: false,
        turnExitReason: 'refusal',
      };
    case 'max_tokens':
    case 'max_turn_requests':
      return {
        ...base,
        status: 'failed',
        error: `The agent stopped before finishing (${summary.stopReason}).`,
        completed: false,
        partial: true,
        interrupted: false,
        turnExitReason: summary.stopReason,
      };
    default:
      return {
        ...base,
        status: 'failed',
        error: 'The agent ended the turn without a result.',
        completed: false,
        partial: false,
        interrupted: false,
      };
  }
}

/** A run the gateway's shutdown or restart cut short (reference §6.4: `interrupted`, with the reason as its error). */
export function interruptedOutcome(output: string, error: string): RunOutcome {
  return {
    status: 'interrupted',
    output,
    usage: null,
    error,
    completed: false,
    partial: output !== '',
    interrupted: true,
  };
}

/** What every settled record takes from its outcome, however it settled (its turn ended, or a restart lost it). */
export function settledFields(outcome: RunOutcome, at: number) {
  return {
    status: outcome.status,
    updatedAt: at,
    error: outcome.error,
    approval: null,
    pendingApprovals: [],
    completed: outcome.completed,
    partial: outcome.partial,
    interrupted: outcome.interrupted,
  } satisfies Partial<RunRecord>;
}
