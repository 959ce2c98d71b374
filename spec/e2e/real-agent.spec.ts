// One real ACP agent, end to end: OpenCode, installed from npm (`opencode-ai`; its native binary comes from the
// npm registry as the platform optionalDependency `opencode-<os>-<arch>`, which its postinstall links into place —
// nothing is fetched from GitHub), started through its launch profile exactly as `--agent opencode` starts it
// (`opencode acp`, opencode.ai/docs/cli/acp), and pointed at a loopback fake OpenAI-compatible upstream through
// OPENCODE_CONFIG_CONTENT (a custom provider on `@ai-sdk/openai-compatible`, which opencode bundles). A chat turn
// through POST /v1/chat/completions must come back with the text the fake upstream streamed to the agent.
//
// The install is cached outside the repo (os.tmpdir()/agent-gateway-real-agents/opencode-ai@<version>) and reused;
// only that first install needs the network (the npm registry). When the registry cannot be reached, or npm cannot
// install the package, the suite is skipped with a line saying why. SKIP_REAL_AGENT_SPEC=1 skips it on purpose.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { type FakeUpstream, startFakeUpstream } from '../../fixtures/upstream/openai-upstream.js';
import type { AgentConfig } from '../../lib/config/config.js';
import { loadConfig } from '../../lib/config/load-config.js';
import { bodyOf, startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway.js';
import { rawLogger } from '../support/raw-logger.js';
import { collectSse, sseJson } from '../support/sse.js';

const run = promisify(execFile);

const PACKAGE = 'opencode-ai';
const VERSION = '1.18.33'; // pinned: the config keys and env flags below are checked against this version
const CACHE_DIR = join(tmpdir(), 'agent-gateway-real-agents', `${PACKAGE}@${VERSION}`);
const BIN_DIR = join(CACHE_DIR, 'node_modules', '.bin');
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const TURN_TIMEOUT_MS = 90_000;

const UPSTREAM_KEY = 'sk-fake-upstream-0123456789';
const UPSTREAM_MODEL = 'fake-model';
const REPLY = 'Pong from the loopback upstream';

/** npm's environment without what an enclosing `npm test` exported (npm_config_*, npm_package_*, …). */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

const tail = (text: string, lines = 15) => text.trim().split('\n').slice(-lines).join('\n');

/** Why a command run by execFile failed: the end of its stderr, or that it was killed at its timeout. */
function failure(error: unknown): string {
  const { stderr, killed, message } = error as { stderr?: string; killed?: boolean; message: string };
  if (killed) return 'no answer before the timeout';
  const lines = (stderr?.trim() ? stderr : message)
    .split('\n')
    .filter((line) => line.trim() && !/complete log/.test(line));
  return lines.slice(-3).join(' | ');
}

/** The version the cached `opencode` reports, or null when it is missing or broken. */
async function installedVersion(dir: string): Promise<string | null> {
  try {
    const { stdout } = await run(join(dir, 'node_modules', '.bin', 'opencode'), ['--version'], { timeout: 30_000 });
    return stdout.trim();
  } catch {
    return null;
  }
}

/**
 * The agent installed in CACHE_DIR: reused when it answers `--version` with VERSION, else installed into a staging
 * directory that is renamed into place (a concurrent run that won the rename is fine). Returns why it could not be
 * installed (the suite is then skipped), or null.
 */
async function ensureInstalled(): Promise<string | null> {
  if ((await installedVersion(CACHE_DIR)) === VERSION) return null;
  const env = npmEnv();
  try {
    // `npm ping` asks the registry itself (`npm view` would answer from npm's cache) and, without retries, an
    // offline machine knows in a second instead of after npm's minutes of back-off.
    await run('npm', ['ping', '--fetch-retries=0', '--fetch-timeout=20000'], { env, timeout: 30_000 });
  } catch (error) {
    return `the npm registry cannot be reached, so ${PACKAGE}@${VERSION} cannot be installed: ${failure(error)}`;
  }
  mkdirSync(join(CACHE_DIR, '..'), { recursive: true });
  const staging = mkdtempSync(`${CACHE_DIR}.partial-`);
  try {
    const started = Date.now();
    console.log(`      installing ${PACKAGE}@${VERSION} from npm into ${CACHE_DIR} (once; reused by later runs)`);
    try {
      await run(
        'npm',
        ['install', '--prefix', staging, '--no-audit', '--no-fund', '--loglevel=error', `${PACKAGE}@${VERSION}`],
        { cwd: staging, env, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (error) {
      return `npm install ${PACKAGE}@${VERSION} failed: ${failure(error)}`;
    }
    // opencode-ai's bin is a stub until its postinstall links the platform binary in; npm set up to skip install
    // scripts (ignore-scripts) leaves the stub, so run that step here.
    if ((await installedVersion(staging)) !== VERSION) {
      await run(process.execPath, ['postinstall.mjs'], {
        cwd: join(staging, 'node_modules', PACKAGE),
        env,
        timeout: INSTALL_TIMEOUT_MS,
      });
    }
    const version = await installedVersion(staging);
    if (version !== VERSION) throw new Error(`the installed opencode reports version ${version}, not ${VERSION}`);
    rmSync(CACHE_DIR, { recursive: true, force: true }); // a broken earlier install
    try {
      renameSync(staging, CACHE_DIR);
    } catch (error) {
      if ((await installedVersion(CACHE_DIR)) !== VERSION) throw error; // else a concurrent run installed it first
    }
    console.log(`      installed ${PACKAGE}@${VERSION} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return null;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * What the agent process gets on top of the gateway's environment: the cached install first on PATH (so the
 * profile's bare `opencode` is this one), a home of its own (no user config, credentials or session database), and
 * an inline config whose only provider is the fake upstream. Flags from opencode's environment-variable docs keep it
 * off the network: no models.dev catalogue fetch, no update check, no LSP downloads, no default plugins.
 */
function agentEnv(upstream: FakeUpstream, home: string): Record<string, string> {
  const config = {
    $schema: 'https://opencode.ai/config.json',
    provider: {
      fake: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Fake upstream',
        options: { baseURL: upstream.baseUrl, apiKey: UPSTREAM_KEY },
        models: { [UPSTREAM_MODEL]: { name: 'Fake model' } },
      },
    },
    enabled_providers: ['fake'],
    model: `fake/${UPSTREAM_MODEL}`,
    small_model: `fake/${UPSTREAM_MODEL}`,
    autoupdate: false,
    share: 'disabled',
  };
  return {
    PATH: `${BIN_DIR}${delimiter}${process.env.PATH ?? ''}`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
    OPENCODE_DISABLE_MODELS_FETCH: 'true',
    OPENCODE_DISABLE_AUTOUPDATE: 'true',
    OPENCODE_DISABLE_LSP_DOWNLOAD: 'true',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: 'true',
  };
}

describe(`a real agent from npm: ${PACKAGE}@${VERSION} via --agent opencode, against a loopback OpenAI-compatible upstream`, function () {
  this.timeout(TURN_TIMEOUT_MS + 30_000);
  let upstream: FakeUpstream;
  let gw: TestGateway;
  let home: string;
  let model: string;
  const log = rawLogger('info');

  before(async function () {
    if (process.env.SKIP_REAL_AGENT_SPEC) {
      console.log('      skipped: SKIP_REAL_AGENT_SPEC is set');
      this.skip();
    }
    this.timeout(INSTALL_TIMEOUT_MS + 2 * 60_000);
    const reason = await ensureInstalled();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }

    // The agent exactly as the CLI builds it from `--agent opencode`.
    const loaded = loadConfig(['--agent', 'opencode', '--store', 'memory://'], { API_SERVER_KEY: TEST_KEY });
    const [profile] = loaded.config.agents;
    expect([profile.command, ...(profile.args ?? [])]).to.deep.equal(['opencode', 'acp']);

    upstream = await startFakeUpstream({ key: UPSTREAM_KEY, models: [UPSTREAM_MODEL], text: REPLY });
    home = mkdtempSync(join(tmpdir(), 'agw-opencode-'));
    const workspace = join(home, 'workspace'); // the sessions' cwd: no repo, no project config or AGENTS.md
    mkdirSync(workspace);
    const agent: AgentConfig = { ...profile, cwd: workspace, env: agentEnv(upstream, home) };
    gw = await startTestGateway({ agents: [agent], options: { logger: log.logger } });
    const models = await bodyOf(await gw.request('/v1/models'));
    model = models.data[0].id;
  });

  after(async () => {
    await gw?.stop();
    await upstream?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  beforeEach(() => {
    upstream.requests.length = 0;
  });

  afterEach(function () {
    if (this.currentTest?.state !== 'failed') return;
    console.log(`      gateway log (last lines):\n${tail(log.lines.join('\n'), 40)}`);
    const seen = upstream.requests.map((r) => `${r.method} ${r.url} ${r.body.slice(0, 200)}`);
    console.log(`      upstream saw:\n${seen.join('\n')}`);
  });

  /** The chat completion requests the agent sent the upstream whose messages carry `prompt`. */
  const upstreamTurns = (prompt: string) =>
    upstream.requests.filter((r) => r.url === '/v1/chat/completions' && r.body.includes(prompt));

  it('lists the agent under the name it gives itself on initialize', () => {
    expect(model).to.equal('OpenCode');
  });

  it('completes a chat turn: the reply is the text the upstream streamed to the agent', async () => {
    const prompt = 'Say pong (non-streamed turn)';
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: { model, messages: [{ role: 'user', content: prompt }] },
      signal: AbortSignal.timeout(TURN_TIMEOUT_MS),
    });
    const body = await bodyOf(res);
    expect(res.status, JSON.stringify(body)).to.equal(200);
    expect(body.object).to.equal('chat.completion');
    expect(body.choices[0].message).to.include({ role: 'assistant', content: REPLY });
    expect(body.choices[0].finish_reason).to.equal('stop');

    const turns = upstreamTurns(prompt);
    expect(turns, 'the agent asked the upstream with the prompt').to.not.be.empty;
    for (const turn of turns) {
      expect(turn.method).to.equal('POST');
      expect(turn.headers.authorization).to.equal(`Bearer ${UPSTREAM_KEY}`);
      const sent = JSON.parse(turn.body);
      expect(sent.model).to.equal(UPSTREAM_MODEL);
      expect(sent.stream).to.equal(true);
    }
  });

  it('streams a chat turn: the deltas join to the upstream text, then [DONE]', async () => {
    const prompt = 'Say pong (streamed turn)';
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: { model, stream: true, messages: [{ role: 'user', content: prompt }] },
      signal: AbortSignal.timeout(TURN_TIMEOUT_MS),
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
    const frames = sseJson<any>(await collectSse(res));
    expect(frames.at(-1)).to.equal('[DONE]');
    const chunks = frames.filter((f) => f !== '[DONE]' && Array.isArray(f.choices));
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).to.equal(REPLY);
    expect(chunks.at(-1).choices[0].finish_reason).to.equal('stop');
    expect(upstreamTurns(prompt), 'the agent asked the upstream with the prompt').to.not.be.empty;
  });
});
