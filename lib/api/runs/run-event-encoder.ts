// Engine events of one run -> the run event payloads of GET /v1/runs/{id}/events (reference §6.5).
// Pure apart from the injected clock: `now()` gives epoch milliseconds.
import type { EngineEvent, TurnUsage } from '../../engine/port/engine-event.js';
import type { RunEventPayload } from '../../engine/runs/run-journal.js';
import type { RunOutcome } from '../../engine/runs/run-record.js';
import type { RunEncoder } from '../../engine/runs/run-encoder.js';
import { approvalPayload } from '../approval-payload.js';

export interface RunEncoderMeta {
  runId: string;
  sessionId: string;
  model: string;
  now: () => number;
}

const PREVIEW_LIMIT = 500;

export class RunEventEncoder implements RunEncoder {
  private readonly toolStarts = new Map<string, { name: string; at: number }>();

  constructor(private readonly meta: RunEncoderMeta) {}

  started(): RunEventPayload[] {
    return [this.payload('run.started', { session_id: this.meta.sessionId, model: this.meta.model })];
  }

  push(event: EngineEvent): RunEventPayload[] {
    switch (event.type) {
      case 'text':
        return event.delta ? [this.payload('message.delta', { delta: event.delta })] : [];
      case 'reasoning':
        return event.delta ? [this.payload('reasoning.delta', { delta: event.delta })] : [];
      case 'tool_start': {
        const at = this.meta.now();
        this.toolStarts.set(event.toolCallId, { name: event.name, at });
        const fields = {
          tool: event.name,
          preview: event.title,
          tool_call_id: event.toolCallId,
          ...(event.input !== undefined ? { args: event.input } : {}),
        };
        return [this.payload('tool.started', fields, at)];
      }
      case 'tool_end': {
        const start = this.toolStarts.get(event.toolCallId);
        this.toolStarts.delete(event.toolCallId);
        const at = this.meta.now();
        const duration = start ? Math.round(at - start.at) / 1000 : 0;
        return [
          this.payload(
            'tool.completed',
            {
              tool: start?.name ?? 'tool',
              duration,
              error: event.status === 'failed',
              preview: preview(event.output),
              tool_call_id: event.toolCallId,
            },
            at,
          ),
        ];
      }
      case 'plan':
        return [this.payload('plan.updated', { entries: event.entries })];
      case 'approval_request':
        return [this.payload('approval.request', runApprovalPayload(event.request))];
      case 'approval_resolved':
        return [
          this.payload('approval.responded', {
            choice: event.choice,
            request_id: event.requestId,
            resolved: event.choice === 'cancelled' ? 0 : 1,
            ...(event.timedOut ? { timed_out: true } : {}),
          }),
        ];
      default:
        // notice, end and error: the terminal event comes from finish()
        return [];
    }
  }

  /** reference §6.5: `run.steered {accepted: true}`; `delivered` says whether it reached the running turn at once. */
  steered(delivered: boolean): RunEventPayload[] {
    return [this.payload('run.steered', { accepted: true, delivered })];
  }

  finish(outcome: RunOutcome): RunEventPayload[] {
    const flags = {
      completed: outcome.completed,
      partial: outcome.partial,
      interrupted: outcome.interrupted,
      ...(outcome.turnExitReason ? { turn_exit_reason: outcome.turnExitReason } : {}),
      ...(outcome.pendingSteer ? { pending_steer: outcome.pendingSteer } : {}),
    };
    switch (outcome.status) {
      case 'completed':
        return [this.payload('run.completed', { ...flags, output: outcome.output, usage: usageToWire(outcome.usage) })];
      case 'failed':
        return [
          this.payload('run.failed', { ...flags, error: outcome.error ?? 'The run failed.', output: outcome.output }),
        ];
      case 'cancelled':
        return [
          this.payload('run.cancelled', {
            ...flags,
            output: outcome.output,
            ...(outcome.note ? { note: outcome.note } : {}),
          }),
        ];
      case 'interrupted':
        // reference §6.5: `run.interrupted {error}`; the flags and partial output ride along as on run.failed.
        return [
          this.payload('run.interrupted', {
            ...flags,
            error: outcome.error ?? 'The run was interrupted.',
            output: outcome.output,
          }),
        ];
    }
  }

  private payload(event: string, fields: Record<string, unknown>, at = this.meta.now()): RunEventPayload {
    return { event, run_id: this.meta.runId, timestamp: at / 1000, ...fields };
  }
}

/** The approval payload without members the contract has no null for. */
export function runApprovalPayload(request: Parameters<typeof approvalPayload>[0]): Record<string, unknown> {
  const { kind, ...rest } = approvalPayload(request);
  return kind === null ? rest : { ...rest, kind };
}

export function usageToWire(usage: TurnUsage | null) {
  if (!usage) return null;
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
    cache_read_tokens: usage.cacheReadTokens ?? 0,
    cache_write_tokens: usage.cacheWriteTokens ?? 0,
    ...(usage.reasoningTokens !== undefined ? { reasoning_tokens: usage.reasoningTokens } : {}),
    ...(usage.estimated ? { estimated: true } : {}),
  };
}

function preview(text: string): string | null {
  if (!text) return null;
  return text.length > PREVIEW_LIMIT ? `${text.slice(0, PREVIEW_LIMIT)}...` : text;
}
