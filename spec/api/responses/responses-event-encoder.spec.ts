import { expect } from 'chai';
import type { ItemKind } from '../../../lib/api/ids.js';
import { ResponsesEventEncoder } from '../../../lib/api/responses/responses-event-encoder.js';
import type { ResponseMeta } from '../../../lib/api/responses/summary-to-response.js';
import type { EngineEvent } from '../../../lib/engine/port/engine-event.js';
import { summarize } from '../../../lib/engine/turn-summary.js';
import { formatSseFrame, type SseFrame } from '../../../lib/http/sse.js';
import { expectGolden, goldenCases, readJsonl } from '../../support/golden.js';
import { expectOpenAiSchema } from '../../support/openai-schema.js';
import { expectResponse, expectStreamEvent } from './responses-support.js';

const META: ResponseMeta = {
  id: 'resp_0000000000000000000000000001',
  createdAt: 1710000000,
  model: 'scripted-agent',
  instructions: null,
  previousResponseId: null,
  conversation: null,
  store: true,
  truncation: 'disabled',
  metadata: {},
};

function fixedIds() {
  const counts: Record<string, number> = {};
  return (kind: ItemKind) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    return `${kind}_${String(counts[kind]).padStart(24, '0')}`;
  };
}

function encode(events: EngineEvent[], { showReasoning = true, clientGone = false } = {}) {
  const encoder = new ResponsesEventEncoder(META, { showReasoning, newItemId: fixedIds(), now: () => 1710000009 });
  const frames: SseFrame[] = [
    ...encoder.start(),
    ...events.flatMap((e) => encoder.push(e)),
    ...encoder.finish(summarize(events), clientGone),
  ];
  return { frames, payloads: frames.map((f) => f.data as Record<string, any>), response: encoder.snapshot() };
}

const load = (name: string) => readJsonl<EngineEvent>(`fixtures/golden/responses/${name}.events.jsonl`);

describe('ResponsesEventEncoder', () => {
  const cases = goldenCases('responses');
  it('has golden cases', () => expect(cases.length).to.be.greaterThanOrEqual(8));

  for (const name of cases) {
    it(`encodes ${name} into its golden transcript, every event valid for OpenAI and the contract`, () => {
      const { frames, payloads, response } = encode(load(name));
      expectGolden(`fixtures/golden/responses/${name}.sse`, frames.map(formatSseFrame).join(''));
      for (const payload of payloads) expectStreamEvent(payload as { type: string });
      expectResponse(response);
    });
  }

  it('names every frame after its type and numbers the events 0, 1, 2, … with sequence_number last', () => {
    const { frames, payloads } = encode(load('tools-and-reasoning'));
    expect(frames.every((f) => f.event === (f.data as { type: string }).type)).to.equal(true);
    expect(payloads.map((p) => p.sequence_number)).to.deep.equal(payloads.map((_, i) => i));
    for (const p of payloads) expect(Object.keys(p).at(-1)).to.equal('sequence_number');
  });

  it('opens with created and in_progress, and adds item and content part before the first text delta', () => {
    const { payloads } = encode(load('text-stream'));
    expect(payloads.map((p) => p.type)).to.deep.equal([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(payloads[0].response).to.include({ status: 'in_progress', usage: null });
    expect(payloads[0].response.output).to.deep.equal([]);
    expect(payloads.at(-1)!.response.usage).to.deep.equal({
      input_tokens: 200,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 80,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 280,
    });
  });

  it('reports tool calls as completed function_call and function_call_output items in turn order', () => {
    const { response } = encode(load('tools-and-reasoning'));
    expect(response.output.map((item) => [item.type, 'status' in item ? item.status : null])).to.deep.equal([
      ['reasoning', 'completed'],
      ['message', 'completed'],
      ['function_call', 'completed'],
      ['mcp_approval_request', null], // the vendor's approval item has no status
      ['function_call_output', 'completed'],
      ['message', 'completed'],
    ]);
    expect(response.output[2]).to.deep.include({
      name: 'read_file',
      call_id: 'call_123',
      arguments: '{"path":"README.md"}',
    });
    expect(response.output[4]).to.deep.include({
      call_id: 'call_123',
      output: [{ type: 'input_text', text: '# Project' }],
    });
  });

  it('leaves reasoning out when reasoning display is off', () => {
    const { payloads, response } = encode(load('tools-and-reasoning'), { showReasoning: false });
    expect(payloads.some((p) => p.type.startsWith('response.reasoning'))).to.equal(false);
    expect(response.output.some((item) => item.type === 'reasoning')).to.equal(false);
  });

  it('ends max_tokens as incomplete with max_output_tokens, refusal as incomplete with content_filter', () => {
    const truncated = encode(load('max-tokens'));
    expect(truncated.payloads.at(-1)!.type).to.equal('response.incomplete');
    expect(truncated.response).to.deep.include({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    expect(truncated.response.output[0]).to.deep.include({ status: 'incomplete' });
    const refused = encode(load('refusal'));
    expect(refused.response).to.deep.include({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
    });
  });

  it('ends an agent error as response.failed with a server_error and the partial text', () => {
    const { payloads, response } = encode(load('failure-after-text'));
    expect(payloads.at(-1)!.type).to.equal('response.failed');
    expect(response.error).to.deep.equal({
      code: 'server_error',
      message: 'The agent process exited (code 1) during the turn.',
    });
    expect((response.output[0] as any).content[0].text).to.equal('partial answ');
  });

  it('hides _-prefixed tools and drops completions without a start', () => {
    const { response } = encode(load('hidden-and-orphan-tools'));
    expect(response.output.map((item) => item.type)).to.deep.equal(['message']);
  });

  it('opens a new message item when the agent starts a new message', () => {
    const { response } = encode(load('new-message-id'));
    expect(response.output.map((item: any) => item.content[0].text)).to.deep.equal([
      'First message.',
      'Second message.',
    ]);
  });

  it('closes a cancelled turn as incomplete, the unfinished tool call incomplete and without an output item', () => {
    const { response } = encode(load('cancelled-mid-tool'));
    expect(response.status).to.equal('incomplete');
    expect(response.incomplete_details).to.equal(null);
    expect(response.output.map((item) => [item.type, 'status' in item ? item.status : null])).to.deep.equal([
      ['message', 'completed'],
      ['function_call', 'incomplete'],
    ]);
  });

  it('sends a permission request as a complete mcp_approval_request item whose id is the request id', () => {
    const { payloads, response } = encode(load('approval'));
    const item = {
      id: 'perm-check-1',
      type: 'mcp_approval_request',
      server_label: 'scripted-agent',
      name: 'rm -rf build',
      arguments: '{"command":"rm -rf build"}',
    };
    const approval = payloads.filter((p) => p.item?.type === 'mcp_approval_request');
    expect(approval.map((p) => [p.type, p.output_index, p.item])).to.deep.equal([
      ['response.output_item.added', 1, item],
      ['response.output_item.done', 1, item],
    ]);
    for (const p of approval) expectOpenAiSchema('ResponseStreamEvent', p);
    // The text before it is closed first; the answer itself has no OpenAI event, the agent just goes on.
    expect(payloads[approval[0].sequence_number - 1].type).to.equal('response.output_item.done');
    expect(response.output.map((i) => i.type)).to.deep.equal([
      'message',
      'mcp_approval_request',
      'function_call',
      'function_call_output',
      'message',
    ]);
  });

  it('marks a turn the client left as incomplete, whatever the agent answered', () => {
    const { response } = encode(load('text-stream'), { clientGone: true });
    expect(response.status).to.equal('incomplete');
    expect(response.completed_at).to.equal(null);
  });
});
