import { expect } from 'chai';
import { RunEventEncoder } from '../../../lib/api/runs/run-event-encoder.js';
import { runToStatus } from '../../../lib/api/runs/run-to-status.js';
import { SHUTDOWN_ERROR, summaryToOutcome } from '../../../lib/engine/runs/run-record.js';
import { summarize } from '../../../lib/engine/turn-summary.js';

const RUN = 'run_0123456789abcdef0123456789abcdef';

function encoder() {
  let clock = 1_700_000_000_000;
  return new RunEventEncoder({ runId: RUN, sessionId: 's1', model: 'm', now: () => (clock += 250) });
}

describe('RunEventEncoder', () => {
  it('maps engine events to run event payloads with run_id and float timestamps', () => {
    const enc = encoder();
    const out = [
      ...enc.started(),
      ...enc.push({ type: 'text', delta: 'Hi' }),
      ...enc.push({ type: 'reasoning', delta: 'hmm' }),
      ...enc.push({ type: 'tool_start', toolCallId: 't1', name: 'terminal', title: 'ls -la' }),
      ...enc.push({ type: 'tool_end', toolCallId: 't1', status: 'failed', output: 'x'.repeat(600) }),
      ...enc.push({ type: 'approval_resolved', requestId: 'r1', choice: 'deny', timedOut: true }),
      ...enc.push({ type: 'notice', severity: 'info', text: 'ignored' }),
    ];
    expect(out.map((p) => p.event)).to.deep.equal([
      'run.started',
      'message.delta',
      'reasoning.delta',
      'tool.started',
      'tool.completed',
      'approval.responded',
    ]);
    expect(out[0]).to.deep.equal({
      event: 'run.started',
      run_id: RUN,
      timestamp: 1_700_000_000.25,
      session_id: 's1',
      model: 'm',
    });
    expect(out[4]).to.include({ tool: 'terminal', duration: 0.25, error: true, tool_call_id: 't1' });
    expect(out[4].preview).to.have.length(503);
    expect(out[5]).to.include({ choice: 'deny', request_id: 'r1', resolved: 1, timed_out: true });
  });

  it('maps outcomes to run.completed, run.failed and run.cancelled', () => {
    const done = summarize([
      { type: 'text', delta: 'ok' },
      { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
    ]);
    const completed = encoder().finish(summaryToOutcome(done, { stopRequested: false, shuttingDown: false }))[0];
    expect(completed).to.deep.include({ event: 'run.completed', output: 'ok', completed: true, partial: false });
    expect(completed.usage).to.deep.equal({
      input_tokens: 1,
      output_tokens: 2,
      total_tokens: 3,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
    });

    const crashed = summarize([{ type: 'error', code: 'agent_crashed', message: 'boom' }]);
    expect(encoder().finish(summaryToOutcome(crashed, { stopRequested: false, shuttingDown: false }))[0]).to.include({
      event: 'run.failed',
      error: 'boom',
    });
    const wedged = summaryToOutcome(crashed, { stopRequested: true, shuttingDown: false });
    expect(wedged.status).to.equal('cancelled');
    expect(encoder().finish(wedged)[0].note).to.match(/restarted/);

    const truncated = summarize([
      { type: 'end', stopReason: 'max_tokens', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } },
    ]);
    expect(summaryToOutcome(truncated, { stopRequested: false, shuttingDown: false })).to.include({
      status: 'failed',
      partial: true,
      turnExitReason: 'max_tokens',
    });
  });

  it('maps a turn the shutdown cut short to run.interrupted with the shutdown as its error', () => {
    const shutdown = { stopRequested: false, shuttingDown: true };
    const usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    for (const events of [
      [{ type: 'text', delta: 'half' } as const, { type: 'end', stopReason: 'cancelled', usage } as const],
      [{ type: 'text', delta: 'half' } as const, { type: 'error', code: 'agent_crashed', message: 'gone' } as const],
    ]) {
      const outcome = summaryToOutcome(summarize([...events]), shutdown);
      expect(outcome).to.include({ status: 'interrupted', error: SHUTDOWN_ERROR, interrupted: true, partial: true });
      expect(encoder().finish(outcome)).to.deep.equal([
        {
          event: 'run.interrupted',
          run_id: RUN,
          timestamp: 1_700_000_000.25,
          completed: false,
          partial: true,
          interrupted: true,
          error: SHUTDOWN_ERROR,
          output: 'half',
        },
      ]);
    }
    // A stop asked for before the shutdown still ends cancelled.
    const stopped = summarize([{ type: 'end', stopReason: 'cancelled', usage }]);
    expect(summaryToOutcome(stopped, { stopRequested: true, shuttingDown: true }).status).to.equal('cancelled');
  });

  it('writes the status object keys in the reference order', () => {
    const status = runToStatus({
      runId: RUN,
      scope: 'k',
      instance: 'i',
      status: 'running',
      createdAt: 1000,
      updatedAt: 2000,
      sessionId: 's1',
      model: 'm',
      lastEvent: 'message.delta',
      output: 'Hi',
      usage: null,
      error: null,
      approval: null,
    });
    expect(Object.keys(status)).to.deep.equal([
      'object',
      'run_id',
      'status',
      'updated_at',
      'created_at',
      'session_id',
      'model',
      'last_event',
      'output',
      'usage',
      'error',
    ]);
  });
});
