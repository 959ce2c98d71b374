// Who answers an agent's permission request during a turn. The Runs approval flow implements Approver.
import type { PermissionOutcome, PermissionRequest } from './engine-event.js';

export interface Approver {
  /**
   * Waits for a human decision on `request`. The turn emits `approval_request` before calling this and
   * `approval_resolved` after. `signal` aborts when the turn ends or the agent withdraws the request.
   */
  decide(request: PermissionRequest, signal: AbortSignal): Promise<{ outcome: PermissionOutcome; choice: string }>;
}
