// How a turn ended, in Chat Completions terms: finish_reason, hermes flags and headers (reference §3.6, acp.md §5.2).
import { hasText, type TurnSummary } from '../../engine/turn-summary.js';
import type { components } from '../../generated/openapi.gen.js';

export type HermesResultFlags = components['schemas']['HermesResultFlags'];
export type ChatUsage = components['schemas']['ChatUsage'];
/** A finished turn always has a reason; the contract's `null` is for chunks before the last. */
export type FinishReason = NonNullable<components['schemas']['ChatCompletionChoice']['finish_reason']>;

export interface ChatOutcome {
  finishReason: FinishReason;
  /** Null on a clean success: no `hermes` key, no X-Hermes-* headers. */
  hermes: HermesResultFlags | null;
}

export function chatOutcome(summary: TurnSummary): ChatOutcome {
  if (summary.error) {
    return {
      finishReason: 'error',
      hermes: {
        completed: false,
        partial: hasText(summary),
        failed: true,
        error: summary.error.message,
        error_code: 'agent_error',
      },
    };
  }
  switch (summary.stopReason) {
    case 'max_tokens':
    case 'max_turn_requests':
      return {
        finishReason: 'length',
        hermes: {
          completed: false,
          partial: true,
          failed: false,
          error: `Output truncated: the agent stopped with ${summary.stopReason}.`,
          error_code: 'output_truncated',
        },
      };
    case 'refusal':
      return { finishReason: 'content_filter', hermes: null };
    case 'cancelled':
      return {
        finishReason: 'stop',
        hermes: { completed: false, partial: true, failed: false, interrupted: true, error: null },
      };
    default:
      return { finishReason: 'stop', hermes: null };
  }
}

/** A turn that failed or stopped short with no text at all (reference §3.6): what the client is told. */
export interface HardFailure {
  message: string;
  /** The three flags of the 502 body's `error.hermes`. */
  flags: Pick<HermesResultFlags, 'completed' | 'partial' | 'failed'>;
}

/**
 * reference §3.6: an empty reply from a failed or partial turn (an error, a truncation, a cut-short turn) is a hard
 * failure: 502 agent_incomplete when nothing was sent yet, an `error` on the finish chunk of a stream.
 */
export function hardFailure(summary: TurnSummary, { hermes }: ChatOutcome): HardFailure | null {
  if (hasText(summary) || !hermes || !(hermes.failed || hermes.partial)) return null;
  return {
    message: hermes.error || 'Agent run did not produce a response.',
    flags: { completed: false, partial: hermes.partial, failed: hermes.failed },
  };
}

export function hermesHeaders(hermes: HermesResultFlags | null): Record<string, string> {
  if (!hermes) return {};
  return {
    'X-Hermes-Completed': String(hermes.completed),
    'X-Hermes-Partial': String(hermes.partial),
    // Header values must be one printable line.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is replaced
    ...(hermes.error ? { 'X-Hermes-Error': hermes.error.replace(/[\x00-\x1f\x7f]/g, ' ').slice(0, 200) } : {}),
  };
}

export function chatUsage(summary: TurnSummary): ChatUsage {
  const u = summary.usage;
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.totalTokens,
    ...(u.cacheReadTokens !== undefined ? { prompt_tokens_details: { cached_tokens: u.cacheReadTokens } } : {}),
    ...(u.reasoningTokens !== undefined ? { completion_tokens_details: { reasoning_tokens: u.reasoningTokens } } : {}),
    // The agent reported no usage: zeros, flagged, rather than a guess (ChatUsage admits extra members).
    ...(u.estimated ? { estimated: true } : {}),
  };
}
