// AcpAgent when turns are cancelled or the agent fails: cancel, cancel timeout, errors, crashes,
// restarts, stop. Runs against the real scripted agent process.
import { expect } from 'chai';
import { type AcpAgent, createAcpAgent } from '../../../lib/agents/acp/acp-agent.js';
import { AgentError } from '../../../lib/engine/port/agent-error.js';
import type { AgentSessionHandle, PromptBlock } from '../../../lib/engine/port/agent.js';
import type { EngineEvent, PermissionOutcome } from '../../../lib/engine/port/engine-event.js';
import { silentLogger } from '../../../lib/log.js';
import { collect, echoOf, noPermission, scriptedAgentConfig, textOf, until } from '../scripted-agent-config.js';

const text = (value: string): PromptBlock[] => [{ type: 'text', text: value }];

/** Events with the time (ms since `start`) each arrived. */
async function timed(events: AsyncIterable<EngineEvent>, start = Date.now()) {
  const seen: Array<{ event: EngineEvent; at: number }> = [];
  for await (const event of events) seen.push({ event, at: Date.now() - start });
  return seen;
}

describe('AcpAgent cancelling turns', () => {
  let agent: AcpAgent;
  let session: AgentSessionHandle;

  before(async () => {
    agent = createAcpAgent(scriptedAgentConfig({ cancelTimeoutSeconds: 0.5 }), silentLogger);
    await agent.start();
  });

  after(() => agent.stop());

  beforeEach(async () => {
    session = await agent.newSession({});
  });

  it('ends with end(cancelled) soon after the signal aborts during a slow stream', async () => {
    const abort = new AbortController();
    const events: EngineEvent[] = [];
    let abortedAt = 0;
    for await (const event of agent.prompt(session, text('[[text "a b c d e f g h i j" delay=150]]'), {
      signal: abort.signal,
      onPermission: noPermission,
    })) {
      events.push(event);
      if (events.length === 1) {
        abortedAt = Date.now();
        abort.abort();
      }
    }
    expect(Date.now() - abortedAt).to.be.lessThan(300);
    expect(events.filter((event) => event.type === 'text').length).to.be.lessThan(3);
    expect(events.at(-1)).to.deep.include({ type: 'end', stopReason: 'cancelled' });
  });

  it('aborts a pending permission decision and tells the agent cancelled when the turn is aborted', async () => {
    const abort = new AbortController();
    let decision: AbortSignal | undefined;
    const onPermission = (_request: unknown, signal: AbortSignal) =>
      new Promise<PermissionOutcome>((resolve) => {
        decision = signal;
        setTimeout(() => abort.abort(), 20);
        // A late choice after the abort must not reach the agent.
        signal.addEventListener('abort', () => resolve({ outcome: 'selected', optionId: 'allow_always' }));
      });
    const events = await collect(
      agent.prompt(session, text('[[permission title="rm -rf /"]] [[text "ran it"]]'), {
        signal: abort.signal,
        onPermission,
      }),
    );
    expect(decision?.aborted).to.equal(true);
    expect(textOf(events)).to.equal('permission: cancelled');
    expect(events.at(-1)).to.deep.include({ type: 'end', stopReason: 'cancelled' });
  });

  it('answers an already aborted prompt with end(cancelled) without sending it to the agent', async () => {
    const events = await collect(
      agent.prompt(session, text('[[echo]]'), { signal: AbortSignal.abort(), onPermission: noPermission }),
    );
    expect(events).to.deep.equal([
      {
        type: 'end',
        stopReason: 'cancelled',
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, estimated: true },
      },
    ]);
    const next = await collect(agent.prompt(session, text('[[echo]]'), { onPermission: noPermission }));
    expect(echoOf(next).promptIndex).to.equal(1);
  });

  it('withdraws a prompt that is aborted while it waits behind another on the same session', async () => {
    const abort = new AbortController();
    const first = collect(
      agent.prompt(session, text('[[sleep ms=300]] [[text "first"]]'), { onPermission: noPermission }),
    );
    const second = collect(
      agent.prompt(session, text('[[echo]]'), { signal: abort.signal, onPermission: noPermission }),
    );
    setTimeout(() => abort.abort(), 50);
    expect((await second).at(-1)).to.deep.include({ type: 'end', stopReason: 'cancelled' });
    expect(textOf(await first)).to.equal('first');
    const third = await collect(agent.prompt(session, text('[[echo]]'), { onPermission: noPermission }));
    expect(echoOf(third).promptIndex).to.equal(2);
  });

  it('cancels the turn when the reader stops reading, freeing the session for the next prompt', async () => {
    for await (const event of agent.prompt(session, text('[[text "a b c d e f g h i j" delay=200]]'), {
      onPermission: noPermission,
    })) {
      expect(event.type).to.equal('text');
      break;
    }
    const started = Date.now();
    const next = await collect(agent.prompt(session, text('[[echo]]'), { onPermission: noPermission }));
    // Without the cancel the next prompt would wait for the first to stream for two seconds.
    expect(Date.now() - started).to.be.lessThan(500);
    expect(echoOf(next).promptIndex).to.equal(2);
  });

  it('fails the turn with agent_crashed and abandons the session (not the process) when the agent ignores the cancel', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    const seen = await timed(
      agent.prompt(session, text('[[hang ms=10000]]'), { signal: abort.signal, onPermission: noPermission }),
    );
    expect(seen.map((item) => item.event)).to.have.length(1);
    expect(seen[0]!.event).to.deep.include({ type: 'error', code: 'agent_crashed' });
    expect((seen[0]!.event as { message: string }).message).to.contain(
      'cancel timed out after 0.5 s; the agent session was abandoned',
    );
    expect(seen[0]!.at).to.be.within(500, 1_000);
    await until(() => !agent.isAlive(session));
    // The process still answers: it is kept, and serves the next session.
    const fresh = await agent.newSession({});
    expect(fresh.processKey).to.equal(session.processKey);
    const events = await collect(agent.prompt(fresh, text('hi'), { onPermission: noPermission }));
    expect(events.at(-1)).to.deep.include({ type: 'end', stopReason: 'end_turn' });
    expect(agent.health().restarts).to.equal(0);
  });
});

