// POST /v1/runs body -> the parts of a turn (reference §6.1): the message, history by precedence, instructions.
// Pure: a stored Responses chain (previous_response_id) comes in as a value.
import type { PromptBlock } from '../../engine/port/agent.js';
import type { TranscriptMessage } from '../../engine/transcript.js';
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import { contentText, normalizeContent } from '../content.js';

/** The fields of a POST /v1/runs body that shape the turn. */
export type RunRequestFields = Pick<
  components['schemas']['CreateRunRequest'],
  'input' | 'instructions' | 'conversation_history' | 'session_id'
>;
type RunInputItem = Exclude<RunRequestFields['input'], string>[number];

/** What a stored response hands down a chain: its whole conversation and its effective instructions. */
export interface RunChain {
  history: TranscriptMessage[];
  /** The same turns with tool calls spelled out, for seeding a new agent session. */
  seedHistory: TranscriptMessage[];
  instructions: string | null;
}

export interface RunTurnParts {
  systemPrompt: string | null;
  /** null: the session's own record is the history (an explicit session without explicit history). */
  history: TranscriptMessage[] | null;
  /** A richer rendering of `history` for seeding (set when the history is a stored chain). */
  seedHistory?: TranscriptMessage[];
  input: PromptBlock[];
  inputText: string;
}

/** History precedence: conversation_history, then the chain, then earlier input items (reference §6.1). */
export function runRequestToTurn(body: RunRequestFields, chain: RunChain | null = null): RunTurnParts {
  const items = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? body.input : null;
  if (!items || items.length === 0) throw GatewayError.invalid("Missing 'input' field", 'input');
  const lastIndex = items.length - 1;
  const message = normalizeContent(contentOf(items[lastIndex]), `input[${lastIndex}].content`);
  if (!message.visible) throw GatewayError.invalid('No user message found in input', 'input', 'missing_user_message');

  let history: TranscriptMessage[] | null;
  let seedHistory: TranscriptMessage[] | undefined;
  if (body.conversation_history) {
    history = body.conversation_history.flatMap((item, i) => {
      if (item.role !== 'user' && item.role !== 'assistant') return [];
      const { text } = normalizeContent(item.content, `conversation_history[${i}].content`);
      return [{ role: item.role, content: text }];
    });
  } else if (chain) {
    history = chain.history;
    seedHistory = chain.seedHistory;
  } else if (items.length > 1) {
    // Earlier input items are history: their text parts joined with a space (reference §6.1).
    history = items.slice(0, -1).flatMap((item) => {
      const role = typeof item === 'string' ? 'user' : item.role;
      if (role !== 'user' && role !== 'assistant') return [];
      return [{ role, content: contentText(contentOf(item)).replace(/\n/g, ' ') }];
    });
  } else {
    history = body.session_id ? null : [];
  }
  // Instructions are inherited along a chain when the request sends none (reference §4.1).
  const own = typeof body.instructions === 'string' && body.instructions.trim() ? body.instructions : null;
  const instructions = own ?? chain?.instructions ?? null;
  return {
    systemPrompt: instructions,
    history,
    ...(seedHistory ? { seedHistory } : {}),
    input: message.blocks,
    inputText: message.text,
  };
}

function contentOf(item: RunInputItem): components['schemas']['MessageContent'] | undefined {
  return typeof item === 'string' ? item : item.content;
}
