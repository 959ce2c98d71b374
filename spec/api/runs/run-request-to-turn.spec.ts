// POST /v1/runs body -> turn parts: history precedence and instructions along a stored chain (reference §6.1).
import { expect } from 'chai';
import { type RunChain, runRequestToTurn } from '../../../lib/api/runs/run-request-to-turn.js';

const chain: RunChain = {
  history: [
    { role: 'user', content: 'list files' },
    { role: 'assistant', content: 'a b' },
  ],
  seedHistory: [
    { role: 'user', content: 'list files' },
    { role: 'assistant', content: '[tool call terminal {"command":"ls"} -> a\nb]\na b' },
  ],
  instructions: 'Be brief.',
};

describe('runRequestToTurn', () => {
  it('takes the history, its seed rendering and the instructions from a chain', () => {
    expect(runRequestToTurn({ input: 'next' }, chain)).to.deep.equal({
      systemPrompt: 'Be brief.',
      history: chain.history,
      seedHistory: chain.seedHistory,
      input: [{ type: 'text', text: 'next' }],
      inputText: 'next',
    });
  });

  it('lets explicit conversation_history win over the chain, and own instructions over inherited ones', () => {
    const parts = runRequestToTurn(
      { input: 'next', instructions: 'Be long.', conversation_history: [{ role: 'user', content: 'hi' }] },
      chain,
    );
    expect(parts.history).to.deep.equal([{ role: 'user', content: 'hi' }]);
    expect(parts).to.not.have.property('seedHistory');
    expect(parts.systemPrompt).to.equal('Be long.');
  });

  it('prefers the chain to earlier input items', () => {
    const parts = runRequestToTurn({ input: [{ role: 'user', content: 'earlier' }, 'now'] }, chain);
    expect(parts.history).to.deep.equal(chain.history);
    expect(parts.inputText).to.equal('now');
  });

  it('without a chain keeps earlier input items as history, and null history for an explicit session', () => {
    expect(runRequestToTurn({ input: ['earlier', 'now'] }).history).to.deep.equal([
      { role: 'user', content: 'earlier' },
    ]);
    expect(runRequestToTurn({ input: 'now', session_id: 's' }).history).to.equal(null);
    expect(runRequestToTurn({ input: 'now', session_id: 's' }, chain).history).to.deep.equal(chain.history);
  });
});
