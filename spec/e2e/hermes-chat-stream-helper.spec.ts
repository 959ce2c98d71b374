// Hermes fidelity (issue 13, item 7): every named event the gateway adds to a chat stream (hermes.tool.progress,
// hermes.status, approval.request) keeps the official SDK's chat.completions.stream() helper working, through every
// scripted-agent directive. A failing turn makes the helper throw the gateway's own error, never a TypeError.
import { expect } from 'chai';
import OpenAI, { APIError } from 'openai';
import type { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../support/gateway.js';
import { expectOpenAiSchema } from '../support/openai-schema.js';

describe('chat.completions.stream() through every scripted-agent directive', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  let client: OpenAI;
  before(async () => {
    gw = await startTestGateway({
      agents: [scriptedAgentConfig()],
      approvals: { policy: 'deny', timeoutSeconds: 30 },
    });
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key, maxRetries: 0 });
  });
  after(() => gw.stop());

  const stream = (content: string): ChatCompletionStream =>
    client.chat.completions.stream({ model: 'scripted-agent', messages: [{ role: 'user', content }] });

  /** The helper's final completion and every raw payload it saw (named events included). */
  async function run(s: ChatCompletionStream) {
    const seen: Array<Record<string, unknown>> = [];
    s.on('chunk', (chunk) => seen.push(chunk as unknown as Record<string, unknown>));
    const final = await s.finalChatCompletion();
    expectOpenAiSchema('CreateChatCompletionResponse', final);
    // Named events carry no chunk id, so none of their fields leaks into the completion.
    for (const key of ['tool', 'toolCallId', 'kind', 'text', 'request_id']) expect(final).to.not.have.property(key);
    expect(final.choices).to.have.length(1);
    return { final, seen, message: final.choices[0]!.message };
  }

  it('streams text', async () => {
    const { final, message } = await run(stream('[[text "plain words here" chunks=3]]'));
    expect(message.content).to.equal('plain words here');
    expect(final.choices[0]!.finish_reason).to.equal('stop');
  });

  it('streams reasoning before the text', async () => {
    // One reasoning chunk: the helper keeps only the last reasoning_content delta (it assigns unknown delta fields).
    const { message } = await run(stream('[[think "hmm"]] [[text "answer"]]'));
    expect(message).to.include({ content: 'answer', reasoning_content: 'hmm' });
  });

  it('passes over hermes.tool.progress for a completed and a failed tool', async () => {
    const { message, seen } = await run(
      stream(
        '[[tool name=terminal id=call_ok kind=execute output="ok"]] ' +
          '[[tool name=terminal id=call_bad kind=execute status=failed output="boom"]] [[text "after tools"]]',
      ),
    );
    expect(message.content).to.equal('after tools');
    expect(seen.filter((c) => c.toolCallId).map((c) => [c.toolCallId, c.status])).to.deep.equal([
      ['call_ok', 'running'],
      ['call_ok', 'completed'],
      ['call_bad', 'running'],
      ['call_bad', 'failed'],
    ]);
  });

  it('passes over hermes.status for a notice', async () => {
    const { message, seen } = await run(stream('[[notice severity=warning title="provider slow"]] [[text "fine"]]'));
    expect(message.content).to.equal('fine');
    expect(seen.find((c) => c.kind === 'warning')).to.include({ text: 'provider slow' });
  });

  it('passes over a plan and reports usage', async () => {
    const { final, message } = await run(
      stream('[[plan "step one" "step two"]] [[text "planned"]] [[usage input=12 output=3 total=15]]'),
    );
    expect(message.content).to.equal('planned');
    expect(final.usage).to.deep.equal({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
  });

  for (const choice of ['session', 'deny'] as const) {
    it(`passes over approval.request, answered "${choice}" via POST /v1/runs/{chatcmpl id}/approval`, async () => {
      const s = stream('[[permission command=ls options=hermes]] [[text " done"]]');
      const answers: Array<Promise<Response>> = [];
      s.on('chunk', (chunk) => {
        const event = chunk as unknown as { request_id?: string; run_id?: string; choices: unknown[] };
        if (!event.request_id) return;
        expect(event).to.not.have.property('id');
        // Hermes' approval payload keeps its `choices` strings: the helper skips entries without a delta.
        expect(event.choices).to.deep.equal(['once', 'session', 'always', 'deny']);
        answers.push(
          gw.request(`/v1/runs/${event.run_id}/approval`, {
            method: 'POST',
            json: { choice, request_id: event.request_id },
          }),
        );
      });
      const { final, seen } = await run(s);
      expect(answers).to.have.length(1);
      const answered = await answers[0]!;
      expect(answered.status).to.equal(200);
      expect(await bodyOf(answered)).to.include({ choice, resolved: 1 });
      const request = seen.find((c) => c.request_id);
      expect(request).to.include({ command: 'ls', request_id: 'perm-check-1' });
      expect(request!.run_id).to.equal(final.id);
      expect(final.choices[0]!.message.content).to.equal(
        choice === 'deny' ? 'permission: deny done' : 'permission: allow_session done',
      );
    });
  }

  it('throws the gateway error for an agent error, not a TypeError', async () => {
    const error = await stream('[[text "partial"]] [[error code=-32603 message="Provider failed"]]')
      .finalChatCompletion()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(APIError);
    expect((error as APIError).message).to.include('Provider failed');
  });

  it('throws the gateway error for an agent crash, not a TypeError', async () => {
    const error = await stream('[[notice severity=info title="about to fail"]] [[text "before"]] [[crash]]')
      .finalChatCompletion()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(APIError);
    expect((error as APIError).type).to.equal('agent_crashed');
  });
});

describe('chat.completions.stream() when nobody answers an approval (deny policy)', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway({
      agents: [scriptedAgentConfig()],
      approvals: { policy: 'deny', timeoutSeconds: 0.3 },
    });
  });
  after(() => gw.stop());

  it('finishes with the policy answer after the approval.request event', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key, maxRetries: 0 });
    const s = client.chat.completions.stream({
      model: 'scripted-agent',
      messages: [{ role: 'user', content: '[[permission command=ls options=hermes]] [[text " done"]]' }],
    });
    const requests: unknown[] = [];
    s.on('chunk', (chunk) => {
      if ((chunk as unknown as { request_id?: string }).request_id) requests.push(chunk);
    });
    const final = await s.finalChatCompletion();
    expect(requests).to.have.length(1);
    expect(final.choices[0]!.message.content).to.equal('permission: deny done');
  });
});
