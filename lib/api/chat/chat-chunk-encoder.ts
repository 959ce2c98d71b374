// Engine events -> chat.completion.chunk frames and named hermes events. Every byte of a chat stream is made here.
import type { EngineEvent } from '../../engine/port/engine-event.js';
import type { TurnSummary } from '../../engine/turn-summary.js';
import type { SseFrame } from '../../http/sse.js';
import { approvalPayload } from '../approval-payload.js';
import { chatOutcome, chatUsage } from './chat-outcome.js';

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
  start(): SseFrame[] {
    return [{ data: this.chunk({ role: 'assistant', content: '' }, null) }];
  }

  push(event: EngineEvent): SseFrame[] {
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
          this.progress({
            tool: event.name,
            emoji: TOOL_EMOJI[event.kind ?? ''] ?? '🔧',
            label: event.title || event.name,
            toolCallId: event.toolCallId,
            status: 'running',
          }),
        ];
      }
      case 'tool_end': {
        const tool = this.running.get(event.toolCallId);
        if (tool === undefined) return []; // a completion without a start is dropped
        this.running.delete(event.toolCallId);
        return [this.progress({ tool, toolCallId: event.toolCallId, status: event.status })];
      }
      case 'approval_request':
        return [{ event: 'approval.request', data: { ...approvalPayload(event.request), run_id: this.meta.id } }];
      case 'notice':
        return [{ event: 'hermes.status', data: { kind: event.severity, text: event.text } }];
      default:
        return [];
    }
  }

  /** The finish chunk (finish_reason, usage, and on failure `error` + `hermes`), then [DONE]. */
  finish(summary: TurnSummary): SseFrame[] {
    const { finishReason, hermes } = chatOutcome(summary);
    const last: Record<string, unknown> = this.chunk({}, finishReason);
    last.usage = chatUsage(summary);
    if (summary.error) last.error = { message: summary.error.message, type: summary.error.code };
    if (hermes) last.hermes = hermes;
    return [{ data: last }, { data: '[DONE]' }];
  }

  private chunk(delta: Record<string, string>, finishReason: string | null): Record<string, unknown> {
    const { id, created, model } = this.meta;
    return {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    };
  }

  /**
   * `choices: []` rides along so the OpenAI SDK's chat stream helper, which treats every named event as a
   * chunk and iterates its choices, passes over tool progress instead of throwing.
   */
  private progress(payload: Record<string, string>): SseFrame {
    return { event: 'hermes.tool.progress', data: { ...payload, choices: [] } };
  }
}