describe('AcpAgent when the agent fails', () => {
  let agent: AcpAgent;

  before(async () => {
    agent = createAcpAgent(scriptedAgentConfig({ promptTimeoutSeconds: 0.4 }), silentLogger);
    await agent.start();
  });

  after(() => agent.stop());

  const run = async (prompt: string) =>
    collect(agent.prompt(await agent.newSession({}), text(prompt), { onPermission: noPermission }));

  it('reports a JSON-RPC error reply as an agent_error event after what was streamed', async () => {
    const events = await run('[[text "partial"]] [[error code=-32603 message="boom"]]');
    expect(events).to.deep.equal([
      { type: 'text', delta: 'partial', messageId: (events[0] as { messageId: string }).messageId },
      { type: 'error', code: 'agent_error', message: 'boom' },
    ]);
  });

  it('reports a resource-not-found error reply as session_lost', async () => {
    const events = await run('[[error code=-32002 message="Resource not found"]]');
    expect(events).to.deep.equal([{ type: 'error', code: 'session_lost', message: 'Resource not found' }]);
  });

  it('cancels a turn that runs past promptTimeoutSeconds, with a notice', async () => {
    const events = await run('[[sleep ms=5000]] [[text "too late"]]');
    expect(events).to.have.length(2);
    expect(events[0]).to.deep.include({ type: 'notice', severity: 'warning' });
    expect(events[1]).to.deep.include({ type: 'end', stopReason: 'cancelled' });
  });

  describe('after a crash', () => {
    let crashed: AgentSessionHandle;

    it('ends every turn on the dying process with agent_crashed within a second', async () => {
      crashed = await agent.newSession({});
      const bystander = await agent.newSession({});
      expect(bystander.processKey).to.equal(crashed.processKey);
      const start = Date.now();
      const [waiting, crashing] = await Promise.all([
        timed(
          agent.prompt(bystander, text('[[think "waiting"]] [[sleep ms=300]]'), { onPermission: noPermission }),
          start,
        ),
        timed(
          agent.prompt(crashed, text('[[text "before"]] [[sleep ms=100]] [[crash]]'), { onPermission: noPermission }),
          start,
        ),
      ]);
      const crash = { type: 'error', code: 'agent_crashed', message: 'agent process exited with code 1' };
      expect(crashing.map((item) => item.event.type)).to.deep.equal(['text', 'error']);
      expect(crashing[1]!.event).to.deep.equal(crash);
      expect(crashing[1]!.at - crashing[0]!.at).to.be.lessThan(1_000);
      expect(waiting.at(-1)!.event).to.deep.equal(crash);
      expect(waiting.at(-1)!.at - crashing[0]!.at).to.be.lessThan(1_000);
    });

    it('reports the handle dead and answers a prompt on it with session_lost at once', async () => {
      expect(agent.isAlive(crashed)).to.equal(false);
      const start = Date.now();
      const events = await collect(agent.prompt(crashed, text('hi'), { onPermission: noPermission }));
      expect(Date.now() - start).to.be.lessThan(50);
      expect(events).to.have.length(1);
      expect(events[0]).to.deep.include({ type: 'error', code: 'session_lost' });
    });

    it('restarts the process: a new session and its prompt succeed', async () => {
      const fresh = await agent.newSession({});
      expect(fresh.processKey).not.to.equal(crashed.processKey);
      expect(agent.isAlive(fresh)).to.equal(true);
      const events = await collect(agent.prompt(fresh, text('[[echo]]'), { onPermission: noPermission }));
      expect(echoOf(events).promptIndex).to.equal(1);
      expect(agent.health()).to.deep.include({
        status: 'up',
        restarts: 1,
        lastError: 'agent process exited with code 1',
      });
    });

    it('restarts after the agent exits between turns', async () => {
      const handle = await agent.newSession({});
      const events = await collect(
        agent.prompt(handle, text('[[text "bye"]] [[exit-after-reply]]'), { onPermission: noPermission }),
      );
      expect(events.at(-1)).to.deep.include({ type: 'end', stopReason: 'end_turn' });
      await until(() => !agent.isAlive(handle));
      const fresh = await agent.newSession({});
      expect(textOf(await collect(agent.prompt(fresh, text('hi'), { onPermission: noPermission })))).to.equal(
        'echo: hi',
      );
      expect(agent.health().restarts).to.equal(2);
    });
  });
});

