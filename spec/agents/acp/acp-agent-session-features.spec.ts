// AcpAgent's session features against the scripted agent: advertised commands, titles, fork, load/resume, steer,
// the configured MCP servers and `_meta` on session/new.
import { expect } from 'chai';
import { type AcpAgent, createAcpAgent } from '../../../lib/agents/acp/acp-agent.js';
import { AgentError } from '../../../lib/engine/port/agent-error.js';
import type { AgentSessionHandle, PromptBlock } from '../../../lib/engine/port/agent.js';
import type { EngineEvent } from '../../../lib/engine/port/engine-event.js';
import type { McpServerConfig } from '../../../lib/generated/config.gen.js';
import {
  collect,
  echoOf,
  memoryLogger,
  noPermission,
  parseStats,
  scriptedAgentConfig,
  textOf,
  until,
} from '../scripted-agent-config.js';

const text = (value: string): PromptBlock[] => [{ type: 'text', text: value }];

const MCP_SERVERS: McpServerConfig[] = [
  { name: 'files', command: '/usr/bin/env', args: ['true'], env: [{ name: 'ROOT', value: '/tmp' }] },
  { type: 'stdio', name: 'plain', command: '/bin/true', description: 'kept by the gateway' },
  { type: 'http', name: 'search', url: 'http://127.0.0.1:9/mcp', headers: [{ name: 'X-Key', value: 'k' }] },
];

describe('AcpAgent session features', () => {
  let agent: AcpAgent;

  before(async () => {
    const env = { SCRIPTED_AGENT_COMMANDS: 'hermes', SCRIPTED_AGENT_LOAD: '1' };
    agent = createAcpAgent(scriptedAgentConfig({ env, mcpServers: MCP_SERVERS }), memoryLogger().logger);
    await agent.start();
  });

  after(() => agent.stop());

  const run = async (handle: AgentSessionHandle, prompt: string) =>
    collect(agent.prompt(handle, text(prompt), { onPermission: noPermission }));

  describe('advertised commands', () => {
    it('learns the commands through a probe session before any session exists, and closes the probe', async () => {
      expect(agent.describe().commands).to.deep.equal([]);
      const commands = await agent.listCommands();
      expect(commands.map((command) => command.name)).to.deep.equal([
        'help',
        'model',
        'tools',
        'context',
        'reset',
        'compress',
        'steer',
        'queue',
        'version',
      ]);
      expect(commands.find((command) => command.name === 'steer')).to.deep.equal({
        name: 'steer',
        description: 'Inject guidance into the currently running agent turn',
        inputHint: 'guidance for the active turn',
      });
      expect(agent.describe().commands).to.deep.equal(commands);
      const handle = await agent.newSession({});
      const stats = parseStats(textOf(await run(handle, '[[stats]]')));
      expect(stats.sessionsOpened - stats.sessionsClosed).to.equal(1);
    });
  });

  describe('titles', () => {
    it('turns a title sent during a turn into a session_info event and remembers it', async () => {
      const handle = await agent.newSession({});
      const events = await run(handle, '[[text "hi"]] [[title "Trip planning"]]');
      expect(events.filter((event) => event.type === 'session_info')).to.deep.equal([
        { type: 'session_info', title: 'Trip planning' },
      ]);
      expect(agent.sessionTitle(handle)).to.equal('Trip planning');
    });

    it('remembers a title the agent sends after the turn has answered', async () => {
      const handle = await agent.newSession({});
      const events = await run(handle, '[[text "hi"]] [[title "Later title" later=30]]');
      expect(events.some((event) => event.type === 'session_info')).to.equal(false);
      await until(() => agent.sessionTitle(handle) === 'Later title');
    });

    it('forgets the title of a closed session', async () => {
      const handle = await agent.newSession({});
      await run(handle, '[[title "Gone soon"]]');
      await agent.closeSession(handle);
      expect(agent.sessionTitle(handle)).to.equal(null);
    });
  });

  describe('fork', () => {
    it('advertises fork and forks a session into one that starts with its history and goes its own way', async () => {
      expect(agent.describe().capabilities.fork).to.equal(true);
      const source = await agent.newSession({});
      await run(source, 'first');
      await run(source, 'second');
      const fork = await agent.forkSession(source);
      expect(fork.processKey).to.equal(source.processKey);
      expect(fork.sessionId).to.not.equal(source.sessionId);
      const forkEcho = echoOf(await run(fork, '[[echo]]'));
      expect(forkEcho).to.deep.include({ history: 2, forkedFrom: source.sessionId, promptIndex: 1 });
      await run(fork, 'only in the fork');
      expect(echoOf(await run(source, '[[echo]]'))).to.deep.include({ history: 2, forkedFrom: null });
    });

    it('throws session_lost for a session that is gone', async () => {
      const source = await agent.newSession({});
      await agent.closeSession(source);
      const error = await agent.forkSession(source).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(AgentError);
      expect((error as AgentError).code).to.equal('session_lost');
    });
  });

  describe('load', () => {
    it('reopens a session the agent keeps by its id, with its history, after the gateway forgot it', async () => {
      const original = await agent.newSession({});
      await run(original, 'remember me');
      // A new handle for the same agent-side session, as after a gateway restart.
      const { handle: reopened } = await agent.reopenSession(original.sessionId, { meta: { reopened: true } });
      expect(reopened.sessionId).to.equal(original.sessionId);
      const echo = echoOf(await run(reopened, '[[echo]]'));
      expect(echo).to.deep.include({ history: 1, meta: { reopened: true } });
    });

    it('answers session_lost for an id the agent does not know', async () => {
      const error = await agent.reopenSession('sess-unknown', {}).catch((caught: unknown) => caught);
      expect((error as AgentError).code).to.equal('session_lost');
    });
  });

  describe('session/new', () => {
    it('passes the configured MCP servers in ACP shape and the caller meta as _meta', async () => {
      const handle = await agent.newSession({ meta: { 'hermes/sessionKey': 'user-7' } });
      const echo = echoOf(await run(handle, '[[echo]]'));
      expect(echo.mcpServers).to.deep.equal([
        { name: 'files', command: '/usr/bin/env', args: ['true'], env: [{ name: 'ROOT', value: '/tmp' }] },
        { name: 'plain', command: '/bin/true', args: [], env: [] },
        { type: 'http', name: 'search', url: 'http://127.0.0.1:9/mcp', headers: [{ name: 'X-Key', value: 'k' }] },
      ]);
      expect(echo.meta).to.deep.equal({ 'hermes/sessionKey': 'user-7' });
    });
  });

  describe('steer', () => {
    it('delivers text into the running turn and keeps the agent reply to the steer out of the turn', async () => {
      const handle = await agent.newSession({});
      const prompt = text('[[text "working "]] [[wait-steer ms=5000]] [[text "done"]]');
      const events = agent.prompt(handle, prompt, { onPermission: noPermission })[Symbol.asyncIterator]();
      const first = await events.next(); // the turn runs: its first chunk is out
      expect(await agent.steer(handle, 'use the metric system')).to.equal(true);
      const rest: EngineEvent[] = [];
      for (let next = await events.next(); !next.done; next = await events.next()) rest.push(next.value);
      expect(textOf([first.value, ...rest])).to.equal('working (steered: use the metric system) done');
      expect(rest.at(-1)).to.deep.include({ type: 'end', stopReason: 'end_turn' });
    });

    it('refuses when no turn runs on the session, and the next prompt runs normally', async () => {
      const handle = await agent.newSession({});
      expect(await agent.steer(handle, 'nobody listens')).to.equal(false);
      expect(textOf(await run(handle, 'hello'))).to.equal('echo: hello');
    });
  });
});

