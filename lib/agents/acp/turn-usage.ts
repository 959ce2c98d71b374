// Token usage of one turn: the agent's report (unstable PromptResponse.usage), else an estimate.
import type { Usage } from '@agentclientprotocol/sdk/unstable';
import type { TurnUsage } from '../../engine/port/engine-event.js';

/** Maps the agent's report; null when it sent none (or a malformed one). */
export function promptUsageToTurnUsage(usage: Usage | null | undefined): TurnUsage | null {
  if (!usage || !isCount(usage.inputTokens) || !isCount(usage.outputTokens)) return null;
  const totalTokens = isCount(usage.totalTokens) ? usage.totalTokens : usage.inputTokens + usage.outputTokens;
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    totalTokens,
    ...(isCount(usage.thoughtTokens) ? { reasoningTokens: usage.thoughtTokens } : {}),
    ...(isCount(usage.cachedReadTokens) ? { cacheReadTokens: usage.cachedReadTokens } : {}),
    ...(isCount(usage.cachedWriteTokens) ? { cacheWriteTokens: usage.cachedWriteTokens } : {}),
  };
}

/** Characters seen in one turn, the input of the estimate. */
export interface TurnChars {
  prompt: number;
  text: number;
  reasoning: number;
}

/**
 * The usual rough rule of four characters per token (as jetnet/acp-openai-proxy does), flagged
 * `estimated`. Input counts the prompt's text only (images are not counted); output counts text and
 * reasoning, as OpenAI's completion_tokens include reasoning tokens.
 */
export function estimateTurnUsage(chars: TurnChars): TurnUsage {
  const inputTokens = Math.ceil(chars.prompt / 4);
  const reasoningTokens = Math.ceil(chars.reasoning / 4);
  const outputTokens = Math.ceil(chars.text / 4) + reasoningTokens;
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    ...(reasoningTokens > 0 ? { reasoningTokens } : {}),
    estimated: true,
  };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
