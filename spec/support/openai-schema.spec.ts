import { readFileSync } from 'node:fs';
import { AssertionError, expect } from 'chai';
import { expectOpenAiSchema, openAiSchemaNames } from './openai-schema.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/openai/openai-schemas.json', import.meta.url), 'utf8'),
) as {
  attribution: string;
  quirks: string[];
  schemas: Record<string, { example?: unknown }>;
};

function rejects(name: string, value: unknown): string {
  try {
    expectOpenAiSchema(name, value);
  } catch (error) {
    expect(error).to.be.instanceOf(AssertionError);
    return (error as Error).message;
  }
  expect.fail(`expected ${name} to reject ${JSON.stringify(value)}`);
}

const chunkBase = {
  id: 'chatcmpl-123',
  object: 'chat.completion.chunk',
  created: 1694268190,
  model: 'scripted-agent',
  system_fingerprint: 'fp_44709d6fcb',
};

const roleChunk = {
  ...chunkBase,
  choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
};
const contentChunk = {
  ...chunkBase,
  choices: [{ index: 0, delta: { content: 'Hello' }, logprobs: null, finish_reason: null }],
};
const finishChunk = {
  ...chunkBase,
  choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }],
  usage: null,
};
const usageChunk = {
  ...chunkBase,
  choices: [],
  usage: {
    prompt_tokens: 9,
    completion_tokens: 12,
    total_tokens: 21,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
};

const chatCompletion = {
  id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
  object: 'chat.completion',
  created: 1741570283,
  model: 'gpt-4o-2024-08-06',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello! How can I help?', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 1117,
    completion_tokens: 46,
    total_tokens: 1163,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  service_tier: 'default',
  system_fingerprint: 'fp_fc9f1d7035',
};

const usage = {
  input_tokens: 36,
  input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
  output_tokens: 87,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 123,
};

function response(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'resp_123',
    object: 'response',
    created_at: 1741487325,
    status: 'in_progress',
    completed_at: null,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: 'scripted-agent',
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: null,
    user: null,
    metadata: {},
    ...overrides,
  };
}

const textPart = { type: 'output_text', text: 'Hi there', annotations: [], logprobs: [] };
const messageItem = { id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [textPart] };
const reasoningItem = { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking.' }] };

/** One of each Responses stream event the gateway emits, keyed by the concrete schema it must match. */
const streamEvents: Array<[string, Record<string, unknown>]> = [
  ['ResponseCreatedEvent', { type: 'response.created', sequence_number: 0, response: response() }],
  ['ResponseInProgressEvent', { type: 'response.in_progress', sequence_number: 1, response: response() }],
  [
    'ResponseOutputItemAddedEvent',
    {
      type: 'response.output_item.added',
      sequence_number: 2,
      output_index: 0,
      item: { ...reasoningItem, summary: [], status: 'in_progress' },
    },
  ],
  [
    'ResponseReasoningSummaryPartAddedEvent',
    {
      type: 'response.reasoning_summary_part.added',
      sequence_number: 3,
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 0,
      part: { type: 'summary_text', text: '' },
    },
  ],
  [
    'ResponseReasoningSummaryTextDeltaEvent',
    {
      type: 'response.reasoning_summary_text.delta',
      sequence_number: 4,
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 0,
      delta: 'Thinking.',
    },
  ],
  [
    'ResponseReasoningSummaryTextDoneEvent',
    {
      type: 'response.reasoning_summary_text.done',
      sequence_number: 5,
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 0,
      text: 'Thinking.',
    },
  ],
  [
    'ResponseReasoningSummaryPartDoneEvent',
    {
      type: 'response.reasoning_summary_part.done',
      sequence_number: 6,
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 0,
      part: { type: 'summary_text', text: 'Thinking.' },
    },
  ],
  [
    'ResponseOutputItemDoneEvent',
    { type: 'response.output_item.done', sequence_number: 7, output_index: 0, item: reasoningItem },
  ],
  [
    'ResponseOutputItemAddedEvent',
    {
      type: 'response.output_item.added',
      sequence_number: 8,
      output_index: 1,
      item: { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] },
    },
  ],
  [
    'ResponseContentPartAddedEvent',
    {
      type: 'response.content_part.added',
      sequence_number: 9,
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      part: { ...textPart, text: '' },
    },
  ],
  [
    'ResponseTextDeltaEvent',
    {
      type: 'response.output_text.delta',
      sequence_number: 10,
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      delta: 'Hi there',
      logprobs: [],
    },
  ],
  [
    'ResponseTextDoneEvent',
    {
      type: 'response.output_text.done',
      sequence_number: 11,
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      text: 'Hi there',
      logprobs: [],
    },
  ],
  [
    'ResponseContentPartDoneEvent',
    {
      type: 'response.content_part.done',
      sequence_number: 12,
      item_id: 'msg_1',
      output_index: 1,
      content_index: 0,
      part: textPart,
    },
  ],
  [
    'ResponseOutputItemDoneEvent',
    { type: 'response.output_item.done', sequence_number: 13, output_index: 1, item: messageItem },
  ],
  [
    'ResponseCompletedEvent',
    {
      type: 'response.completed',
      sequence_number: 14,
      response: response({
        status: 'completed',
        completed_at: 1741487326,
        output: [reasoningItem, messageItem],
        usage,
      }),
    },
  ],
  [
    'ResponseFailedEvent',
    {
      type: 'response.failed',
      sequence_number: 15,
      response: response({ status: 'failed', error: { code: 'server_error', message: 'The agent exited.' } }),
    },
  ],
  [
    'ResponseIncompleteEvent',
    {
      type: 'response.incomplete',
      sequence_number: 16,
      response: response({
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
        output: [messageItem],
        usage,
      }),
    },
  ],
];

