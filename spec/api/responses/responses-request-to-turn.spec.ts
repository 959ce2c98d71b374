import { expect } from 'chai';
import {
  responsesRequestToTurn,
  transcriptToHistory,
  transcriptToSeedHistory,
  turnToTranscript,
} from '../../../lib/api/responses/responses-request-to-turn.js';
import { summarize } from '../../../lib/engine/turn-summary.js';
import type { GatewayError } from '../../../lib/errors.js';
import type { ChainContext } from '../../../lib/api/responses/responses-request-to-turn.js';

const previous: ChainContext = {
  history: [
    { role: 'user', content: 'q1' },
    { role: 'assistant', content: 'a1' },
  ],
  instructions: 'Stored instructions.',
};

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a throw');
}

describe('responsesRequestToTurn', () => {
  it('turns a string input into one user message with no history', () => {
    expect(responsesRequestToTurn({ input: 'hello' }, null)).to.deep.equal({
      history: [],
      ownInput: [{ role: 'user', content: 'hello' }],
      instructions: null,
      systemPrompt: null,
      input: [{ type: 'text', text: 'hello' }],
      inputText: 'hello',
    });
  });

  it('appends earlier input items to the chain history and skips echoed reasoning', () => {
    const parts = responsesRequestToTurn(
      {
        input: [
          'u2',
          { type: 'reasoning', id: 'rs_1', summary: [] },
          { role: 'assistant', content: [{ type: 'output_text', text: 'a2' }] },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'u3' }] },
        ],
      },
      previous,
    );
    expect(parts.history).to.deep.equal([
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'u2' },
      { role: 'assistant', content: 'a2' },
    ]);
    expect(parts.inputText).to.equal('u3');
  });

  it('inherits the stored instructions unless the request sends its own, and layers system items after them', () => {
    expect(responsesRequestToTurn({ input: 'x' }, previous).systemPrompt).to.equal('Stored instructions.');
    const parts = responsesRequestToTurn(
      { input: [{ role: 'developer', content: 'Dev note.' }, 'x'], instructions: 'Own.' },
      previous,
    );
    expect(parts).to.include({ instructions: 'Own.', systemPrompt: 'Own.\nDev note.' });
  });

  it('folds echoed function_call and function_call_output items, and the answer after them, into one assistant turn', () => {
    const parts = responsesRequestToTurn(
      {
        input: [
          'what is 6*7?',
          { type: 'function_call', call_id: 'c1', name: 'calc', arguments: '{"e":"6*7"}' },
          { type: 'function_call_output', call_id: 'c1', output: '42' },
          { role: 'assistant', content: '42' },
          'thanks',
        ],
      },
      null,
    );
    expect(parts.history).to.deep.equal([
      { role: 'user', content: 'what is 6*7?' },
      {
        role: 'assistant',
        content: '42',
        tools: [{ callId: 'c1', name: 'calc', arguments: '{"e":"6*7"}', output: '42', status: 'completed' }],
      },
    ]);
  });

  it('reads an echoed function_call_output in the input_text part form the gateway sends (reference §4.3)', () => {
    const parts = responsesRequestToTurn(
      {
        input: [
          'list files',
          { type: 'function_call', call_id: 'c1', name: 'terminal', arguments: '{"command":"ls"}' },
          { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'README.md' }] },
          'and now?',
        ],
      },
      null,
    );
    expect(parts.history![1]!.tools).to.deep.equal([
      { callId: 'c1', name: 'terminal', arguments: '{"command":"ls"}', output: 'README.md', status: 'completed' },
    ]);
  });

  it('lets conversation_history win over the chain, tool calls and results included', () => {
    const parts = responsesRequestToTurn(
      {
        input: 'next',
        conversation_history: [
          { role: 'system', content: 'ignored' },
          { role: 'user', content: 'u' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 't1', type: 'function', function: { name: 'ls', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 't1', content: 'README.md' },
          { role: 'assistant', content: 'done' },
        ],
      },
      previous,
    );
    expect(parts.history).to.deep.equal([
      { role: 'user', content: 'u' },
      {
        role: 'assistant',
        content: 'done',
        tools: [{ callId: 't1', name: 'ls', arguments: '{}', output: 'README.md', status: 'completed' }],
      },
    ]);
  });

  it('keeps the last 100 history messages with truncation auto', () => {
    const history = Array.from({ length: 150 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `m${i}` }));
    const parts = responsesRequestToTurn({ input: 'x', conversation_history: history, truncation: 'auto' }, null);
    expect(parts.history).to.have.length(100);
    expect(parts.history![0].content).to.equal('m50');
    expect(responsesRequestToTurn({ input: 'x', conversation_history: history }, null).history).to.have.length(150);
  });

  it("leaves the history to the chain's session when it continues it and adds nothing before the message", () => {
    const continuing: ChainContext = { history: null, instructions: 'Stored instructions.' };
    expect(responsesRequestToTurn({ input: 'next' }, continuing)).to.include({
      history: null,
      systemPrompt: 'Stored instructions.',
    });
    // Earlier items in the input need the whole history spelled out: the caller reads it and asks again.
    expect(
      responsesRequestToTurn({ input: ['u2', { role: 'assistant', content: 'a2' }, 'x'] }, continuing).history,
    ).not.to.equal(null);
  });

  it('refuses an empty array, an unknown item type and a last item that is not a user message', () => {
    expect(thrown(() => responsesRequestToTurn({ input: [] }, null))).to.include({ status: 400, param: 'input' });
    expect(thrown(() => responsesRequestToTurn({ input: [{ type: 'web_search_call' }, 'x'] }, null))).to.include({
      code: 'unsupported_content_type',
      param: 'input[0]',
    });
    expect(
      thrown(() => responsesRequestToTurn({ input: ['x', { role: 'assistant', content: 'y' }] }, null)),
    ).to.include({
      status: 400,
      param: 'input',
    });
    expect(thrown(() => responsesRequestToTurn({ input: '   ' }, null))).to.include({ status: 400, param: 'input' });
  });
});

describe('stored transcripts', () => {
  const summary = summarize([
    { type: 'tool_start', toolCallId: 'c1', name: 'calc', title: 'calc', input: { e: '6*7' } },
    { type: 'tool_start', toolCallId: 'h1', name: '_thinking', title: '_thinking' },
    { type: 'tool_end', toolCallId: 'c1', status: 'completed', output: '42' },
    { type: 'text', delta: 'It is 42.' },
    { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } },
  ]);
  const turn = turnToTranscript('6*7?', summary);

  it('records the user message and the answer with its visible tool calls', () => {
    expect(turn).to.deep.equal([
      { role: 'user', content: '6*7?' },
      {
        role: 'assistant',
        content: 'It is 42.',
        tools: [{ callId: 'c1', name: 'calc', arguments: '{"e":"6*7"}', output: '42', status: 'completed' }],
      },
    ]);
  });

  it('gives the engine the text turns, and the seed the tool calls spelled out', () => {
    expect(transcriptToHistory(turn)).to.deep.equal([
      { role: 'user', content: '6*7?' },
      { role: 'assistant', content: 'It is 42.' },
    ]);
    expect(transcriptToSeedHistory(turn)[1]).to.deep.equal({
      role: 'assistant',
      content: '[tool call calc {"e":"6*7"} -> 42]\nIt is 42.',
    });
  });
});
