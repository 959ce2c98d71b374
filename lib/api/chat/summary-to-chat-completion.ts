// A finished turn -> the non-streaming chat.completion reply, or 502 agent_incomplete (reference §3.5, §3.6).
import type { TurnSummary } from '../../engine/turn-summary.js';
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import { Reply } from '../../http/operation.js';
import { chatOutcome, chatUsage, hardFailure, hermesHeaders } from './chat-outcome.js';

type ChatCompletion = components['schemas']['CreateChatCompletionResponse'];
type ChatCompletionMessage = components['schemas']['ChatCompletionMessage'];

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
  showReasoning: boolean;
  headers: Record<string, string>;
}

export function summaryToChatCompletion(summary: TurnSummary, meta: CompletionMeta): Reply {
  const outcome = chatOutcome(summary);
  const { finishReason, hermes } = outcome;
  const failure = hardFailure(summary, outcome);
  if (failure) {
    throw GatewayError.agentIncomplete(failure.message, failure.flags, {
      ...meta.headers,
      'X-Hermes-Completed': 'false',
      'X-Hermes-Partial': String(failure.flags.partial),
    });
  }
  const message: ChatCompletionMessage = {
    role: 'assistant',
    content: summary.text,
    refusal: null,
    ...(meta.showReasoning && summary.reasoning ? { reasoning_content: summary.reasoning } : {}),
  };
  const body: ChatCompletion = {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
    usage: chatUsage(summary),
    ...(hermes ? { hermes } : {}),
  };
  return new Reply(200, body, { ...meta.headers, ...hermesHeaders(hermes) });
}
