// Engine events -> the OpenAI Responses event sequence (DESIGN: "Responses streams emit the full OpenAI event
// sequence"). Every Responses stream byte is decided here; it owns sequence_number, output_index and item ids.
//
// Approvals. The stream may carry only event types the OpenAI spec defines (the SDK's responses.stream() throws
// on others), so an agent's permission request (acp.md §5.3) goes out as the spec's own human-approval item:
// `response.output_item.added` and `response.output_item.done` of
//   {"type":"mcp_approval_request","id":<request_id>,"server_label":<model>,"name":<tool title>,
//    "arguments":<the tool's raw input as a JSON string>}
// The item is complete as sent (the vendor schema gives it no status). The client answers it out of band, as
// for any run: POST /v1/runs/{response id}/approval {"choice":"once|session|always|deny","request_id":<item id>}.
// The answer shows as the agent going on (its tool items and text); OpenAI has no server-sent event for it, so
// none is sent. Only streaming requests get an approver: a non-streaming one has nobody watching, and the
// headless policy answers for it.
import type { EngineEvent, PermissionRequest } from '../../engine/port/engine-event.js';
import type { TurnSummary } from '../../engine/turn-summary.js';
import type { components } from '../../generated/openapi.gen.js';
import type { ResponseObject } from '../../store/responses-repo.js';
import type { ItemKind } from '../ids.js';
import { toolArguments } from './responses-request-to-turn.js';
import { inProgressResponse, type OutputItem, type ResponseMeta, summaryToResponse } from './summary-to-response.js';

export interface EncoderOptions {
  showReasoning: boolean;
  /** Item ids come in, so golden transcripts are the same bytes on every run. */
  newItemId(kind: ItemKind): string;
  /** Epoch seconds, for completed_at. */
  now(): number;
}

type OpenItem =
  | { kind: 'message'; index: number; id: string; text: string; messageId?: string }
  | { kind: 'reasoning'; index: number; id: string; text: string };

type StreamEvent = components['schemas']['ResponseStreamEvent'];
type EventType = StreamEvent['type'];
type EventOf<T extends EventType> = Extract<StreamEvent, { type: T }>;
/** What an event carries besides the `type` and `sequence_number` that frame() adds. */
type EventFields<T extends EventType> = Omit<EventOf<T>, 'type' | 'sequence_number'>;
type FunctionCallItem = components['schemas']['FunctionCallItem'];
type OutputTextContent = components['schemas']['OutputTextContent'];
type SummaryText = components['schemas']['SummaryText'];

type FrameOf<T extends EventType> = { event: T; data: EventOf<T> };
/** One frame of a Responses stream: the SSE event name is the payload's `type`. */
export type ResponsesFrame = { [T in EventType]: FrameOf<T> }[EventType];

const textPart = (text: string): OutputTextContent => ({ type: 'output_text', text, annotations: [], logprobs: [] });

export class ResponsesEventEncoder {
  private sequence = 0;
  /** Output items in their latest form; the index is the output_index. */
  private readonly output: OutputItem[] = [];
  private open: OpenItem | null = null;
  /** Running tool calls: toolCallId -> their function_call item and its output_index. */
  private readonly running = new Map<string, { index: number; call: FunctionCallItem }>();
  private final: ResponseObject | null = null;

  constructor(
    private readonly meta: ResponseMeta,
    private readonly options: EncoderOptions,
  ) {}

  /** response.created and response.in_progress. */
  start(): ResponsesFrame[] {
    return [
      this.frame('response.created', { response: this.snapshot() }),
      this.frame('response.in_progress', { response: this.snapshot() }),
    ];
  }

  push(event: EngineEvent): ResponsesFrame[] {
    switch (event.type) {
      case 'text':
        return event.delta ? this.text(event.delta, event.messageId) : [];
      case 'reasoning':
        return this.options.showReasoning && event.delta ? this.reasoning(event.delta) : [];
      case 'tool_start':
        return this.toolStart(event);
      case 'tool_end':
        return this.toolEnd(event);
      case 'approval_request':
        return this.approvalRequest(event.request);
      default:
        return []; // resolved approvals, plans and notices have no OpenAI event type; the SDK throws on unknown ones
    }
  }

  /** Closes what is open and sends the terminal event (completed, failed or incomplete). */
  finish(summary: TurnSummary, clientGone = false): ResponsesFrame[] {
    const response = summaryToResponse(summary, this.meta, [], this.options.now(), clientGone);
    const itemStatus = response.status === 'completed' ? 'completed' : 'incomplete';
    const frames = this.close(itemStatus);
    for (const { index, call } of this.running.values()) {
      const item: FunctionCallItem = { ...call, status: 'incomplete' };
      this.output[index] = item;
      frames.push(this.frame('response.output_item.done', { output_index: index, item }));
    }
    this.running.clear();
    this.final = { ...response, output: [...this.output] };
    const ended = { response: this.final };
    frames.push(
      response.status === 'completed'
        ? this.frame('response.completed', ended)
        : response.status === 'failed'
          ? this.frame('response.failed', ended)
          : this.frame('response.incomplete', ended),
    );
    return frames;
  }

  /** The Response as it stands: in progress until finish(), then the final one. */
  snapshot(): ResponseObject {
    return this.final ?? inProgressResponse(this.meta, [...this.output]);
  }

