// A run record -> the hermes.run status object (reference §6.3; key order is part of the wire format).
import type { RunRecord } from '../../engine/runs/run-record.js';
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
    ...(record.completed !== undefined
      ? { completed: record.completed, partial: record.partial ?? false, interrupted: record.interrupted ?? false }
      : {}),
    ...(record.turnExitReason ? { turn_exit_reason: record.turnExitReason } : {}),
    ...(record.note ? { note: record.note } : {}),
  };
}
