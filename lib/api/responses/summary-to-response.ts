// The Response object (reference §4.2): every field the official OpenAI `Response` requires, nulls where the gateway
// has nothing to say. Pure: ids, clock and output items come in.
import type { TurnUsage } from '../../engine/port/engine-event.js';
import type { TurnSummary } from '../../engine/turn-summary.js';
import type { components } from '../../generated/openapi.gen.js';
import type { ResponseObject } from '../../store/responses-repo.js';

export type OutputItem = components['schemas']['OutputItem'];
export type ResponseStatus = components['schemas']['ResponseStatus'];
export type ResponseUsage = components['schemas']['ResponseUsage'];

export interface ResponseMeta {
  id: string;
  createdAt: number;
  model: string;
  instructions: string | null;
  previousResponseId: string | null;
  /** The conversation name, when the request used one. */
  conversation: string | null;
  store: boolean;
  truncation: NonNullable<ResponseObject['truncation']>;
  metadata: NonNullable<ResponseObject['metadata']>;
}

export interface ResponseOutcome {
  status: ResponseStatus;
  error: ResponseObject['error'];
  incomplete_details: ResponseObject['incomplete_details'];
}

/** How a turn ended, in Responses terms (acp.md §5.2). `clientGone`: the client left and the turn was cancelled. */
export function responseOutcome(summary: TurnSummary, clientGone = false): ResponseOutcome {
  const ok = { error: null, incomplete_details: null };
  if (summary.error) {
    // Response.error.code is a closed vendor enum: every agent failure is a server_error.
    return {
      status: 'failed',
      error: { code: 'server_error', message: summary.error.message },
      incomplete_details: null,
    };
  }
  if (clientGone || summary.stopReason === 'cancelled') return { status: 'incomplete', ...ok };
  switch (summary.stopReason) {
    case 'max_tokens':
    case 'max_turn_requests':
      return { status: 'incomplete', error: null, incomplete_details: { reason: 'max_output_tokens' } };
    case 'refusal':
      return { status: 'incomplete', error: null, incomplete_details: { reason: 'content_filter' } };
    case 'end_turn':
      return { status: 'completed', ...ok };
    default:
      return {
        status: 'failed',
        error: { code: 'server_error', message: 'The agent ended the turn without a result.' },
        incomplete_details: null,
      };
  }
}

export function responseUsage(usage: TurnUsage): ResponseUsage {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: {
      cached_tokens: usage.cacheReadTokens ?? 0,
      cache_write_tokens: usage.cacheWriteTokens ?? 0,
    },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.totalTokens,
  };
}

/** The envelope at any stage: in progress (no usage yet) or ended. */
export function responseEnvelope(
  meta: ResponseMeta,
  outcome: ResponseOutcome,
  output: OutputItem[],
  usage: ResponseUsage | null,
  completedAt: number | null,
): ResponseObject {
  return {
    id: meta.id,
    object: 'response',
    created_at: meta.createdAt,
    status: outcome.status,
    background: false,
    completed_at: outcome.status === 'completed' ? completedAt : null,
    error: outcome.error,
    incomplete_details: outcome.incomplete_details,
    instructions: meta.instructions,
    max_output_tokens: null,
    model: meta.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: meta.previousResponseId,
    reasoning: null,
    store: meta.store,
    temperature: null,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    truncation: meta.truncation,
    usage,
    user: null,
    metadata: meta.metadata,
    conversation: meta.conversation === null ? null : { id: meta.conversation },
  };
}

export function inProgressResponse(meta: ResponseMeta, output: OutputItem[] = []): ResponseObject {
  return responseEnvelope(meta, { status: 'in_progress', error: null, incomplete_details: null }, output, null, null);
}

/** The finished Response of a turn, given the output items its events produced. */
export function summaryToResponse(
  summary: TurnSummary,
  meta: ResponseMeta,
  output: OutputItem[],
  completedAt: number,
  clientGone = false,
): ResponseObject {
  return responseEnvelope(
    meta,
    responseOutcome(summary, clientGone),
    output,
    responseUsage(summary.usage),
    completedAt,
  );
}
