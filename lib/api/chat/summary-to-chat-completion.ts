// A finished turn -> the non-streaming chat.completion reply, or 502 agent_incomplete (reference §3.5, §3.6).
import type { TurnSummary } from '../../engine/turn-summary.js';
import { GatewayError } from '../../errors.js';
import { Reply } from '../../http/operation.js';
import { chatOutcome, chatUsage, hermesHeaders } from './chat-outcome.js';

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
  showReasoning: boolean;
  headers: Record<string, string>;
}

export function summaryToChatCompletion(summary: TurnSummary, meta: CompletionMeta): Reply {
  const { finishReason, hermes } = chatOutcome(summary);
  if (summary.error && summary.text === '') {
    throw GatewayError.agentIncomplete(
      summary.error.message || 'Agent run did not produce a response.',
      { completed: false, partial: false, failed: true },
      { ...meta.headers, 'X-Hermes-Completed': 'false', 'X-Hermes-Partial': 'false' },
    );
  }
  const message: Record<string, unknown> = { role: 'assistant', content: summary.text, refusal: null };
  if (meta.showReasoning && summary.reasoning) message.reasoning_content = summary.reasoning;
  const body: Record<string, unknown> = {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
    usage: chatUsage(summary),
  };
  if (hermes) body.hermes = hermes;
  return new Reply(200, body, { ...meta.headers, ...hermesHeaders(hermes) });
}
