// Chat Completions request -> the parts of a turn: layered system prompt, history, the new message (reference §3.2).
import { createHash } from 'node:crypto';
import type { PromptBlock } from '../../engine/port/agent.js';
import type { TranscriptMessage } from '../../engine/transcript.js';
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import { contentText, normalizeContent } from '../content.js';

type ChatMessage = components['schemas']['ChatMessage'];

/** The roles of an OpenAI chat message. The schema leaves `role` open, so proxy mode forwards what clients send. */
const KNOWN_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

export interface ChatTurnParts {
  systemPrompt: string | null;
  history: TranscriptMessage[];
  input: PromptBlock[];
  inputText: string;
  /** `api-` + 16 hex of sha256(system prompt + first user message): one id per stateless conversation. */
  derivedSessionId: string;
}

export function chatRequestToTurn(messages: readonly ChatMessage[], scope = ''): ChatTurnParts {
  const systems: string[] = [];
  const kept: Array<{ role: 'user' | 'assistant'; text: string; blocks: PromptBlock[]; visible: boolean }> = [];
  for (const [i, message] of messages.entries()) {
    if (!KNOWN_ROLES.includes(message.role)) {
      // Not dropped like tool/function: a misspelt role would otherwise surface as "No user message found".
      const allowed = KNOWN_ROLES.map((role) => JSON.stringify(role)).join(', ');
      throw GatewayError.invalid(
        `Invalid request: 'messages[${i}].role' must be one of: ${allowed}.`,
        `messages[${i}].role`,
      );
    }
    if (message.role === 'system') systems.push(contentText(message.content));
    // tool, developer and function roles carry nothing the agent can use (reference §3.2)
    if (message.role !== 'user' && message.role !== 'assistant') continue;
    const { text, blocks, visible } = normalizeContent(message.content, `messages[${i}].content`);
    kept.push({ role: message.role, text, blocks, visible });
  }
  const last = kept.at(-1);
  if (!last?.visible) {
    throw GatewayError.invalid('No user message found in messages', 'messages', 'missing_user_message');
  }
  const systemPrompt = systems.length > 0 ? systems.join('\n') : null;
  return {
    systemPrompt,
    history: kept.slice(0, -1).map((m) => ({ role: m.role, content: m.text })),
    input: last.blocks,
    inputText: last.text,
    // Hashed only when asked for: a request that names its session never needs it.
    get derivedSessionId() {
      return deriveSessionId(systemPrompt ?? '', kept.find((m) => m.role === 'user')?.text ?? '', scope);
    },
  };
}

export function deriveSessionId(systemPrompt: string, firstUser: string, scope = ''): string {
  const seed = `${scope ? `${scope}\0` : ''}${systemPrompt}\n${firstUser}`;
  return `api-${createHash('sha256').update(seed, 'utf8').digest('hex').slice(0, 16)}`;
}
