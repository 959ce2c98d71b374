import type { ValidateFunction } from 'ajv';
import { AssertionError, expect } from 'chai';
import { ChatChunkEncoder, type ChatMeta } from '../../../lib/api/chat/chat-chunk-encoder.js';
import type { EngineEvent } from '../../../lib/engine/port/engine-event.js';
import { summarize } from '../../../lib/engine/turn-summary.js';
import { loadContract, SCHEMA_BASE } from '../../../lib/http/contract.js';
import { formatSseFrame, type SseFrame } from '../../../lib/http/sse.js';
import { createAjv } from '../../../lib/http/validate.js';
import { expectGolden, goldenCases, readJsonl } from '../../support/golden.js';
import { expectOpenAiSchema } from '../../support/openai-schema.js';

const FIXED: ChatMeta = {
  id: 'chatcmpl-00000000000000000000000000001',
  created: 1710000000,
  model: 'scripted-agent',
  showReasoning: true,
  toolProgress: true,
};

function encode(events: EngineEvent[], meta = FIXED): SseFrame[] {
  const encoder = new ChatChunkEncoder(meta);
  return [...encoder.start(), ...events.flatMap((e) => encoder.push(e)), ...encoder.finish(summarize(events))];
}

/** The contract's payload schema of each named event (openapi.yaml `x-sse-events`). */
const NAMED_EVENT_SCHEMAS: Record<string, string> = {
  'hermes.tool.progress': 'ChatToolProgressEvent',
  'hermes.status': 'ChatStatusEvent',
  'approval.request': 'ChatApprovalRequestEvent',
};
let ajv: ReturnType<typeof createAjv> | undefined;
const namedEventValidators = new Map<string, ValidateFunction>();

function expectNamedEvent(frame: SseFrame): void {
  ajv ??= createAjv(loadContract(), false);
  if (namedEventValidators.size === 0) {
    for (const [event, name] of Object.entries(NAMED_EVENT_SCHEMAS)) {
      namedEventValidators.set(event, ajv.compile({ $ref: `${SCHEMA_BASE}chat.json#/$defs/${name}` }));
    }
  }
  const validate = namedEventValidators.get(frame.event!);
  if (!validate) throw new AssertionError(`unexpected named event ${frame.event}`);
  if (!validate(frame.data)) {
    throw new AssertionError(`${frame.event} does not match the contract: ${ajv.errorsText(validate.errors)}`);
  }
}

const chunks = (frames: SseFrame[]) =>
  frames.filter((f) => !f.event && f.data !== '[DONE]').map((f) => f.data as Record<string, any>);

