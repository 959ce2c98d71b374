// A conversation keeps its agent session across a gateway restart (issue 18, item 1): the agent's own session is
// resumed (session/resume) or loaded (session/load), and seeded only when the agent can do neither.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Echo, parseEcho, parseStats } from '../agents/scripted-agent-config.js';
import { bodyOf, scriptedAgentConfig, startTestGateway, type TestGateway } from '../support/gateway.js';

const SEED_MARK = '[Conversation so far';

describe('a conversation keeps its agent session across a gateway restart', function () {
  this.timeout(30_000);
  let dir: string;
  let gw: TestGateway | null = null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agw-continuity-'));
  });
  afterEach(async () => {
    await gw?.stop();
    gw = null;
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (load: string) => {
    gw = await startTestGateway({
      store: `sqlite://${join(dir, 'gateway.sqlite')}`,
      dataDir: dir,
      agents: [
        scriptedAgentConfig({
          env: { SCRIPTED_AGENT_LOAD: load, SCRIPTED_AGENT_SESSIONS_DIR: join(dir, 'agent-sessions') },
        }),
      ],
    });
    return gw;
  };

  const turn = async (content: string): Promise<string> => {
    const res = await gw!.request('/v1/chat/completions', {
      method: 'POST',
      json: { messages: [{ role: 'user', content }] },
      headers: { 'X-Hermes-Session-Id': 'kept' },
    });
    expect(res.status).to.equal(200);
    return (await bodyOf(res)).choices[0].message.content;
  };
  const echo = async (label: string): Promise<Echo> => parseEcho(await turn(`[[echo]] ${label}`));
  const seeded = (e: Echo) => e.blocks.some((block) => JSON.stringify(block).includes(SEED_MARK));

  for (const [load, method] of [
    ['resume', 'session/resume'],
    ['load', 'session/load'],
  ] as const) {
    it(`continues the agent's own session through ${method}, with no seed block`, async () => {
      await start(load);
      const first = await echo('one');
      await echo('two');
      await gw!.stop();
      gw = null;

      await start(load);
      const third = await echo('three');
      expect(third.session).to.equal(first.session);
      expect(third.promptIndex).to.equal(3);
      expect(seeded(third)).to.equal(false);
      const fourth = await echo('four');
      expect(fourth).to.include({ session: first.session, promptIndex: 4 });
      const stats = parseStats(await turn('[[stats]]'));
      expect(stats).to.include({ sessionsOpened: 0, sessionsLoaded: 1 });
      const metrics = await (await gw!.request('/metrics')).text();
      const mode = load === 'resume' ? 'resumed' : 'loaded';
      expect(metrics).to.match(new RegExp(`gateway_agent_session_continuations_total\\{[^}]*mode="${mode}"[^}]*\\} 1`));
    });
  }

  it('seeds a new session once when the agent can neither resume nor load', async () => {
    await start('0');
    const first = await echo('one');
    await gw!.stop();
    gw = null;

    await start('0');
    const second = await echo('two');
    expect(second.session).not.to.equal(first.session);
    expect(second.promptIndex).to.equal(1);
    expect(seeded(second)).to.equal(true);
    const third = await echo('three');
    expect(third).to.include({ session: second.session, promptIndex: 2 });
    expect(seeded(third)).to.equal(false);
  });

  it('seeds when the agent no longer knows the session', async () => {
    await start('resume');
    const first = await echo('one');
    await gw!.stop();
    gw = null;
    rmSync(join(dir, 'agent-sessions'), { recursive: true, force: true });

    await start('resume');
    const second = await echo('two');
    expect(second.session).not.to.equal(first.session);
    expect(seeded(second)).to.equal(true);
  });
});
