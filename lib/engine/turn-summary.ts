// Folds a turn's events into what non-streaming surfaces report: text, reasoning, tools, usage, how it ended.
import type { EngineEvent, StopReason, TurnUsage } from './port/engine-event.js';
import type { TurnText } from './turn-text.js';

export interface ToolRecord {
  toolCallId: string;
  name: string;
  title: string;
  kind?: string;
  input?: unknown;
  status: 'running' | 'completed' | 'failed';
  output: string | null;
  startedAt: number;
  endedAt: number | null;
}

export interface TurnSummary {
  text: string;
  reasoning: string;
  tools: ToolRecord[];
  usage: TurnUsage;
  stopReason: StopReason | null;
  error: { message: string; code: string } | null;
  /** The session title the agent sent during the turn (the last one); null when it sent none. */
  title: string | null;
}

export const ZERO_USAGE: TurnUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0, estimated: true };

export function emptySummary(): TurnSummary {
  return { text: '', reasoning: '', tools: [], usage: ZERO_USAGE, stopReason: null, error: null, title: null };
}

/** Summaries whose text a TurnText holds (a running turn's: it may outgrow memory); `text` reads it. */
const texts = new WeakMap<TurnSummary, TurnText>();

/** Whether the turn produced any text (without reading a text that outgrew memory back from its file). */
export function hasText(summary: TurnSummary): boolean {
  const text = texts.get(summary);
  return text ? text.length > 0 : summary.text !== '';
}

/** An empty summary whose text goes to `text` as it comes. */
export function summaryWithText(text: TurnText): TurnSummary {
  const summary = emptySummary();
  Object.defineProperty(summary, 'text', {
    get: () => text.toString(),
    set: (value: string) => text.reset(value),
    enumerable: true,
    configurable: true,
  });
  texts.set(summary, text);
  return summary;
}

/** Applies one event to the summary (mutates it; `now` is injected so the fold stays pure). */
export function applyEvent(summary: TurnSummary, event: EngineEvent, now: number): TurnSummary {
  switch (event.type) {
    case 'text': {
      const text = texts.get(summary);
      if (text) text.append(event.delta);
      else summary.text += event.delta;
      break;
    }
    case 'reasoning':
      summary.reasoning += event.delta;
      break;
    case 'tool_start':
      summary.tools.push({
        toolCallId: event.toolCallId,
        name: event.name,
        title: event.title,
        kind: event.kind,
        input: event.input,
        status: 'running',
        output: null,
        startedAt: now,
        endedAt: null,
      });
      break;
    case 'tool_end': {
      const tool = summary.tools.find((t) => t.toolCallId === event.toolCallId && t.status === 'running');
      if (tool) Object.assign(tool, { status: event.status, output: event.output, endedAt: now });
      break;
    }
    case 'session_info':
      summary.title = event.title;
      break;
    case 'end':
      summary.stopReason = event.stopReason;
      summary.usage = event.usage;
      break;
    case 'error':
      summary.error = { message: event.message, code: event.code };
      break;
  }
  return summary;
}

export function summarize(events: readonly EngineEvent[], now = 0): TurnSummary {
  return events.reduce((summary, event) => applyEvent(summary, event, now), emptySummary());
}

/**
 * Two turns as one summary (a run that went on with a steered turn): texts joined by a blank line, reasoning and
 * tools in order, usage added, the end (stop reason, error) and the latest title of the later turn.
 */
export function joinSummaries(earlier: TurnSummary, later: TurnSummary): TurnSummary {
  const separator = earlier.text && later.text ? '\n\n' : '';
  return {
    ...later,
    text: earlier.text + separator + later.text,
    reasoning: earlier.reasoning + later.reasoning,
    tools: [...earlier.tools, ...later.tools],
    usage: addUsage(earlier.usage, later.usage),
    title: later.title ?? earlier.title,
  };
}

function addUsage(a: TurnUsage, b: TurnUsage): TurnUsage {
  const sum: TurnUsage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  for (const field of ['reasoningTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const) {
    if (a[field] !== undefined || b[field] !== undefined) sum[field] = (a[field] ?? 0) + (b[field] ?? 0);
  }
  if (a.estimated || b.estimated) sum.estimated = true;
  return sum;
}