describe('AcpAgent steer without a steer command', () => {
  let agent: AcpAgent;

  before(async () => {
    agent = createAcpAgent(scriptedAgentConfig({ env: { SCRIPTED_AGENT_FORK: '0' } }), memoryLogger().logger);
    await agent.start();
  });

  after(() => agent.stop());

  it('answers false while a turn runs, and never sends the agent a /steer', async () => {
    const handle = await agent.newSession({});
    const prompt = text('[[text "working "]] [[sleep ms=100]] [[stats]]');
    const events = agent.prompt(handle, prompt, { onPermission: noPermission })[Symbol.asyncIterator]();
    await events.next();
    expect(await agent.steer(handle, 'ignored')).to.equal(false);
    const rest: EngineEvent[] = [];
    for (let next = await events.next(); !next.done; next = await events.next()) rest.push(next.value);
    expect(parseStats(textOf(rest)).steers).to.deep.equal([]);
  });

  it('does not fork when the agent does not advertise it', async () => {
    expect(agent.describe().capabilities.fork).to.equal(false);
    const handle = await agent.newSession({});
    const error = await agent.forkSession(handle).catch((caught: unknown) => caught);
    expect((error as AgentError).code).to.equal('agent_error');
  });

  it('does not load when the agent can neither load nor resume', async () => {
    const error = await agent.reopenSession('sess-x', {}).catch((caught: unknown) => caught);
    expect((error as AgentError).message).to.match(/neither load nor resume/);
  });
});
