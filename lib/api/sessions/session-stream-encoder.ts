// A session chat's run events (the payloads of GET /v1/runs/{id}/events) -> the session stream of reference §8:
// run.started, message.started, assistant.delta…, tool.started|completed|failed, tool.progress (reasoning),
// approval.request, assistant.completed, run.completed|failed|cancelled, done. Every payload gets session_id, run_id,
// seq (from 1) and ts after its own fields, as Hermes adds them with setdefault. Pure: the time of each frame is
// the time of the run event it comes from; `now` only times an `error` no run event stands behind.
import type { RunEventPayload } from '../../engine/runs/run-journal.js';
import type { SseFrame } from '../../http/sse.js';
import type { SessionRuntime } from './session-chat-runtime.js';
import type { WireMessage } from './session-wire.js';

export interface SessionStreamMeta {
  sessionId: string;
  runId: string;
  /** The assistant message of this turn: `msg_` + 32 hex (reference §0.2). */
  messageId: string;
  /** The user message as the client sent it (normalised), echoed by run.started. */
  userContent: unknown;
  runtime: SessionRuntime;
  /** Epoch milliseconds. */
  now: () => number;
}

export type SessionStreamFrame = SseFrame & { event: string; data: Record<string, unknown> };

/** The run events that end a run. */
const TERMINAL: Readonly<Record<string, string>> = {
  'run.completed': 'run.completed',
  'run.failed': 'run.failed',
  'run.cancelled': 'run.cancelled',
  // reference §6.4: interrupted counts as cancelled; the session stream knows no run.interrupted.
  'run.interrupted': 'run.cancelled',
};

export const isTerminalRunEvent = (payload: RunEventPayload): boolean => payload.event in TERMINAL;

interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown> | null;
  output: string | null;
}

export class SessionStreamEncoder {
  private seq = 0;
  private started = false;
  private finished = false;
  private text = '';
  private readonly tools = new Map<string, ToolCall>();

  constructor(private readonly meta: SessionStreamMeta) {}

  /** True once `done` went out: nothing follows it. */
  get done(): boolean {
    return this.finished;
  }

  /**
   * Frames for one run event. `turnMessages`: this turn's stored assistant/tool rows, for the terminal event of a
   * run whose turn was recorded; without them the rows are rebuilt from the events seen.
   */
  push(payload: RunEventPayload, turnMessages?: WireMessage[]): SessionStreamFrame[] {
    if (this.finished) return [];
    const ts = typeof payload.timestamp === 'number' ? payload.timestamp : this.meta.now() / 1000;
    const frames = this.started || payload.event === 'run.started' ? [] : this.start(ts);
    switch (payload.event) {
      case 'run.started':
        if (!this.started) frames.push(...this.start(ts));
        break;
      case 'message.delta':
        this.text += String(payload.delta);
        frames.push(this.frame('assistant.delta', { message_id: this.meta.messageId, delta: payload.delta }, ts));
        break;
      case 'reasoning.delta':
        // reference §8: reasoning goes out as tool.progress of the pseudo tool `_thinking`.
        frames.push(
          this.frame(
            'tool.progress',
            { message_id: this.meta.messageId, tool_name: '_thinking', delta: payload.delta },
            ts,
          ),
        );
        break;
      case 'tool.started':
        frames.push(this.toolStarted(payload, ts));
        break;
      case 'tool.completed':
        frames.push(this.toolEnded(payload, ts));
        break;
      case 'approval.request': {
        const { event: _event, run_id: _runId, timestamp: _timestamp, ...approval } = payload;
        frames.push(this.frame('approval.request', approval, ts));
        break;
      }
      default:
        if (isTerminalRunEvent(payload)) frames.push(...this.finish(payload, ts, turnMessages));
      // approval.responded, plan.updated, run.steered: the session stream has no such events.
    }
    return frames;
  }

  /** reference §8: an exception ends the stream with `error {message}` then `done`. */
  error(message: string): SessionStreamFrame[] {
    if (this.finished) return [];
    this.finished = true;
    const ts = this.meta.now() / 1000;
    return [this.frame('error', { message }, ts), this.frame('done', {}, ts)];
  }