describe('OpenAI schema fixture', () => {
  it('carries the MIT attribution of the vendor spec', () => {
    expect(fixture.attribution)
      .to.match(/OpenAI/)
      .and.match(/MIT License/)
      .and.match(/Extracted on \d{4}-\d\d-\d\d/);
    expect(readFileSync(new URL('../../fixtures/openai/LICENSE', import.meta.url), 'utf8')).to.match(/^MIT License$/m);
  });

  it('lists the schemas the gateway is checked against', () => {
    expect(openAiSchemaNames()).to.include.members([
      'CreateChatCompletionResponse',
      'CreateChatCompletionStreamResponse',
      'Response',
      'ResponseStreamEvent',
      'ListModelsResponse',
      'Model',
      'DeleteModelResponse',
      'ErrorResponse',
      ...streamEvents.map(([name]) => name),
    ]);
  });

  it('throws a plain Error for an unknown schema name', () => {
    expect(() => expectOpenAiSchema('NoSuchSchema', {})).to.throw(Error, /no OpenAI schema named NoSuchSchema/);
  });
});

describe('expectOpenAiSchema', () => {
  describe('chat completions', () => {
    it('accepts a real chat completion', () => {
      expectOpenAiSchema('CreateChatCompletionResponse', chatCompletion);
    });

    it('accepts a role chunk, a content chunk, a finish chunk and a usage chunk', () => {
      for (const chunk of [roleChunk, contentChunk, finishChunk, usageChunk]) {
        expectOpenAiSchema('CreateChatCompletionStreamResponse', chunk);
      }
    });

    it('accepts a finish chunk that carries usage', () => {
      expectOpenAiSchema('CreateChatCompletionStreamResponse', { ...finishChunk, usage: usageChunk.usage });
    });

    it('rejects a chunk without choices and names the missing property', () => {
      const { choices: _choices, ...chunk } = contentChunk;
      expect(rejects('CreateChatCompletionStreamResponse', chunk)).to.contain("must have required property 'choices'");
    });

    it('rejects a chunk whose finish_reason is not one OpenAI sends, with the instance path', () => {
      const chunk = { ...finishChunk, choices: [{ ...finishChunk.choices[0], finish_reason: 'done' }] };
      expect(rejects('CreateChatCompletionStreamResponse', chunk)).to.contain('/choices/0/finish_reason');
    });

    it('rejects a completion whose message has no content field', () => {
      const choice = chatCompletion.choices[0]!;
      const completion = { ...chatCompletion, choices: [{ ...choice, message: { role: 'assistant', refusal: null } }] };
      expect(rejects('CreateChatCompletionResponse', completion)).to.contain('/choices/0/message');
    });
  });

  describe('responses', () => {
    // Vendor quirk (see fixture.quirks): OutputTextContent requires logprobs, which the spec's own example omits.
    it("accepts the vendor spec's own Response example once its output_text carries logprobs: []", () => {
      const example = structuredClone(fixture.schemas.Response!.example) as {
        output: Array<{ content: Array<Record<string, unknown>> }>;
      };
      expect(rejects('Response', example)).to.contain("/output/0/content/0 must have required property 'logprobs'");
      example.output[0]!.content[0]!.logprobs = [];
      expectOpenAiSchema('Response', example);
    });

    // Vendor quirk (relaxed at extraction): the API sends "user": null and, before completion, "usage": null.
    it('accepts user: null and usage: null, as the API sends them', () => {
      expectOpenAiSchema('Response', response({ user: null, usage: null }));
    });

    it('accepts a completed Response with reasoning and message output', () => {
      expectOpenAiSchema(
        'Response',
        response({ status: 'completed', output: [reasoningItem, messageItem], usage, completed_at: 1741487326 }),
      );
    });

    it('rejects a Response missing output', () => {
      const { output: _output, ...body } = response();
      expect(rejects('Response', body)).to.contain("must have required property 'output'");
    });

    it('rejects a failed Response whose error code is not in the vendor enum', () => {
      const body = response({ status: 'failed', error: { code: 'agent_crashed', message: 'x' } });
      expect(rejects('Response', body)).to.contain('/error/code');
    });

    for (const [name, event] of streamEvents) {
      const item = (event.item as { type?: string } | undefined)?.type;
      it(`accepts ${event.type}${item ? ` for a ${item} item` : ''} as ${name} and as ResponseStreamEvent`, () => {
        expectOpenAiSchema(name, event);
        expectOpenAiSchema('ResponseStreamEvent', event);
      });
    }

    it('rejects response.output_text.delta without logprobs', () => {
      const { logprobs: _logprobs, ...event } = streamEvents.find(([name]) => name === 'ResponseTextDeltaEvent')![1];
      expect(rejects('ResponseTextDeltaEvent', event)).to.contain("must have required property 'logprobs'");
    });

    it('rejects an unknown event type against ResponseStreamEvent', () => {
      const event = { type: 'response.output_text.appended', sequence_number: 3, delta: 'x' };
      expect(rejects('ResponseStreamEvent', event)).to.contain('/type');
    });

    it('rejects response.created without a response', () => {
      expect(rejects('ResponseStreamEvent', { type: 'response.created', sequence_number: 0 })).to.contain(
        'ResponseStreamEvent',
      );
    });
  });

  describe('models', () => {
    const model = { id: 'scripted-agent', object: 'model', created: 1686935002, owned_by: 'agent-gateway' };

    it('accepts a model list', () => {
      expectOpenAiSchema('ListModelsResponse', { object: 'list', data: [model] });
      expectOpenAiSchema('Model', model);
    });

    it('rejects a model without owned_by', () => {
      const { owned_by: _owned, ...body } = model;
      expect(rejects('Model', body)).to.contain("must have required property 'owned_by'");
    });
  });

  describe('errors', () => {
    it('accepts an OpenAI error body and rejects one without param and code', () => {
      expectOpenAiSchema('ErrorResponse', {
        error: { message: 'Invalid API key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
      });
      expect(rejects('ErrorResponse', { error: { message: 'x', type: 'server_error' } })).to.contain('/error');
    });
  });
});
