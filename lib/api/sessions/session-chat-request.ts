// POST /api/sessions/{id}/chat(/stream) body -> the parts of a turn (reference §8): the message (`message` or
// `input`), the ephemeral system prompt (`system_message` or `instructions`), and the user message as the stream
// echoes it. Pure; the session's stored messages are the history, so nothing here reads the body's history.
import type { PromptBlock } from '../../engine/port/agent.js';
import { systemPromptBlock } from '../../engine/transcript.js';
import { GatewayError } from '../../errors.js';
import { normalizeContent } from '../content.js';

export interface SessionChatParts {
  /** The prompt blocks of this turn: the ephemeral system prompt (if any), then the message. */
  input: PromptBlock[];
  /** The message as the session records it. */
  inputText: string;
  /** The message as `run.started` echoes it: a string, or canonical parts when it carries images (§3.3). */
  userContent: string | Array<Record<string, unknown>>;
  /** The ephemeral system prompt of this turn, null when none was sent. */
  systemMessage: string | null;
}

/**
 * reference §8: `message` | `input` (string or content parts; missing or invisible → 400 missing_message),
 * `system_message` | `instructions` (a string, else 400 invalid_system_message). Like Hermes (`a or b`), an empty
 * first field falls through to the second.
 */
export function sessionChatRequestToTurn(body: Record<string, unknown>): SessionChatParts {
  const field = pythonTruthy(body.message) ? 'message' : 'input';
  const content = body[field];
  const message = normalizeContent(content, field);
  if (!message.visible) throw GatewayError.invalid("Missing 'message' field", 'message', 'missing_message');

  const systemField = pythonTruthy(body.system_message) ? 'system_message' : 'instructions';
  const system = body[systemField];
  if (system !== undefined && system !== null && typeof system !== 'string')
    throw GatewayError.invalid(`${systemField} must be a string`, systemField, 'invalid_system_message');
  const systemMessage = typeof system === 'string' && system.trim() !== '' ? system : null;

  // The ephemeral prompt rides with this turn only (Hermes builds a fresh agent per turn with it layered on its own
  // prompt): a block ahead of the message, so the session's own prompt and its warm agent session stay as they are.
  const input: PromptBlock[] = systemMessage
    ? [{ type: 'text', text: systemPromptBlock(systemMessage) }, ...message.blocks]
    : message.blocks;
  return { input, inputText: message.text, userContent: userContentOf(message.text, message.blocks), systemMessage };
}

function userContentOf(text: string, blocks: PromptBlock[]): SessionChatParts['userContent'] {
  if (blocks.every((block) => block.type === 'text')) return text;
  return blocks.map((block) => {
    if (block.type === 'text') return { type: 'text', text: block.text };
    const url = block.type === 'image' ? `data:${block.mimeType};base64,${block.data}` : block.url;
    return { type: 'image_url', image_url: { url } };
  });
}

/** Python's truthiness, as Hermes' `body.get("a") or body.get("b")` picks between aliases. */
function pythonTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