  private start(ts: number): SessionStreamFrame[] {
    this.started = true;
    const { messageId, userContent, runtime } = this.meta;
    return [
      this.frame('run.started', { user_message: { role: 'user', content: userContent }, runtime }, ts),
      this.frame('message.started', { message: { id: messageId, role: 'assistant' } }, ts),
    ];
  }

  private toolStarted(payload: RunEventPayload, ts: number): SessionStreamFrame {
    const id = String(payload.tool_call_id ?? '');
    const name = String(payload.tool ?? 'tool');
    const args = isObject(payload.args) ? payload.args : null;
    this.tools.set(id, { id, name, args, output: null });
    return this.frame(
      'tool.started',
      { message_id: this.meta.messageId, tool_name: name, preview: payload.preview ?? null, args, tool_call_id: id },
      ts,
    );
  }

  private toolEnded(payload: RunEventPayload, ts: number): SessionStreamFrame {
    const id = String(payload.tool_call_id ?? '');
    const tool = this.tools.get(id) ?? { id, name: String(payload.tool ?? 'tool'), args: null, output: null };
    tool.output = typeof payload.preview === 'string' ? payload.preview : '';
    this.tools.set(id, tool);
    const fields = {
      message_id: this.meta.messageId,
      tool_name: tool.name,
      preview: payload.preview ?? null,
      args: tool.args,
      tool_call_id: id,
      ...(typeof payload.duration === 'number' ? { duration: payload.duration } : {}),
    };
    // reference §8: tool.failed is tool.completed with an error.
    return this.frame(payload.error === true ? 'tool.failed' : 'tool.completed', fields, ts);
  }

  private finish(payload: RunEventPayload, ts: number, turnMessages?: WireMessage[]): SessionStreamFrame[] {
    this.finished = true;
    const { sessionId, messageId, runtime } = this.meta;
    const content = typeof payload.output === 'string' ? payload.output : this.text;
    const flags = {
      completed: payload.completed === true,
      partial: payload.partial === true,
      interrupted: payload.interrupted === true,
      ...(typeof payload.turn_exit_reason === 'string' ? { turn_exit_reason: payload.turn_exit_reason } : {}),
    };
    const error = typeof payload.error === 'string' ? { error: payload.error } : {};
    return [
      this.frame(
        'assistant.completed',
        { session_id: sessionId, message_id: messageId, content, ...flags, runtime },
        ts,
      ),
      this.frame(
        TERMINAL[payload.event],
        {
          session_id: sessionId,
          message_id: messageId,
          ...flags,
          ...error,
          messages: turnMessages ?? this.rebuiltMessages(content),
          usage: payload.usage ?? null,
          runtime,
        },
        ts,
      ),
      this.frame('done', {}, ts),
    ];
  }

  /** This turn's rows as the session stores them (conversations.turnMessages), from the events seen. */
  private rebuiltMessages(content: string): WireMessage[] {
    const rows: WireMessage[] = [];
    for (const tool of this.tools.values()) {
      const call = {
        id: tool.id,
        type: 'function',
        function: { name: tool.name, arguments: JSON.stringify(tool.args ?? {}) },
      };
      rows.push({ role: 'assistant', content: '', tool_calls: [call] });
      if (tool.output !== null)
        rows.push({ role: 'tool', content: tool.output, tool_call_id: tool.id, tool_name: tool.name });
    }
    if (content !== '') rows.push({ role: 'assistant', content });
    return rows;
  }

  private frame(event: string, fields: Record<string, unknown>, ts: number): SessionStreamFrame {
    this.seq += 1;
    const { sessionId, runId } = this.meta;
    // Spread first: a field the event sets itself (assistant.completed's session_id) keeps its place and value.
    const data = { ...fields, session_id: fields.session_id ?? sessionId, run_id: runId, seq: this.seq, ts };
    return { event, data };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