  private text(delta: string, messageId: string | undefined): ResponsesFrame[] {
    const frames: ResponsesFrame[] = [];
    const open = this.open;
    // A new agent message id starts a new message item (acp.md §5.2).
    const newMessage = open?.kind === 'message' && messageId && open.messageId && open.messageId !== messageId;
    if (open && (open.kind !== 'message' || newMessage)) frames.push(...this.close('completed'));
    if (!this.open) {
      const id = this.options.newItemId('msg');
      const index = this.output.length;
      const item: OutputItem = { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] };
      this.output.push(item);
      this.open = { kind: 'message', index, id, text: '', messageId };
      frames.push(
        this.frame('response.output_item.added', { output_index: index, item }),
        this.frame('response.content_part.added', {
          item_id: id,
          output_index: index,
          content_index: 0,
          part: textPart(''),
        }),
      );
    }
    const current = this.open as Extract<OpenItem, { kind: 'message' }>;
    current.text += delta;
    frames.push(
      this.frame('response.output_text.delta', {
        item_id: current.id,
        output_index: current.index,
        content_index: 0,
        delta,
        logprobs: [],
      }),
    );
    return frames;
  }

  private reasoning(delta: string): ResponsesFrame[] {
    const frames: ResponsesFrame[] = [];
    if (this.open && this.open.kind !== 'reasoning') frames.push(...this.close('completed'));
    if (!this.open) {
      const id = this.options.newItemId('rs');
      const index = this.output.length;
      const item: OutputItem = { id, type: 'reasoning', status: 'in_progress', summary: [] };
      this.output.push(item);
      this.open = { kind: 'reasoning', index, id, text: '' };
      frames.push(
        this.frame('response.output_item.added', { output_index: index, item }),
        this.frame('response.reasoning_summary_part.added', {
          item_id: id,
          output_index: index,
          summary_index: 0,
          part: { type: 'summary_text', text: '' },
        }),
      );
    }
    const current = this.open;
    current.text += delta;
    frames.push(
      this.frame('response.reasoning_summary_text.delta', {
        item_id: current.id,
        output_index: current.index,
        summary_index: 0,
        delta,
      }),
    );
    return frames;
  }

  private toolStart(event: Extract<EngineEvent, { type: 'tool_start' }>): ResponsesFrame[] {
    // `_`-prefixed tools are the agent's internals (reference §3.7); a repeated start is the same call.
    if (event.name.startsWith('_') || this.running.has(event.toolCallId)) return [];
    const frames = this.close('completed');
    const index = this.output.length;
    const item: FunctionCallItem = {
      id: this.options.newItemId('fc'),
      type: 'function_call',
      status: 'in_progress',
      name: event.name,
      call_id: event.toolCallId,
      arguments: toolArguments(event.input),
    };
    this.output.push(item);
    this.running.set(event.toolCallId, { index, call: item });
    frames.push(this.frame('response.output_item.added', { output_index: index, item }));
    return frames;
  }

  private toolEnd(event: Extract<EngineEvent, { type: 'tool_end' }>): ResponsesFrame[] {
    const running = this.running.get(event.toolCallId);
    if (running === undefined) return []; // a completion without a start is dropped
    this.running.delete(event.toolCallId);
    const frames = this.close('completed');
    // The agent ran the tool: both items are completed, never pending for the client (a failure is in the text).
    const call: FunctionCallItem = { ...running.call, status: 'completed' };
    this.output[running.index] = call;
    frames.push(this.frame('response.output_item.done', { output_index: running.index, item: call }));
    const outputIndex = this.output.length;
    const result: OutputItem = {
      id: this.options.newItemId('fco'),
      type: 'function_call_output',
      call_id: event.toolCallId,
      // reference §4.3: the result as an input_text part array, not a bare string
      output: [{ type: 'input_text', text: event.output }],
      status: 'completed',
    };
    this.output.push(result);
    frames.push(
      this.frame('response.output_item.added', { output_index: outputIndex, item: result }),
      this.frame('response.output_item.done', { output_index: outputIndex, item: result }),
    );
    return frames;
  }

  private approvalRequest(request: PermissionRequest): ResponsesFrame[] {
    const frames = this.close('completed');
    const index = this.output.length;
    const item: OutputItem = {
      id: request.requestId,
      type: 'mcp_approval_request',
      server_label: this.meta.model,
      name: request.title,
      arguments: toolArguments(request.rawInput ?? {}),
    };
    this.output.push(item);
    frames.push(
      this.frame('response.output_item.added', { output_index: index, item }),
      this.frame('response.output_item.done', { output_index: index, item }),
    );
    return frames;
  }

  /** Closes the open message or reasoning item with its done events. */
  private close(status: 'completed' | 'incomplete'): ResponsesFrame[] {
    const open = this.open;
    if (!open) return [];
    this.open = null;
    const { id, index, text } = open;
    if (open.kind === 'message') {
      const part = textPart(text);
      const item: OutputItem = { id, type: 'message', status, role: 'assistant', content: [part] };
      this.output[index] = item;
      return [
        this.frame('response.output_text.done', {
          item_id: id,
          output_index: index,
          content_index: 0,
          text,
          logprobs: [],
        }),
        this.frame('response.content_part.done', { item_id: id, output_index: index, content_index: 0, part }),
        this.frame('response.output_item.done', { output_index: index, item }),
      ];
    }
    const part: SummaryText = { type: 'summary_text', text };
    const item: OutputItem = { id, type: 'reasoning', status, summary: [part] };
    this.output[index] = item;
    return [
      this.frame('response.reasoning_summary_text.done', { item_id: id, output_index: index, summary_index: 0, text }),
      this.frame('response.reasoning_summary_part.done', { item_id: id, output_index: index, summary_index: 0, part }),
      this.frame('response.output_item.done', { output_index: index, item }),
    ];
  }

  /** `type` first and `sequence_number` last, as the reference lays the payload out. */
  private frame<T extends EventType>(type: T, fields: NoInfer<EventFields<T>>): FrameOf<T> {
    // The event put back together from its parts, which TypeScript cannot follow for a generic T.
    const data = { type, ...fields, sequence_number: this.sequence++ } as EventOf<T>;
    return { event: type, data };
  }
}
