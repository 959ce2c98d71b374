// ACP session/update → neutral engine events (acp.md §5.2). Pure: no state, no I/O.
import type { SessionUpdate, ToolCallContent, ToolCallUpdate } from '@agentclientprotocol/sdk/unstable';
import type { EngineEvent, PlanEntry } from '../../engine/port/engine-event.js';

type Variant = SessionUpdate['sessionUpdate'];
type UpdateOf<K extends Variant> = Extract<SessionUpdate, { sessionUpdate: K }>;
type Translation<K extends Variant> = (update: UpdateOf<K>) => EngineEvent[];

/**
 * One function per variant the gateway shows; every other variant (modes, usage_update…) maps to nothing.
 * available_commands_update is bookkeeping of the agent (acp-agent.ts reads it as it arrives), not a turn event.
 */
const TRANSLATIONS: { [K in Variant]?: Translation<K> } = {
  agent_message_chunk: (update) => {
    const { content } = update;
    const messageId = update.messageId ? { messageId: update.messageId } : {};
    if (content.type === 'text') return content.text ? [{ type: 'text', delta: content.text, ...messageId }] : [];
    // A link has no slot of its own in chat formats: show it as a markdown link in the text.
    if (content.type === 'resource_link') {
      return [{ type: 'text', delta: `[${content.title ?? content.name}](${content.uri})`, ...messageId }];
    }
    return [];
  },
  agent_thought_chunk: ({ content }) =>
    content.type === 'text' && content.text ? [{ type: 'reasoning', delta: content.text }] : [],
  tool_call: (update) => {
    const start = toolStartEvent(update);
    const end = toolEndEvent(update);
    // Some agents announce a tool that already finished in a single tool_call.
    return end ? [start, end] : [start];
  },
  tool_call_update: (update) => {
    const end = toolEndEvent(update);
    return end ? [end] : [];
  },
  plan: ({ entries }) => [{ type: 'plan', entries: entries.map(planEntry) }],
  // An update without `title` leaves the title as it was (the field is a partial update); null clears it.
  session_info_update: ({ title }) => (title === undefined ? [] : [{ type: 'session_info', title }]),
  notice: ({ severity, title, description }) => [
    {
      type: 'notice',
      severity: severity === 'warning' || severity === 'error' ? severity : 'info',
      text: description ? `${title}: ${description}` : title,
    },
  ],
};

export function sessionUpdateToEvents(update: SessionUpdate): EngineEvent[] {
  const translate = TRANSLATIONS[update.sessionUpdate] as Translation<Variant> | undefined;
  return translate ? translate(update) : [];
}

/** A tool_start from a tool_call, or from a tool_call_update for a call never announced. */
export function toolStartEvent(tool: ToolCallUpdate): Extract<EngineEvent, { type: 'tool_start' }> {
  const title = tool.title ?? tool.name ?? tool.kind ?? 'tool';
  return {
    type: 'tool_start',
    toolCallId: tool.toolCallId,
    name: toolName(tool),
    title,
    ...(tool.kind ? { kind: tool.kind } : {}),
    ...(tool.rawInput !== undefined ? { input: tool.rawInput } : {}),
  };
}

function toolEndEvent(tool: ToolCallUpdate): EngineEvent | null {
  if (tool.status !== 'completed' && tool.status !== 'failed') return null;
  return {
    type: 'tool_end',
    toolCallId: tool.toolCallId,
    status: tool.status,
    output: renderToolOutput(tool.content, tool.rawOutput),
  };
}

/** A word before ':' in a hermes-style title ("terminal: ls -la") is the tool's real name. */
const TITLE_TOOL_NAME = /^([A-Za-z_][\w.-]{0,63}):\s/;

/** name ?? the tool named in a "tool: preview" title ?? kind ?? title. */
export function toolName(tool: Pick<ToolCallUpdate, 'name' | 'title' | 'kind'>): string {
  if (tool.name) return tool.name;
  const fromTitle = tool.title ? TITLE_TOOL_NAME.exec(tool.title)?.[1] : undefined;
  return fromTitle ?? tool.kind ?? tool.title ?? 'tool';
}

/** The text of a finished tool: its text blocks and diffs, else its rawOutput as JSON. */
export function renderToolOutput(content: ToolCallContent[] | null | undefined, rawOutput: unknown): string {
  const parts = (content ?? []).flatMap(renderContent);
  if (parts.length > 0) return parts.join('\n');
  if (rawOutput === undefined || rawOutput === null) return '';
  return typeof rawOutput === 'string' ? rawOutput : JSON.stringify(rawOutput);
}

function renderContent(item: ToolCallContent): string[] {
  switch (item.type) {
    case 'content': {
      const block = item.content;
      if (block.type === 'text') return [block.text];
      if (block.type === 'resource_link') return [block.uri];
      if (block.type === 'resource' && 'text' in block.resource) return [block.resource.text];
      return [];
    }
    case 'diff':
      return [renderDiff(item.path, item.oldText ?? null, item.newText)];
    case 'terminal':
      return [`[terminal ${item.terminalId}]`];
  }
}

/** Whole-file before/after in diff notation; ACP diffs carry no hunks. */
function renderDiff(path: string, oldText: string | null, newText: string): string {
  const minus = oldText === null ? [] : oldText.split('\n').map((line) => `-${line}`);
  const plus = newText.split('\n').map((line) => `+${line}`);
  return [`--- ${oldText === null ? '/dev/null' : path}`, `+++ ${path}`, ...minus, ...plus].join('\n');
}

function planEntry(entry: { content: string; priority?: string; status?: string }): PlanEntry {
  // The SDK strips enum values it does not know, so either field may be missing.
  const priority = entry.priority === 'high' || entry.priority === 'low' ? entry.priority : 'medium';
  const status = entry.status === 'in_progress' || entry.status === 'completed' ? entry.status : 'pending';
  return { content: entry.content, priority, status };
}
