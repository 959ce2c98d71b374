// Responses request -> the parts of a turn: history (chain, explicit or echoed items), layered instructions, the new
// message (reference §4.1). Pure: the stored previous response comes in as a value.
import type { PromptBlock } from '../../engine/port/agent.js';
import type { TranscriptMessage } from '../../engine/transcript.js';
import type { TurnSummary } from '../../engine/turn-summary.js';
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import type { ToolExchange, TranscriptEntry } from '../../store/responses-repo.js';
import { contentText, normalizeContent } from '../content.js';

/** reference §4.1: `truncation: "auto"` keeps the last 100 history messages. */
export const TRUNCATION_KEEP = 100;

type CreateResponseRequest = components['schemas']['CreateResponseRequest'];
type ConversationHistoryItem = components['schemas']['ConversationHistoryItem'];
type MessageContent = components['schemas']['MessageContent'];
/** An input item other than a bare string: a message, or an item echoed back from earlier output. */
type InputObject = Exclude<components['schemas']['ResponseInputItem'], string>;

/** The fields of a POST /v1/responses body that shape the turn. */
export type ResponsesRequestFields = Pick<
  CreateResponseRequest,
  'input' | 'instructions' | 'conversation_history' | 'truncation'
>;

export interface ResponsesTurnParts {
  /**
   * The conversation before this turn (chain or explicit history, then earlier input items), tools included;
   * null when the chain's session is the history (it continues at its latest turn, nothing added before it).
   */
  history: TranscriptEntry[] | null;
  /** This request's own input: its earlier items, then the user's message (what GET …/input_items lists). */
  ownInput: TranscriptEntry[];
  /** Instructions to store and hand down the chain: the request's, else the previous response's. */
  instructions: string | null;
  /** The system prompt of this turn: instructions plus any system/developer input items. */
  systemPrompt: string | null;
  input: PromptBlock[];
  inputText: string;
}

/** What a chained request inherits: the previous response's instructions and the history before this turn. */
export interface ChainContext {
  instructions: string | null;
  /** The history to continue from; null: the chain's session holds it (continue without reading it). */
  history: TranscriptEntry[] | null;
}

export function responsesRequestToTurn(body: ResponsesRequestFields, chain: ChainContext | null): ResponsesTurnParts {
  const items = inputItems(body.input);
  const base = body.conversation_history ? conversationHistoryToTranscript(body.conversation_history) : chain?.history;
  let history: TranscriptEntry[] | null = null;
  if (base !== null || items.history.length > 0 || body.truncation === 'auto') {
    const all = [...(base ?? []), ...items.history];
    history = body.truncation === 'auto' ? all.slice(-TRUNCATION_KEEP) : all;
  }
  const instructions = body.instructions ?? chain?.instructions ?? null;
  const systemParts = [instructions, ...items.systemTexts].filter((t): t is string => !!t);
  return {
    history,
    ownInput: [...items.history, { role: 'user', content: items.inputText }],
    instructions,
    systemPrompt: systemParts.length > 0 ? systemParts.join('\n') : null,
    input: items.input,
    inputText: items.inputText,
  };
}

interface InputItems {
  history: TranscriptEntry[];
  systemTexts: string[];
  input: PromptBlock[];
  inputText: string;
}

/** Echoed items that carry nothing new; an approval request is answered on the approval endpoint, not here. */
const SKIPPED_ITEMS = new Set(['reasoning', 'item_reference', 'mcp_approval_request']);

/** `input`: a string, or items whose last one is the user's new message; earlier ones extend the history. */
export function inputItems(input: CreateResponseRequest['input']): InputItems {
  if (typeof input === 'string') return finish([{ role: 'user', text: input, blocks: textBlocks(input) }], []);
  if (input.length === 0) {
    throw GatewayError.invalid("'input' must be a string or a non-empty array of items.", 'input');
  }
  const messages: Array<{ role: 'user' | 'assistant'; text: string; blocks: PromptBlock[]; tools?: ToolExchange[] }> =
    [];
  const systemTexts: string[] = [];
  for (const [i, item] of input.entries()) {
    const where = `input[${i}]`;
    if (typeof item === 'string') {
      messages.push({ role: 'user', text: item, blocks: textBlocks(item) });
      continue;
    }
    const type = item.type ?? 'message';
    if (SKIPPED_ITEMS.has(type)) continue; // echoed reasoning / references to stored items carry nothing new
    if (type === 'function_call' || type === 'function_call_output') {
      echoedTool(messages, item);
      continue;
    }
    if (type !== 'message') throw GatewayError.unsupportedContent(`Unsupported input item type '${type}'.`, where);
    const role = item.role ?? 'user';
    if (role === 'system' || role === 'developer') systemTexts.push(contentText(item.content));
    if (role !== 'user' && role !== 'assistant') continue;
    rejectFileIds(item.content, `${where}.content`);
    const { text, blocks } = normalizeContent(item.content, `${where}.content`);
    const last = messages.at(-1);
    // The answer after echoed tool calls belongs to the assistant turn that made them.
    if (role === 'assistant' && last?.role === 'assistant' && last.text === '' && last.tools) last.text = text;
    else messages.push({ role, text, blocks });
  }
  return finish(messages, systemTexts);
}

