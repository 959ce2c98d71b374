// The fold of a turn's events into its summary (lib/engine/turn-summary.ts).
import { expect } from 'chai';
import { emptySummary, joinSummaries, summarize } from '../../lib/engine/turn-summary.js';

describe('summarize', () => {
  it('starts without a title', () => {
    expect(emptySummary().title).to.equal(null);
  });

  it('keeps the last title the agent sent, a cleared title included', () => {
    const usage = { inputTokens: 1, outputTokens: 1, totalTokens: 2 };
    const titled = summarize([
      { type: 'session_info', title: 'First' },
      { type: 'text', delta: 'hi' },
      { type: 'session_info', title: 'Second' },
      { type: 'end', stopReason: 'end_turn', usage },
    ]);
    expect(titled).to.include({ title: 'Second', text: 'hi', stopReason: 'end_turn' });
    expect(
      summarize([
        { type: 'session_info', title: 'Gone' },
        { type: 'session_info', title: null },
      ]).title,
    ).to.equal(null);
  });
});

describe('joinSummaries', () => {
  it('joins two turns: texts by a blank line, usage added, the end and title of the later turn', () => {
    const first = summarize([
      { type: 'session_info', title: 'Kept' },
      { type: 'text', delta: 'one' },
      { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
    ]);
    const second = summarize([
      { type: 'text', delta: 'two' },
      {
        type: 'end',
        stopReason: 'max_tokens',
        usage: { inputTokens: 10, outputTokens: 20, totalTokens: 30, cacheReadTokens: 5, estimated: true },
      },
    ]);
    expect(joinSummaries(first, second)).to.deep.include({
      text: 'one\n\ntwo',
      stopReason: 'max_tokens',
      title: 'Kept',
      usage: { inputTokens: 11, outputTokens: 22, totalTokens: 33, cacheReadTokens: 5, estimated: true },
    });
    expect(joinSummaries(emptySummary(), second).text).to.equal('two');
  });
});
