// A run record -> the hermes.run status object (reference §6.3; key order is part of the wire format).
import type { RunRecord } from '../../engine/runs/run-record.js';
import type { StreamWait } from '../../engine/runs/run-registry.js';
import { runApprovalPayload, usageToWire } from './run-event-encoder.js';

export function runToStatus(record: RunRecord): Record<string, unknown> {
  return {
    object: 'hermes.run',
    run_id: record.runId,
    status: record.status,
    updated_at: record.updatedAt / 1000,
    created_at: record.createdAt / 1000,
    session_id: record.sessionId,
    model: record.model,
    last_event: record.lastEvent,
    output: record.output,
    usage: usageToWire(record.usage),
    error: record.error,
    ...(record.approval ? { approval: { ...runApprovalPayload(record.approval), run_id: record.runId } } : {}),
    ...(record.pendingSteer ? { pending_steer: record.pendingSteer } : {}),
    ...(record.completed !== undefined
      ? { completed: record.completed, partial: record.partial ?? false, interrupted: record.interrupted ?? false }
      : {}),
    ...(record.turnExitReason ? { turn_exit_reason: record.turnExitReason } : {}),
    ...(record.note ? { note: record.note } : {}),
  };
}

/**
 * A streaming chat completion or response waiting for approval, as a run status: what the stream has in common
 * with a run (no session, model or output: those travel on the stream itself).
 */
export function streamWaitToStatus(wait: StreamWait): Record<string, unknown> {
  return {
    object: 'hermes.run',
    run_id: wait.ownerId,
    status: 'waiting_for_approval',
    updated_at: wait.updatedAt / 1000,
    created_at: wait.createdAt / 1000,
    last_event: 'approval.request',
    output: null,
    usage: null,
    error: null,
    approval: { ...runApprovalPayload(wait.approval), run_id: wait.ownerId },
  };
}
