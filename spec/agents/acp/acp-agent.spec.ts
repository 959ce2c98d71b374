// AcpAgent against the real scripted ACP agent process: streaming, tools, permissions, sessions.
import { expect } from 'chai';
import { type AcpAgent, createAcpAgent } from '../../../lib/agents/acp/acp-agent.js';
import type { AgentSessionHandle, PromptBlock, PromptOptions } from '../../../lib/engine/port/agent.js';
import type { EngineEvent, PermissionOutcome, PermissionRequest } from '../../../lib/engine/port/engine-event.js';
import {
  collect,
  echoOf,
  type LogLine,
  memoryLogger,
  noPermission,
  scriptedAgentConfig,
  textOf,
  until,
} from '../scripted-agent-config.js';

const text = (value: string): PromptBlock[] => [{ type: 'text', text: value }];

describe('AcpAgent with the scripted agent', () => {
  let agent: AcpAgent;
  let lines: LogLine[];
  let session: AgentSessionHandle;

  before(async () => {
    const memory = memoryLogger();
    lines = memory.lines;
    agent = createAcpAgent(scriptedAgentConfig(), memory.logger);
    await agent.start();
  });

  after(() => agent.stop());

  beforeEach(async () => {
    session = await agent.newSession({});
  });

  const run = (prompt: string, onPermission: PromptOptions['onPermission'] = noPermission) =>
    collect(agent.prompt(session, text(prompt), { onPermission }));

  describe('turns', () => {
    it('streams text as several text events in order, then one end(end_turn) with the usage the agent reported', async () => {
      const events = await run(
        '[[text "one two three four"]] [[usage input=200 output=80 total=280 thought=12 cache_read=5 cache_write=3]]',
      );
      const texts = events.filter((event) => event.type === 'text');
      expect(texts.map((event) => event.delta)).to.deep.equal(['one ', 'two ', 'three ', 'four']);
      expect(events.at(-1)).to.deep.equal({
        type: 'end',
        stopReason: 'end_turn',
        usage: {
          inputTokens: 200,
          outputTokens: 80,
          totalTokens: 280,
          reasoningTokens: 12,
          cacheReadTokens: 5,
          cacheWriteTokens: 3,
        },
      });
      expect(events.filter((event) => event.type === 'end' || event.type === 'error')).to.have.length(1);
    });

    it("keeps the agent's messageId on text events", async () => {
      const events = await run('[[text "a b" message=x]]');
      const ids = events.flatMap((event) => (event.type === 'text' ? [event.messageId] : []));
      expect(ids).to.have.length(2);
      expect(ids[0]).to.be.a('string').and.equal(ids[1]);
    });

    it('echoes plain prompts word by word and estimates usage at four characters a token', async () => {
      const events = await run('hello brave new world');
      expect(textOf(events)).to.equal('echo: hello brave new world');
      expect(events.filter((event) => event.type === 'text').length).to.be.greaterThan(3);
      expect(events.at(-1)).to.deep.equal({
        type: 'end',
        stopReason: 'end_turn',
        usage: { inputTokens: 6, outputTokens: 7, totalTokens: 13, estimated: true },
      });
    });

    it('maps thoughts to reasoning events ahead of the answer', async () => {
      const events = await run('[[think "pondering the question" chunks=2]] [[text "answer"]]');
      expect(events.map((event) => event.type)).to.deep.equal(['reasoning', 'reasoning', 'text', 'end']);
      expect(events.flatMap((event) => (event.type === 'reasoning' ? [event.delta] : [])).join('')).to.equal(
        'pondering the question',
      );
    });

    it('maps a tool call to tool_start and tool_end with its input and rendered output', async () => {
      const events = await run(
        `[[tool name=terminal title="terminal: ls -la" kind=execute input='{"command":"ls -la"}' output="file1\\nfile2" id=call_x]]`,
      );
      expect(events.slice(0, 2)).to.deep.equal([
        {
          type: 'tool_start',
          toolCallId: 'call_x',
          name: 'terminal',
          title: 'terminal: ls -la',
          kind: 'execute',
          input: { command: 'ls -la' },
        },
        { type: 'tool_end', toolCallId: 'call_x', status: 'completed', output: 'file1\nfile2' },
      ]);
    });

    it('reports a failed tool call as tool_end failed', async () => {
      const events = await run('[[tool title="read_file: /nope" kind=read output="No such file" status=failed]]');
      const [start, end] = events;
      expect(start).to.deep.include({ type: 'tool_start', name: 'read_file', kind: 'read' });
      expect(end).to.deep.include({ type: 'tool_end', status: 'failed', output: 'No such file' });
    });

    it('maps plan and notice updates', async () => {
      const events = await run('[[plan "step one" "step two"]] [[notice severity=warning title="low disk"]]');
      expect(events.slice(0, 2)).to.deep.equal([
        {
          type: 'plan',
          entries: [
            { content: 'step one', priority: 'medium', status: 'pending' },
            { content: 'step two', priority: 'medium', status: 'pending' },
          ],
        },
        { type: 'notice', severity: 'warning', text: 'low disk' },
      ]);
    });

    for (const reason of ['max_tokens', 'refusal', 'max_turn_requests'] as const) {
      it(`ends with the agent's stop reason ${reason}`, async () => {
        const events = await run(`[[text "partial"]] [[stop reason=${reason}]] [[text "never"]]`);
        expect(textOf(events)).to.equal('partial');
        expect(events.at(-1)).to.deep.include({ type: 'end', stopReason: reason });
      });
    }

    it('logs an unknown session/update variant from the stream tap and keeps the turn going', async () => {
      const events = await run('[[text "before"]] [[raw-update type=future_thing]] [[text "after"]]');
      expect(textOf(events)).to.equal('beforeafter');
      expect(events.at(-1)).to.deep.include({ type: 'end', stopReason: 'end_turn' });
      const logged = lines.find((line) => line.variant === 'future_thing');
      expect(logged).to.deep.include({ level: 40, msg: 'agent sent an unknown session/update variant' });
    });
  });

  describe('permissions', () => {
    it('hands the request and its options to onPermission; the chosen option reaches the agent', async () => {
      const requests: PermissionRequest[] = [];
      const events = await run('[[permission title="rm -rf /tmp/x" command="rm -rf /tmp/x"]]', async (request) => {
        requests.push(request);
        return { outcome: 'selected', optionId: 'allow_once' };
      });
      expect(requests).to.have.length(1);
      expect(requests[0]).to.deep.include({
        requestId: 'perm-check-1',
        toolCallId: 'perm-check-1',
        title: 'rm -rf /tmp/x',
        kind: 'execute',
        rawInput: { command: 'rm -rf /tmp/x', description: 'rm -rf /tmp/x' },
      });
      expect(requests[0]!.options.map((option) => [option.optionId, option.kind])).to.deep.equal([
        ['allow_once', 'allow_once'],
        ['allow_session', 'allow_always'],
        ['allow_always', 'allow_always'],
        ['deny', 'reject_once'],
        ['deny_always', 'reject_always'],
      ]);
      expect(textOf(events)).to.equal('permission: allow_once');
      // The agent's follow-up on its synthetic id is announced with the permission's description.
      expect(events.filter((event) => event.type.startsWith('tool'))).to.deep.equal([
        {
          type: 'tool_start',
          toolCallId: 'perm-check-1',
          name: 'execute',
          title: 'rm -rf /tmp/x',
          kind: 'execute',
          input: { command: 'rm -rf /tmp/x', description: 'rm -rf /tmp/x' },
        },
        { type: 'tool_end', toolCallId: 'perm-check-1', status: 'completed', output: '' },
      ]);
    });

    it('offers the simple option set and passes a rejection through', async () => {
      let offered: string[] = [];
      const events = await run('[[permission options=simple]]', async (request) => {
        offered = request.options.map((option) => option.optionId);
        return { outcome: 'selected', optionId: 'reject' };
      });
      expect(offered).to.deep.equal(['allow', 'reject']);
      expect(textOf(events)).to.equal('permission: reject');
      expect(events.find((event) => event.type === 'tool_end')).to.deep.include({ status: 'failed' });
    });

    it('aborts the decision signal and answers cancelled when the agent withdraws its request', async () => {
      let decision: AbortSignal | undefined;
      const events = await run(
        '[[permission withdraw=150]]',
        (_request, signal) =>
          new Promise<PermissionOutcome>((resolve) => {
            decision = signal;
            // Never decided: only the agent's withdrawal can settle this request.
            signal.addEventListener('abort', () => resolve({ outcome: 'selected', optionId: 'allow_once' }));
          }),
      );
      expect(decision?.aborted).to.equal(true);
      expect(textOf(events)).to.equal('permission: cancelled');
      expect(events.at(-1)).to.deep.include({ type: 'end', stopReason: 'end_turn' });
    });
  });

  describe('sessions', () => {
    it('runs several prompts in one ACP session', async () => {
      const echoes = [];
      for (let n = 0; n < 3; n++) echoes.push(echoOf(await run('[[echo]]')));
      expect(echoes.map((echo) => echo.promptIndex)).to.deep.equal([1, 2, 3]);
      expect(new Set(echoes.map((echo) => echo.session))).to.deep.equal(new Set([session.sessionId]));
    });

    it("serializes two prompts on one session: the second's events come after the first's end", async () => {
      const seen: string[] = [];
      const tag = async (name: string, prompt: string) => {
        for await (const event of agent.prompt(session, text(prompt), { onPermission: noPermission })) {
          seen.push(`${name}:${event.type}`);
        }
      };
      await Promise.all([tag('first', '[[text "a b c" delay=60]]'), tag('second', '[[echo]]')]);
      expect(seen).to.deep.equal(['first:text', 'first:text', 'first:text', 'first:end', 'second:text', 'second:end']);
    });

    it('runs prompts on two sessions in parallel', async () => {
      const other = await agent.newSession({});
      const started = Date.now();
      const ends: number[] = [];
      const timed = async (handle: AgentSessionHandle) => {
        await collect(agent.prompt(handle, text('[[sleep ms=500]] [[text "done"]]'), { onPermission: noPermission }));
        ends.push(Date.now() - started);
      };
      await Promise.all([timed(session), timed(other)]);
      // In series the second would end after a second; together both end after about half of one.
      expect(Math.max(...ends)).to.be.lessThan(900);
    });

    it('passes images inline and image URLs as resource links', async () => {
      const events = await collect(
        agent.prompt(
          session,
          [
            { type: 'text', text: 'look' },
            { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
            { type: 'image_url', url: 'https://example.com/cat.jpg' },
            { type: 'text', text: '[[echo]]' },
          ],
          { onPermission: noPermission },
        ),
      );
      expect(echoOf(events).blocks).to.deep.equal([
        { type: 'text', text: 'look' },
        { type: 'image', mimeType: 'image/png' },
        { type: 'resource_link', uri: 'https://example.com/cat.jpg', name: 'cat.jpg' },
        { type: 'text', text: '[[echo]]' },
      ]);
    });

    it('sends slash commands unescaped when the guard is off', async () => {
      const events = await collect(
        agent.prompt(
          session,
          [
            { type: 'text', text: '/help' },
            { type: 'text', text: '[[echo]]' },
          ],
          {
            onPermission: noPermission,
          },
        ),
      );
      expect(echoOf(events).blocks[0]).to.deep.equal({ type: 'text', text: '/help' });
    });

    it('leaves the system prompt to the caller when the agent cannot take one', async () => {
      const handle = await agent.newSession({ systemPrompt: 'Be terse.' });
      const events = await collect(agent.prompt(handle, text('[[echo]]'), { onPermission: noPermission }));
      expect(echoOf(events).systemPrompt).to.equal(null);
    });

    it('closes a session: its handle is no longer alive and a prompt on it reports session_lost', async () => {
      expect(agent.isAlive(session)).to.equal(true);
      await agent.closeSession(session);
      expect(agent.isAlive(session)).to.equal(false);
      const events = await run('[[echo]]');
      expect(events).to.have.length(1);
      expect(events[0]).to.deep.include({ type: 'error', code: 'session_lost' });
    });
  });

  describe('description and health', () => {
    it('describes the agent from its initialize reply, and the commands it advertised', async () => {
      await until(() => agent.describe().commands.length > 0); // sent just after session/new
      expect(agent.describe()).to.deep.equal({
        id: 'scripted-agent',
        agentName: 'scripted-agent',
        agentVersion: '1.0.0',
        capabilities: {
          image: true,
          systemPrompt: false,
          loadSession: false,
          resumeSession: false,
          listSessions: false,
          closeSession: true,
          fork: true,
        },
        commands: [{ name: 'help', description: 'List available commands', inputHint: null }],
      });
      expect(agent.id).to.equal('scripted-agent');
    });

    it('reports one ready process', () => {
      expect(agent.health()).to.deep.equal({
        id: 'scripted-agent',
        status: 'up',
        processes: 1,
        ready: 1,
        restarts: 0,
        lastError: null,
      });
    });
  });
});

describe('AcpAgent with agent features switched on', () => {
  let agent: AcpAgent;
  let lines: LogLine[];

  before(async () => {
    const memory = memoryLogger();
    lines = memory.lines;
    const env = {
      SCRIPTED_AGENT_SYSTEM_PROMPT: '1',
      SCRIPTED_AGENT_STDERR: '1',
      SCRIPTED_AGENT_REQUIRE_AUTH: '1',
      SCRIPTED_AGENT_MODELS: 'config_option',
      SCRIPTED_AGENT_NAME: 'featureful',
    };
    agent = createAcpAgent(scriptedAgentConfig({ env, slashCommandGuard: true, poolSize: 2 }), memory.logger);
    await agent.start();
  });

  after(() => agent.stop());

  const echo = async (handle: AgentSessionHandle, blocks: PromptBlock[]) =>
    echoOf(await collect(agent.prompt(handle, blocks, { onPermission: noPermission })));

  it('spreads new sessions over the pool, least-loaded process first', async () => {
    // Runs first, on a fresh pool. start() resolves with the first ready process; wait for the second.
    await until(() => agent.health().ready === 2);
    expect(agent.health()).to.deep.include({ processes: 2, ready: 2 });
    const keys = new Set<string>();
    for (let n = 0; n < 4; n++) keys.add((await agent.newSession({})).processKey);
    expect(keys.size).to.equal(2);
  });

  it('passes the system prompt natively when the agent advertises sessionCapabilities.systemPrompt', async () => {
    expect(agent.describe().capabilities.systemPrompt).to.equal(true);
    const handle = await agent.newSession({ systemPrompt: 'You are a pirate.' });
    expect((await echo(handle, text('[[echo]]'))).systemPrompt).to.equal('You are a pirate.');
  });

  it('authenticates with the first agent auth method when session/new answers -32000', async () => {
    const handle = await agent.newSession({});
    expect(agent.isAlive(handle)).to.equal(true);
    expect(lines.some((line) => line.msg === 'agent requires authentication; authenticating')).to.equal(true);
  });

  it('selects the requested model through a model config option', async () => {
    const handle = await agent.newSession({ model: 'model-b' });
    expect((await echo(handle, text('[[echo]]'))).model).to.equal('model-b');
    const unknown = await agent.newSession({ model: 'no-such-model' });
    expect((await echo(unknown, text('[[echo]]'))).model).to.equal(null);
  });

  it('escapes a leading slash with U+200B when the slash-command guard is on', async () => {
    const handle = await agent.newSession({});
    const received = await echo(handle, [
      { type: 'text', text: '/help' },
      { type: 'text', text: '[[echo]]' },
    ]);
    expect(received.blocks[0]).to.deep.equal({ type: 'text', text: '\u200b/help' });
  });

  it("writes the agent's stderr lines to the log under the agent's name", async () => {
    const handle = await agent.newSession({});
    await collect(agent.prompt(handle, text('hi'), { onPermission: noPermission }));
    const line = lines.find((entry) => entry.msg === `scripted-agent: prompt 1 on ${handle.sessionId}`);
    expect(line).to.deep.include({ level: 30, stream: 'stderr', agent: 'featureful' });
  });
});

describe('AcpAgent with the legacy session/set_model', () => {
  let agent: AcpAgent;

  before(async () => {
    const config = scriptedAgentConfig({ env: { SCRIPTED_AGENT_MODELS: 'set_model' }, modelSelection: 'set_model' });
    agent = createAcpAgent(config, memoryLogger().logger);
    await agent.start();
  });

  after(() => agent.stop());

  it('selects the requested model when session/new returned legacy models', async () => {
    const handle = await agent.newSession({ model: 'model-b' });
    const events: EngineEvent[] = await collect(agent.prompt(handle, text('[[echo]]'), { onPermission: noPermission }));
    expect(echoOf(events).model).to.equal('model-b');
  });
});
