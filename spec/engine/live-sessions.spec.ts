import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { AgentSessionHandle } from '../../lib/engine/port/agent.js';
import { LiveSessions } from '../../lib/engine/live-sessions.js';
import { parseEcho } from '../agents/scripted-agent-config.js';
import { bodyOf, scriptedAgentConfig, startTestGateway } from '../support/gateway.js';

const handle = (id: string): AgentSessionHandle => ({ agentId: 'a', sessionId: id, processKey: 'p' });
const session = (id: string) => ({ handle: handle(id), systemPrompt: null, revision: null });

describe('LiveSessions', () => {
  let clock = 0;
  let evicted: string[] = [];
  let live: LiveSessions;
  beforeEach(() => {
    clock = 0;
    evicted = [];
    live = new LiveSessions({ max: 2, idleMs: 1000, onEvict: (h) => evicted.push(h.sessionId), now: () => clock });
  });
  afterEach(() => live.dispose());

  it('evicts the least recently used session past the cap and releases it', () => {
    live.set('k1', session('s1'));
    live.set('k2', session('s2'));
    live.get('k1'); // k2 is now the least recently used
    live.set('k3', session('s3'));
    expect(evicted).to.deep.equal(['s2']);
    expect(live.get('k2')).to.equal(undefined);
    expect(live.get('k1')?.handle.sessionId).to.equal('s1');
  });

  it('never evicts a session a turn is running on', () => {
    live.set('k1', session('s1'));
    const release = live.hold('k1');
    live.set('k2', session('s2'));
    live.set('k3', session('s3'));
    expect(evicted).to.deep.equal(['s2']);
    release();
    live.set('k4', session('s4'));
    expect(evicted).to.deep.equal(['s2', 's1']);
  });

  it('releases the session a key replaces', () => {
    live.set('k1', session('s1'));
    live.set('k1', session('s1b'));
    expect(evicted).to.deep.equal(['s1']);
    expect(live.size).to.equal(1);
  });

  it('closes sessions idle past the limit', async () => {
    const idle = new LiveSessions({ max: 10, idleMs: 100, onEvict: (h) => evicted.push(h.sessionId) });
    try {
      idle.set('k1', session('s1'));
      const release = idle.hold('k1');
      idle.set('k2', session('s2'));
      await new Promise((r) => setTimeout(r, 300));
      expect(evicted).to.deep.equal(['s2']);
      release();
    } finally {
      idle.dispose();
    }
  });
});

describe('live agent sessions of a gateway', function () {
  this.timeout(20_000);

  it('closes the evicted agent session and seeds the conversation again on its next turn', async () => {
    const gw = await startTestGateway({ agents: [scriptedAgentConfig()], liveSessions: { max: 1, idleSeconds: 600 } });
    try {
      const turn = async (session: string, content: string) => {
        const res = await gw.request('/v1/chat/completions', {
          method: 'POST',
          headers: { 'x-hermes-session-id': session },
          json: { model: 'scripted-agent', messages: [{ role: 'user', content }] },
        });
        return parseEcho((await bodyOf(res)).choices[0].message.content);
      };
      const first = await turn('conv-1', 'one [[echo]]');
      const agent = gw.services.agents.get('scripted-agent')!;
      const liveHandle = gw.services.conversations.liveSession(`${keyScope(gw.key)}:conv-1`)?.handle;
      expect(liveHandle?.sessionId).to.equal(first.session);
      await turn('conv-2', 'other [[echo]]'); // the cap is one: conv-1's session goes
      expect(agent.isAlive(liveHandle!)).to.equal(false);
      const again = await turn('conv-1', 'two [[echo]]');
      expect(again.session).to.not.equal(first.session);
      expect(again.blocks[0].text).to.include('User: one [[echo]]');
    } finally {
      await gw.stop();
    }
  });
});

/** conversationKey's scope for a key (first 16 hex of its sha256). */
const keyScope = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);
