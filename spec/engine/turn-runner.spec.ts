// TurnRunner: what a session-start failure becomes, and that the agent's own error code survives it.
import { tmpdir } from 'node:os';
import { expect } from 'chai';
import { MemoryAdmission } from '../../lib/engine/admission.js';
import { AgentRegistry } from '../../lib/engine/agent-registry.js';
import { Conversations } from '../../lib/engine/conversations.js';
import { AgentError } from '../../lib/engine/port/agent-error.js';
import { SessionStartRefusal } from '../../lib/engine/session-start-refusal.js';
import { TurnRunner } from '../../lib/engine/turn-runner.js';
import { silentLogger } from '../../lib/log.js';
import { createStore, type Store } from '../../lib/store/keyv.js';
import { FakeAgent, type FakeAgentOptions } from './fake-agent.js';

describe('TurnRunner', () => {
  let store: Store;
  let admission: MemoryAdmission;
  let conversations: Conversations;
  beforeEach(async () => {
    store = await createStore('memory://', { dataDir: tmpdir(), logger: silentLogger });
    admission = new MemoryAdmission(4);
    conversations = new Conversations(store, { max: 8, idleMs: 60_000, onEvict: () => {} });
  });
  afterEach(async () => {
    conversations.dispose();
    await store.close();
  });

  function startTurn(agent: FakeAgentOptions) {
    const turns = new TurnRunner({
      agents: new AgentRegistry([new FakeAgent(agent)]),
      admission,
      conversations,
      policy: 'deny',
      logger: silentLogger,
    });
    return turns.start({
      agentId: agent.id ?? 'fake',
      session: { owner: 'scope', id: 'conversation-1' },
      clientHistory: [],
      systemPrompt: null,
      input: [{ type: 'text', text: 'hi' }],
      inputText: 'hi',
      signal: new AbortController().signal,
    });
  }

  for (const code of ['session_lost', 'agent_crashed'] as const) {
    it(`refuses a turn whose agent fails to open a session with ${code}, keeping that code`, async () => {
      const failure = new AgentError(code, 'the session went away');
      const error = await startTurn({ sessionFailure: failure }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(SessionStartRefusal);
      const refusal = error as SessionStartRefusal;
      expect(refusal.agentCode).to.equal(code);
      expect(refusal.cause).to.equal(failure);
      // The client's answer is the catalogue's: 503 agent_unavailable with Retry-After.
      expect(refusal.toEnvelope()).to.deep.equal({
        error: {
          message: 'Agent unavailable: the session went away',
          type: 'server_error',
          param: null,
          code: 'agent_unavailable',
        },
      });
      expect(refusal.status).to.equal(503);
      expect(refusal.headers).to.deep.equal({ 'Retry-After': '1' });
    });
  }

  it('reports agent_unavailable for a session-start failure that is no AgentError', async () => {
    const error = await startTurn({ sessionFailure: new TypeError('socket closed') }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SessionStartRefusal).and.include({ agentCode: 'agent_unavailable' });
    expect((error as SessionStartRefusal).message).to.equal('Agent unavailable: socket closed');
  });

  it('frees the admission slot when the session cannot be opened', async () => {
    await startTurn({ sessionFailure: new AgentError('session_lost', 'gone') }).catch(() => {});
    expect(admission.active()).to.equal(0);
  });
});