function finish(
  messages: Array<{ role: 'user' | 'assistant'; text: string; blocks: PromptBlock[]; tools?: ToolExchange[] }>,
  systemTexts: string[],
): InputItems {
  const last = messages.at(-1);
  if (last?.role !== 'user' || last.blocks.length === 0) {
    throw GatewayError.invalid('No user message found in input: the last item must be a user message.', 'input');
  }
  return {
    history: messages
      .slice(0, -1)
      .map(({ role, text, tools }) => ({ role, content: text, ...(tools ? { tools } : {}) })),
    systemTexts,
    input: last.blocks,
    inputText: last.text,
  };
}

/** A client replaying earlier output: function calls join the assistant turn they belong to. */
function echoedTool(
  messages: Array<{ role: 'user' | 'assistant'; text: string; blocks: PromptBlock[]; tools?: ToolExchange[] }>,
  item: InputObject,
): void {
  let last = messages.at(-1);
  if (last?.role !== 'assistant') {
    last = { role: 'assistant', text: '', blocks: [] };
    messages.push(last);
  }
  last.tools ??= [];
  const callId = String(item.call_id ?? '');
  if (item.type === 'function_call') {
    last.tools.push({
      callId,
      name: String(item.name ?? 'tool'),
      arguments: String(item.arguments ?? '{}'),
      output: null,
      status: 'completed',
    });
    return;
  }
  const tool = last.tools.find((t) => t.callId === callId);
  if (tool) tool.output = typeof item.output === 'string' ? item.output : contentText(item.output);
}

/** `input_image` by `file_id` needs the Files API, which the gateway does not have. */
function rejectFileIds(content: MessageContent | undefined, param: string): void {
  if (!Array.isArray(content)) return;
  content.forEach((part, i) => {
    if (part.type === 'input_image' && !part.image_url && part.file_id) {
      throw GatewayError.unsupportedContent(
        'Images by file_id are not supported; send an image URL or a data URL.',
        `${param}[${i}]`,
      );
    }
  });
}

/** Explicit `conversation_history` ({role, content}, OpenAI chat shape with tool_calls / tool messages). */
export function conversationHistoryToTranscript(items: readonly ConversationHistoryItem[]): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  for (const item of items) {
    if (item.role === 'user') entries.push({ role: 'user', content: contentText(item.content) });
    else if (item.role === 'assistant') {
      type ToolCall = { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
      const calls = Array.isArray(item.tool_calls) ? (item.tool_calls as ToolCall[]) : [];
      const tools = calls.map((call) => ({
        callId: String(call.id ?? ''),
        name: String(call.function?.name ?? 'tool'),
        arguments: String(call.function?.arguments ?? '{}'),
        output: null,
        status: 'completed' as const,
      }));
      const last = entries.at(-1);
      if (!tools.length && last?.role === 'assistant' && last.content === '' && last.tools) {
        last.content = contentText(item.content); // the answer after the tool results
      } else {
        entries.push({ role: 'assistant', content: contentText(item.content), ...(tools.length ? { tools } : {}) });
      }
    } else if (item.role === 'tool') {
      const tool = entries.at(-1)?.tools?.find((t) => t.callId === item.tool_call_id);
      if (tool) tool.output = contentText(item.content);
    }
  }
  return entries;
}

/** What this turn adds to the stored transcript: the user's message and the agent's answer with its tools. */
export function turnToTranscript(inputText: string, summary: TurnSummary): TranscriptEntry[] {
  const tools: ToolExchange[] = summary.tools
    .filter((tool) => !tool.name.startsWith('_'))
    .map((tool) => ({
      callId: tool.toolCallId,
      name: tool.name,
      arguments: toolArguments(tool.input),
      output: tool.output,
      status: tool.status,
    }));
  return [
    { role: 'user', content: inputText },
    { role: 'assistant', content: summary.text, ...(tools.length ? { tools } : {}) },
  ];
}

/** The engine's view of a transcript: text turns only, as the turn runner records and compares them. */
export function transcriptToHistory(transcript: readonly TranscriptEntry[]): TranscriptMessage[] {
  return transcript.map(({ role, content }) => ({ role, content }));
}

/** The same turns with tool calls spelled out, for seeding a new agent session. */
export function transcriptToSeedHistory(transcript: readonly TranscriptEntry[]): TranscriptMessage[] {
  return transcript.map(({ role, content, tools }) => {
    if (!tools?.length) return { role, content };
    const calls = tools.map(
      (t) => `[tool call ${t.name} ${t.arguments} -> ${t.output === null ? '(no result)' : t.output}]`,
    );
    return { role, content: [...calls, content].filter(Boolean).join('\n') };
  });
}

export function toolArguments(input: unknown): string {
  if (input === undefined) return '{}';
  return typeof input === 'string' ? input : JSON.stringify(input);
}

function textBlocks(text: string): PromptBlock[] {
  return text.trim() ? [{ type: 'text', text }] : [];
}
