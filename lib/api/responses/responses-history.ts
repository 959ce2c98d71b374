// Where a Responses chain's history comes from: the messages of the session the previous response ran in, up to
// that response's turn (reference §4.5). A stored response keeps only its own input, never a copy of the
// conversation, so a turn's write does not grow with the chain.
import type { NumberedMessage } from '../../store/session-store.js';
import type { StoredResponse, ToolExchange, TranscriptEntry } from '../../store/responses-repo.js';
import type { Services } from '../services.js';

/** The conversation up to and including `previous`'s turn; [] when its session is gone (deleted or expired). */
export async function historyOf(services: Services, previous: StoredResponse): Promise<TranscriptEntry[]> {
  if (previous.transcript) return previous.transcript; // a record written before sessions held the messages
  const end = previous.messageEnd;
  if (end === undefined || end === null) return [];
  const row = await services.conversations.get(previous.session.key);
  if (!row) return [];
  return messagesToTranscript(await services.conversations.sessions.messages(row.key, 0, end));
}

/** Session rows -> transcript entries: tool call and result rows fold into the assistant answer that follows. */
export function messagesToTranscript(messages: readonly NumberedMessage[]): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  let tools: ToolExchange[] = [];
  for (const m of messages) {
    if (m.role === 'user') entries.push({ role: 'user', content: m.content });
    else if (m.role === 'assistant' && m.tool_calls?.length) {
      for (const call of m.tool_calls)
        tools.push({
          callId: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
          output: null,
          status: 'completed',
        });
    } else if (m.role === 'tool') {
      const tool = tools.find((t) => t.callId === m.tool_call_id);
      if (tool) tool.output = m.content;
    } else if (m.role === 'assistant') {
      entries.push({ role: 'assistant', content: m.content, ...(tools.length > 0 ? { tools } : {}) });
      tools = [];
    }
  }
  return entries;
}
