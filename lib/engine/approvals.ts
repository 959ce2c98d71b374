// Who answers an agent's permission request during a turn. The Runs approval flow implements Approver.
import type { PermissionOutcome, PermissionRequest } from './port/engine-event.js';

export interface Approver {
  /**
   * Waits for a human decision on `request`. The turn emits `approval_request` before calling this and
   * `approval_resolved` after. `signal` aborts when the turn ends or the agent withdraws the request.
   */
  decide(request: PermissionRequest, signal: AbortSignal): Promise<ApprovalDecision>;
}

export interface ApprovalDecision {
  outcome: PermissionOutcome;
  /** once | session | always | deny, or cancelled when the request was withdrawn or the turn ended. */
  choice: string;
  /** Nobody answered within the gateway's approval timeout; the deny option was sent. */
  timedOut?: boolean;
}
