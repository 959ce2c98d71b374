import { expect } from 'chai';
import {
  SessionStreamEncoder,
  type SessionStreamFrame,
  type SessionStreamMeta,
} from '../../../lib/api/sessions/session-stream-encoder.js';
import type { WireMessage } from '../../../lib/api/sessions/session-wire.js';
import type { RunEventPayload } from '../../../lib/engine/runs/run-journal.js';
import { formatSseFrame } from '../../../lib/http/sse.js';
import { expectGolden, goldenCases, readJsonl } from '../../support/golden.js';
import { expectReferenceOrder, expectSessionStreamEvent } from './session-stream-support.js';

const RUN_ID = 'run_00000000000000000000000000000001';
const FIXED: SessionStreamMeta = {
  sessionId: 'sess-golden',
  runId: RUN_ID,
  messageId: 'msg_0123456789abcdef0123456789abcdef',
  userContent: 'hello',
  runtime: { provider: 'scripted-agent', model: 'scripted-agent', route_source: 'session_model' },
  now: () => 1710000099000,
};

/** One line of a golden input: a run event, and for a recorded turn's end the rows the session stored. */
interface Step {
  run: RunEventPayload;
  messages?: WireMessage[];
}

function encode(steps: Step[], meta = FIXED): SessionStreamFrame[] {
  const encoder = new SessionStreamEncoder(meta);
  return steps.flatMap((step) => encoder.push(step.run, step.messages));
}

const run = (event: string, fields: Record<string, unknown> = {}, timestamp = 1710000000.5): Step => ({
  run: { event, run_id: RUN_ID, timestamp, ...fields },
});

describe('SessionStreamEncoder', () => {
  const cases = goldenCases('session-stream');
  it('has golden cases', () => expect(cases.length).to.be.greaterThanOrEqual(6));

  for (const name of cases) {
    it(`encodes ${name} into its golden transcript, in the reference's order and contract`, () => {
      const frames = encode(readJsonl<Step>(`fixtures/golden/session-stream/${name}.events.jsonl`));
      expectGolden(`fixtures/golden/session-stream/${name}.sse`, frames.map(formatSseFrame).join(''));
      for (const frame of frames) expectSessionStreamEvent(frame.event, frame.data);
      expectReferenceOrder(frames);
    });
  }

  it('adds session_id, run_id, seq and ts after the fields of the event itself', () => {
    const [, , delta] = encode([run('run.started'), run('message.delta', { delta: 'hi' }, 1710000001.25)]);
    expect(Object.keys(delta.data)).to.deep.equal(['message_id', 'delta', 'session_id', 'run_id', 'seq', 'ts']);
    expect(delta.data).to.deep.include({ seq: 3, ts: 1710000001.25, run_id: RUN_ID, session_id: 'sess-golden' });
  });

  it('keeps the session_id of assistant.completed first, where Hermes puts it', () => {
    const frames = encode([run('run.started'), run('run.completed', { completed: true, output: 'x', usage: null })]);
    const completed = frames.find((f) => f.event === 'assistant.completed')!;
    expect(Object.keys(completed.data).slice(0, 3)).to.deep.equal(['session_id', 'message_id', 'content']);
  });

  it('echoes the user message and the runtime on run.started, with the assistant message id on message.started', () => {
    const meta = {
      ...FIXED,
      userContent: [
        { type: 'text', text: 'look' },
        { type: 'image_url', image_url: { url: 'https://x/y.png' } },
      ],
    };
    const [started, message] = encode([run('run.started')], meta);
    expect(started.data.user_message).to.deep.equal({ role: 'user', content: meta.userContent });
    expect(started.data.runtime).to.deep.equal(FIXED.runtime);
    expect(message.data.message).to.deep.equal({ id: FIXED.messageId, role: 'assistant' });
  });

  it('rebuilds the turn rows from the events when the stored ones are not given', () => {
    const frames = encode(readJsonl<Step>('fixtures/golden/session-stream/tools-and-reasoning.events.jsonl'));
    expect(frames.find((f) => f.event === 'run.completed')!.data.messages).to.deep.equal([
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          { id: 'call_1_1', type: 'function', function: { name: 'terminal', arguments: '{"command":"ls -la"}' } },
        ],
      },
      { role: 'tool', content: 'a\nb', tool_call_id: 'call_1_1', tool_name: 'terminal' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ id: 'call_1_2', type: 'function', function: { name: 'read', arguments: '{}' } }],
      },
      { role: 'tool', content: 'No such file', tool_call_id: 'call_1_2', tool_name: 'read' },
      { role: 'assistant', content: 'Checking: two files.' },
    ]);
  });

  it('says the run started even when it failed before its turn began', () => {
    const frames = encode(readJsonl<Step>('fixtures/golden/session-stream/start-refused.events.jsonl'));
    expect(frames.map((f) => f.event)).to.deep.equal([
      'run.started',
      'message.started',
      'assistant.completed',
      'run.failed',
      'done',
    ]);
    expect(frames[3].data).to.deep.include({ error: 'Agent unavailable: the agent process exited', messages: [] });
  });

  it('ends with error then done on an exception, and sends nothing after done', () => {
    const encoder = new SessionStreamEncoder(FIXED);
    encoder.push(run('run.started').run);
    const frames = encoder.error('The run ended without a result.');
    expect(frames.map((f) => [f.event, f.data])).to.deep.equal([
      [
        'error',
        {
          message: 'The run ended without a result.',
          session_id: 'sess-golden',
          run_id: RUN_ID,
          seq: 3,
          ts: 1710000099,
        },
      ],
      ['done', { session_id: 'sess-golden', run_id: RUN_ID, seq: 4, ts: 1710000099 }],
    ]);
    for (const frame of frames) expectSessionStreamEvent(frame.event, frame.data);
    expect(encoder.done).to.equal(true);
    expect(encoder.push(run('message.delta', { delta: 'late' }).run)).to.deep.equal([]);
    expect(encoder.error('again')).to.deep.equal([]);
  });

  it('drops run events the session stream has no name for', () => {
    const frames = encode([
      run('run.started'),
      run('approval.responded', { choice: 'once', resolved: 1 }),
      run('plan.updated', { entries: [] }),
      run('run.steered', { accepted: true }),
    ]);
    expect(frames.map((f) => f.event)).to.deep.equal(['run.started', 'message.started']);
  });

  it('writes raw UTF-8, not \\u escapes (reference §0.1: session frames use ensure_ascii=False)', () => {
    const frames = encode([run('run.started'), run('message.delta', { delta: 'wörld 🎉' })]);
    expect(formatSseFrame(frames[2])).to.include('"delta":"wörld 🎉"');
  });
});