describe('AcpAgent lifecycle', () => {
  it('rejects start() with agent_unavailable when the command cannot run, and keeps retrying until stopped', async () => {
    const agent = createAcpAgent({ command: '/nonexistent/acp-agent' }, silentLogger);
    try {
      const error = await agent.start().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(AgentError);
      expect(error).to.deep.include({ code: 'agent_unavailable' });
      const health = agent.health();
      expect(health).to.deep.include({ id: 'acp-agent', status: 'starting', ready: 0 });
      expect(health.lastError).to.contain('ENOENT');
    } finally {
      await agent.stop();
    }
    expect(agent.health().status).to.equal('down');
  });

  it('starts on the first newSession and ends in-flight turns with an error when stopped', async () => {
    const agent = createAcpAgent(scriptedAgentConfig({ name: 'lazy' }), silentLogger);
    expect(agent.health()).to.deep.include({ id: 'lazy', status: 'down', processes: 0 });
    const handle = await agent.newSession({});
    const events: EngineEvent[] = [];
    for await (const event of agent.prompt(handle, text('[[text "go"]] [[sleep ms=5000]]'), {
      onPermission: noPermission,
    })) {
      events.push(event);
      if (event.type === 'text') void agent.stop();
    }
    expect(events.at(-1)).to.deep.equal({ type: 'error', code: 'agent_unavailable', message: 'agent stopped' });
    expect(agent.health()).to.deep.include({ status: 'down', processes: 0, ready: 0 });
    const refused = await agent.newSession({}).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(refused).to.be.instanceOf(AgentError).and.deep.include({ code: 'agent_unavailable' });
  });
});
