// Agent faults stay contained (issue 14, faults 5 and 6): a wedged session is cancelled, then abandoned, while the
// other sessions of the same process stream on; the process is restarted only when it answers nothing at all; a
// request arriving while it restarts waits for it; a turn whose agent goes silent ends with a clear error.
import { expect } from 'chai';
import { type AcpAgent, createAcpAgent } from '../../../lib/agents/acp/acp-agent.js';
import type { PromptBlock } from '../../../lib/engine/port/agent.js';
import type { EngineEvent } from '../../../lib/engine/port/engine-event.js';
import { silentLogger } from '../../../lib/log.js';
import { collect, noPermission, scriptedAgentConfig, textOf, until } from '../scripted-agent-config.js';

const text = (value: string): PromptBlock[] => [{ type: 'text', text: value }];
const WORDS = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');

describe('a wedged agent session', function () {
  this.timeout(30_000);
  let agent: AcpAgent;

  beforeEach(async () => {
    agent = createAcpAgent(scriptedAgentConfig({ poolSize: 1, cancelTimeoutSeconds: 0.5 }), silentLogger);
    await agent.start();
  });
  afterEach(() => agent.stop());

  it("is abandoned without cutting another session's turn on the same process: that one completes every chunk", async () => {
    const a = await agent.newSession({});
    const b = await agent.newSession({});
    expect(b.processKey).to.equal(a.processKey);
    // A: 30 chunks, 100 ms apart. B, a moment later: a hang deaf to the cancel its client's leaving sends.
    const streaming = collect(agent.prompt(a, text(`[[text "${WORDS}" delay=100]]`), { onPermission: noPermission }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const leave = new AbortController();
    const wedged = collect(
      agent.prompt(b, text('[[hang ms=1800000]]'), { signal: leave.signal, onPermission: noPermission }),
    );
    setTimeout(() => leave.abort(), 100);
    const bEvents = await wedged;
    expect(bEvents.at(-1)).to.deep.include({ type: 'error', code: 'agent_crashed' });
    const aEvents = await streaming;
    expect(aEvents.filter((event) => event.type === 'text')).to.have.length(30);
    expect(textOf(aEvents)).to.equal(WORDS);
    expect(aEvents.at(-1)).to.deep.include({ type: 'end', stopReason: 'end_turn' });
    // B's session is gone (its conversation starts over on a fresh one); the process was not restarted.
    await until(() => !agent.isAlive(b));
    expect(agent.isAlive(a)).to.equal(true);
    expect(agent.health()).to.include({ restarts: 0, status: 'up' });
    const next = await collect(agent.prompt(a, text('[[text "again"]]'), { onPermission: noPermission }));
    expect(textOf(next)).to.equal('again');
  });

  it('restarts the process once it answers nothing at all, and the turns it carried end with an error', async () => {
    const a = await agent.newSession({});
    const b = await agent.newSession({});
    const streaming = collect(agent.prompt(a, text(`[[sleep ms=20000]]`), { onPermission: noPermission }));
    const leave = new AbortController();
    const frozen = collect(
      agent.prompt(b, text('[[freeze ms=20000]]'), { signal: leave.signal, onPermission: noPermission }),
    );
    setTimeout(() => leave.abort(), 200);
    expect((await frozen).at(-1)).to.deep.include({ type: 'error', code: 'agent_crashed' });
    const aEvents: EngineEvent[] = await streaming;
    expect(aEvents.at(-1)).to.deep.include({ type: 'error' });
    await until(() => agent.health().restarts === 1, 10_000);
  });

  it('makes requests that arrive while the process restarts wait for it instead of failing', async () => {
    const b = await agent.newSession({});
    const leave = new AbortController();
    const frozen = collect(
      agent.prompt(b, text('[[freeze ms=20000]]'), { signal: leave.signal, onPermission: noPermission }),
    );
    setTimeout(() => leave.abort(), 100);
    await frozen;
    // The process is being replaced now (cancel timeout, then an unanswered probe): five sessions asked for at once.
    const sessions = await Promise.all(Array.from({ length: 5 }, () => agent.newSession({})));
    for (const session of sessions) {
      expect(session.processKey).to.not.equal(b.processKey);
      const events = await collect(agent.prompt(session, text('[[text "ok"]]'), { onPermission: noPermission }));
      expect(textOf(events)).to.equal('ok');
    }
  });
});

describe('an agent that goes silent', function () {
  this.timeout(20_000);
  let agent: AcpAgent;
  before(async () => {
    agent = createAcpAgent(scriptedAgentConfig({ idleTimeoutSeconds: 0.5 }), silentLogger);
    await agent.start();
  });
  after(() => agent.stop());

  it('ends the turn with a clear error after the idle timeout, and the session serves the next turn', async () => {
    const session = await agent.newSession({});
    const started = Date.now();
    const events = await collect(
      agent.prompt(session, text('[[text "thinking"]] [[sleep ms=10000]]'), { onPermission: noPermission }),
    );
    expect(Date.now() - started).to.be.below(5000);
    expect(events.at(-1)).to.deep.equal({
      type: 'error',
      code: 'agent_error',
      message: 'the agent sent nothing for 0.5 s; the turn was ended (agents[].idleTimeoutSeconds)',
    });
    const next = await collect(agent.prompt(session, text('[[text "back"]]'), { onPermission: noPermission }));
    expect(textOf(next)).to.equal('back');
  });

  it('does not count the time a permission request waits for its answer', async () => {
    const session = await agent.newSession({});
    const events = await collect(
      agent.prompt(session, text('[[permission title="ls" options=simple]]'), {
        onPermission: () =>
          new Promise((resolve) => setTimeout(() => resolve({ outcome: 'selected', optionId: 'allow' }), 1500)),
      }),
    );
    expect(events.at(-1)).to.deep.include({ type: 'end', stopReason: 'end_turn' });
  });
});
