// GET /v1/responses/{response_id}/input_items: the items a stored response was generated from, as an OpenAI
// cursor-paginated list. Read from the stored transcript; knows nothing of how the turn ran.
import { createHash } from 'node:crypto';
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import type { ResponsesRepo, StoredResponse, ToolExchange, TranscriptEntry } from '../../store/responses-repo.js';
import type { ItemKind } from '../ids.js';
import type { Operation } from '../operation-types.js';
import { ownedResponse } from './get-response.js';

type ResponseItem = components['schemas']['ResponseItem'];
type ResponseItemList = components['schemas']['ResponseItemList'];
type ItemStatus = components['schemas']['ItemFunctionCall']['status'];

/** OpenAI's defaults for this list: newest first, 20 a page. */
const DEFAULT_LIMIT = 20;
/** Statuses whose stored transcript ends with this turn's answer (an in-progress snapshot holds only the history). */
const FINISHED = new Set(['completed', 'failed', 'incomplete', 'cancelled']);

export interface InputItemsQuery {
  limit?: number;
  order?: 'asc' | 'desc';
  after?: string;
}

export function listResponseInputItems(repo: ResponsesRepo): Operation<'listResponseInputItems'> {
  return async ({ params, query, ctx }) => {
    const record = await ownedResponse(repo, ctx, params.response_id);
    return pageOfItems(storedInputItems(record), query as InputItemsQuery, params.response_id);
  };
}

/**
 * The input the response was generated from, oldest first: the items this request sent before its message
 * (assistant turns with their tool calls and results) and the user's message. Ids are derived from the response id and the position, so they are
 * the same on every read and `after` can page through them.
 */
export function storedInputItems(record: StoredResponse): ResponseItem[] {
  const responseId = record.response.id;
  const entries = record.input ? [...record.input] : legacyInput(record);
  const items: ResponseItem[] = [];
  entries.forEach((entry, i) => {
    const id = (kind: ItemKind, j = 0) => itemId(responseId, kind, i, j);
    if (entry.role === 'user') {
      items.push({
        id: id('msg'),
        type: 'message',
        role: 'user',
        status: 'completed',
        content: [{ type: 'input_text', text: entry.content }],
      });
      return;
    }
    for (const [j, tool] of (entry.tools ?? []).entries()) items.push(...toolItems(tool, id('fc', j), id('fco', j)));
    if (entry.content !== '' || !entry.tools?.length) {
      items.push({
        id: id('msg'),
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: entry.content, annotations: [] }],
      });
    }
  });
  return items;
}

/** A record written before responses kept their own input: its part of the stored transcript, without the answer. */
function legacyInput(record: StoredResponse): TranscriptEntry[] {
  const entries = (record.transcript ?? []).slice(record.inputFrom ?? 0);
  if (FINISHED.has(record.response.status) && entries.at(-1)?.role === 'assistant') entries.pop();
  return entries;
}

/** A tool exchange: the call, then its result once there is one. */
function toolItems(tool: ToolExchange, callItemId: string, outputItemId: string): ResponseItem[] {
  const status: ItemStatus = TOOL_STATUS[tool.status];
  const call: ResponseItem = {
    id: callItemId,
    type: 'function_call',
    call_id: tool.callId,
    name: tool.name,
    arguments: tool.arguments,
    status,
  };
  if (tool.output === null) return [call];
  return [call, { id: outputItemId, type: 'function_call_output', call_id: tool.callId, output: tool.output, status }];
}

const TOOL_STATUS: Record<ToolExchange['status'], ItemStatus> = {
  completed: 'completed',
  failed: 'incomplete',
  running: 'in_progress',
};

/** One page in the asked order; `after` names the last item of the previous page. */
export function pageOfItems(
  items: readonly ResponseItem[],
  query: InputItemsQuery,
  responseId: string,
): ResponseItemList {
  const ordered = query.order === 'asc' ? [...items] : [...items].reverse();
  let start = 0;
  if (query.after !== undefined) {
    const at = ordered.findIndex((item) => item.id === query.after);
    if (at < 0) throw GatewayError.invalid(`No input item '${query.after}' in response ${responseId}.`, 'after');
    start = at + 1;
  }
  const limit = query.limit ?? DEFAULT_LIMIT;
  const data = ordered.slice(start, start + limit);
  return {
    object: 'list',
    data,
    first_id: data.at(0)?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < ordered.length,
  };
}

function itemId(responseId: string, kind: ItemKind, entry: number, part: number): string {
  const digest = createHash('sha256').update(`${responseId}:${entry}:${part}:${kind}`).digest('hex');
  return `${kind}_${digest.slice(0, 24)}`;
}