describe('ChatChunkEncoder', () => {
  const cases = goldenCases('chat');
  it('has golden cases', () => expect(cases.length).to.be.greaterThanOrEqual(5));

  for (const name of cases) {
    it(`encodes ${name} into its golden transcript`, () => {
      const frames = encode(readJsonl<EngineEvent>(`fixtures/golden/chat/${name}.events.jsonl`));
      expectGolden(`fixtures/golden/chat/${name}.sse`, frames.map(formatSseFrame).join(''));
      for (const chunk of chunks(frames)) {
        // A failure chunk carries finish_reason "error", which the official enum does not know: by design.
        if (chunk.choices[0].finish_reason !== 'error') expectOpenAiSchema('CreateChatCompletionStreamResponse', chunk);
      }
      for (const frame of frames.filter((f) => f.event)) expectNamedEvent(frame);
    });
  }

  it('sends the role first, exactly one finish_reason, then [DONE]', () => {
    const frames = encode(readJsonl<EngineEvent>('fixtures/golden/chat/text-stream.events.jsonl'));
    const data = chunks(frames);
    expect(data[0].choices[0].delta.role).to.equal('assistant');
    expect(data.filter((c) => c.choices[0].finish_reason !== null)).to.have.length(1);
    expect(frames.at(-1)!.data).to.equal('[DONE]');
    expect(data.at(-1)!.usage).to.deep.equal({ prompt_tokens: 200, completion_tokens: 80, total_tokens: 280 });
  });

  it('emits exactly running then completed for one tool call, and never delta.tool_calls', () => {
    const frames = encode(readJsonl<EngineEvent>('fixtures/golden/chat/tools-and-reasoning.events.jsonl'));
    const progress = frames.filter((f) => f.event === 'hermes.tool.progress').map((f) => f.data as any);
    expect(progress.map((p) => [p.toolCallId, p.status])).to.deep.equal([
      ['call_terminal_1', 'running'],
      ['call_terminal_1', 'completed'],
    ]);
    expect(progress[0]).to.include({ tool: 'terminal', label: 'ls -la', emoji: '💻' });
    expect(chunks(frames).some((c) => c.choices[0]?.delta?.tool_calls)).to.equal(false);
  });

  it('never shows _-prefixed tools nor completions without a start', () => {
    const frames = encode(readJsonl<EngineEvent>('fixtures/golden/chat/hidden-and-orphan-tools.events.jsonl'));
    expect(frames.filter((f) => f.event === 'hermes.tool.progress')).to.deep.equal([]);
  });

  it('leaves tool progress and reasoning out when switched off', () => {
    const events = readJsonl<EngineEvent>('fixtures/golden/chat/tools-and-reasoning.events.jsonl');
    const frames = encode(events, { ...FIXED, toolProgress: false, showReasoning: false });
    expect(frames.some((f) => f.event)).to.equal(false);
    expect(chunks(frames).some((c) => c.choices[0]?.delta?.reasoning_content)).to.equal(false);
  });

  it('ends a failed turn with finish_reason error, a top-level error and the hermes flags', () => {
    const last = chunks(encode(readJsonl<EngineEvent>('fixtures/golden/chat/failure-after-text.events.jsonl'))).at(-1)!;
    expect(last.choices[0].finish_reason).to.equal('error');
    expect(last.error).to.deep.equal({
      message: 'The agent process exited (code 1) during the turn.',
      type: 'agent_crashed',
    });
    expect(last.hermes).to.include({ completed: false, partial: true, failed: true, error_code: 'agent_error' });
  });

  it('maps max_tokens to finish_reason length with output_truncated', () => {
    const last = chunks(encode(readJsonl<EngineEvent>('fixtures/golden/chat/max-tokens.events.jsonl'))).at(-1)!;
    expect(last.choices[0].finish_reason).to.equal('length');
    expect(last.hermes).to.include({ partial: true, error_code: 'output_truncated' });
  });

  it('gives every named event a choices array and no id, so the OpenAI SDK stream helper passes over it', () => {
    const frames = encode(readJsonl<EngineEvent>('fixtures/golden/chat/named-events.events.jsonl'));
    const named = frames.filter((f) => f.event);
    expect(named.map((f) => f.event)).to.deep.equal([
      'hermes.status',
      'approval.request',
      'hermes.tool.progress',
      'hermes.tool.progress',
    ]);
    for (const { data } of named) {
      expect(data).to.have.property('choices').that.is.an('array');
      expect(data).to.not.have.property('id');
    }
    // approval.request keeps Hermes' choice strings (reference §6.5); the others carry none.
    expect(named.map((f) => (f.data as { choices: unknown[] }).choices)).to.deep.equal([[], ['once', 'deny'], [], []]);
  });

  it('ends an empty truncated reply with finish_reason length and a top-level error the SDK throws (§3.6)', () => {
    const data = chunks(encode(readJsonl<EngineEvent>('fixtures/golden/chat/empty-max-tokens.events.jsonl')));
    const last = data.at(-1)!;
    expect(last.choices[0]).to.deep.include({ delta: {}, finish_reason: 'length' });
    expect(last.error).to.deep.equal({
      message: 'Output truncated: the agent stopped with max_tokens.',
      type: 'agent_incomplete',
    });
    expect(last.hermes).to.include({ completed: false, partial: true, failed: false });
  });

  it('keeps a truncated reply with text free of a top-level error', () => {
    const last = chunks(encode(readJsonl<EngineEvent>('fixtures/golden/chat/max-tokens.events.jsonl'))).at(-1)!;
    expect(last).to.not.have.property('error');
  });
});
