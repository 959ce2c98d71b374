import { expect } from 'chai';
import { estimateTurnUsage, promptUsageToTurnUsage } from '../../../lib/agents/acp/turn-usage.js';

describe('promptUsageToTurnUsage', () => {
  it('maps every field the agent reported', () => {
    expect(
      promptUsageToTurnUsage({
        inputTokens: 200,
        outputTokens: 80,
        totalTokens: 280,
        thoughtTokens: 12,
        cachedReadTokens: 50,
        cachedWriteTokens: 7,
      }),
    ).to.deep.equal({
      inputTokens: 200,
      outputTokens: 80,
      totalTokens: 280,
      reasoningTokens: 12,
      cacheReadTokens: 50,
      cacheWriteTokens: 7,
    });
  });

  it('leaves out optional fields the agent did not report', () => {
    expect(
      promptUsageToTurnUsage({ inputTokens: 1, outputTokens: 2, totalTokens: 3, thoughtTokens: null }),
    ).to.deep.equal({
      inputTokens: 1,
      outputTokens: 2,
      totalTokens: 3,
    });
  });

  it('answers null for a missing or malformed report', () => {
    expect(promptUsageToTurnUsage(undefined)).to.equal(null);
    expect(promptUsageToTurnUsage(null)).to.equal(null);
    expect(promptUsageToTurnUsage({ inputTokens: -1, outputTokens: 2, totalTokens: 1 })).to.equal(null);
  });
});

describe('estimateTurnUsage', () => {
  it('counts four characters a token, reasoning inside output, and flags the estimate', () => {
    expect(estimateTurnUsage({ prompt: 10, text: 8, reasoning: 5 })).to.deep.equal({
      inputTokens: 3,
      outputTokens: 4,
      totalTokens: 7,
      reasoningTokens: 2,
      estimated: true,
    });
    expect(estimateTurnUsage({ prompt: 0, text: 0, reasoning: 0 })).to.deep.equal({
      inputTokens: 0,
      outputTokens: 0,
      totalTokens: 0,
      estimated: true,
    });
  });
});
