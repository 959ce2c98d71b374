// Engine events -> chat.completion.chunk frames and named hermes events. Every byte of a chat stream is made here.
import type { EngineEvent } from '../../engine/port/engine-event.js';
import type { TurnSummary } from '../../engine/turn-summary.js';
import type { components } from '../../generated/openapi.gen.js';
import { approvalPayload } from '../approval-payload.js';
import { chatOutcome, chatUsage, type FinishReason, hardFailure } from './chat-outcome.js';

type ChatCompletionChunk = components['schemas']['CreateChatCompletionStreamResponse'];
type ChunkDelta = components['schemas']['ChatCompletionChunkDelta'];
/*
 * The OpenAI SDK reads every named event of a chat stream as a chunk and iterates its `choices`: each named event
 * carries a `choices` array so that chat.completions.stream() passes over it. Tool progress and status send
 * `choices: []`; approval.request keeps Hermes' `choices` (the approval choices, strings), which the SDK skips as
 * entries without a delta. None carries an `id`, so the SDK merges none of their fields into its completion.
 */
type ToolProgress = components['schemas']['ChatToolProgressEvent'];
type Status = components['schemas']['ChatStatusEvent'];

/** The frames of a chat stream: unnamed chunks, the [DONE] sentinel, and the named hermes events. */
export type ChatFrame =
  | { event?: undefined; data: ChatCompletionChunk | '[DONE]' }
  | { event: 'hermes.tool.progress'; data: ToolProgress }
  | { event: 'hermes.status'; data: Status }
  // Typed by its builder: approvalPayload sends `kind: null` for a kindless tool, which the contract's
  // ApprovalRequest (`kind: string`) does not admit yet.
  | { event: 'approval.request'; data: ReturnType<typeof approvalPayload> & { run_id: string } };

export interface ChatMeta {
  id: string;
  created: number;
  model: string;
  showReasoning: boolean;
  toolProgress: boolean;
}

const TOOL_EMOJI: Record<string, string> = {
  execute: '💻',
  read: '📖',
  edit: '✏️',
  delete: '🗑️',
  move: '📦',
  search: '🔍',
  fetch: '🌐',
  think: '💭',
};

export class ChatChunkEncoder {
  private readonly running = new Map<string, string>();

  constructor(private readonly meta: ChatMeta) {}

  /** The role chunk: the OpenAI SDK's stream helper needs `delta.role` first. */
  start(): ChatFrame[] {
    return [{ data: this.chunk({ role: 'assistant', content: '' }, null) }];
  }

  push(event: EngineEvent): ChatFrame[] {
    switch (event.type) {
      case 'text':
        return event.delta ? [{ data: this.chunk({ content: event.delta }, null) }] : [];
      case 'reasoning':
        return this.meta.showReasoning && event.delta
          ? [{ data: this.chunk({ reasoning_content: event.delta }, null) }]
          : [];
      case 'tool_start': {
        // reference §3.7: `_`-prefixed internal tools are never shown; one event per start.
        if (!this.meta.toolProgress || event.name.startsWith('_') || this.running.has(event.toolCallId)) return [];
        this.running.set(event.toolCallId, event.name);
        return [
          {
            event: 'hermes.tool.progress',
            data: {
              tool: event.name,
              emoji: TOOL_EMOJI[event.kind ?? ''] ?? '🔧',
              label: event.title || event.name,
              toolCallId: event.toolCallId,
              status: 'running',
              choices: [],
            },
          },
        ];
      }
      case 'tool_end': {
        const tool = this.running.get(event.toolCallId);
        if (tool === undefined) return []; // a completion without a start is dropped
        this.running.delete(event.toolCallId);
        return [
          {
            event: 'hermes.tool.progress',
            data: { tool, toolCallId: event.toolCallId, status: event.status, choices: [] },
          },
        ];
      }
      case 'approval_request':
        return [{ event: 'approval.request', data: { ...approvalPayload(event.request), run_id: this.meta.id } }];
      case 'notice':
        return [{ event: 'hermes.status', data: { kind: event.severity, text: event.text, choices: [] } }];
      default:
        return [];
    }
  }

  /**
   * The finish chunk (finish_reason, usage, and on failure `error` + `hermes`), then [DONE]. The status went out
   * with the headers, so an empty truncated reply (a 502 when not streaming, reference §3.6) ends with an `error`
   * too: the OpenAI SDK throws it, as it throws the 502.
   */
  finish(summary: TurnSummary): ChatFrame[] {
    const outcome = chatOutcome(summary);
    const { finishReason, hermes } = outcome;
    const failure = hardFailure(summary, outcome);
    const error = summary.error
      ? { message: summary.error.message, type: summary.error.code }
      : failure
        ? { message: failure.message, type: 'agent_incomplete' }
        : null;
    const last: ChatCompletionChunk = {
      ...this.chunk({}, finishReason),
      usage: chatUsage(summary),
      ...(error ? { error } : {}),
      ...(hermes ? { hermes } : {}),
    };
    return [{ data: last }, { data: '[DONE]' }];
  }

  private chunk(delta: ChunkDelta, finishReason: FinishReason | null): ChatCompletionChunk {
    const { id, created, model } = this.meta;
    return {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    };
  }
}
