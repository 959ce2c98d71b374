// GET /v1/toolsets (reference §9): the MCP servers configured for each agent (agents[].mcpServers), their tools
// listed through the MCP SDK (stdio and Streamable HTTP) and cached; failures as enabled:false. Also that the same
// servers reach the agent as ACP mcpServers on session/new.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { type HttpToolsServer, startHttpToolsServer } from '../../../fixtures/mcp/tools-server.js';
import type { McpServerConfig } from '../../../lib/generated/config.gen.js';
import { parseEcho } from '../../agents/scripted-agent-config.js';
import { bodyOf, scriptedAgentConfig, startTestGateway, TEST_KEY, type TestGateway } from '../../support/gateway.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/mcp/tools-server.ts', import.meta.url));
const LIMITED_KEY = 'sk-limited-0123456789abcdef';

/** The fixture MCP server over stdio, with these environment variables. */
function stdioServer(name: string, env: Record<string, string>, extra: Partial<McpServerConfig> = {}): McpServerConfig {
  return {
    name,
    command: process.execPath,
    args: ['--import', 'tsx', FIXTURE],
    env: Object.entries(env).map(([key, value]) => ({ name: key, value })),
    ...extra,
  } as McpServerConfig;
}

const starts = (log: string) => readFileSync(log, 'utf8').split('\n').filter(Boolean).length;

describe('GET /v1/toolsets', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  let http: HttpToolsServer;
  let dir: string;
  let log: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agw-toolsets-'));
    log = join(dir, 'starts.log');
    http = await startHttpToolsServer({ tools: ['web_search', 'web_extract'] });
    gw = await startTestGateway({
      agents: [
        scriptedAgentConfig({
          name: 'tooled',
          mcpServers: [
            stdioServer('files', {
              MCP_FIXTURE_TOOLS: 'write_file,read_file',
              MCP_FIXTURE_INSTRUCTIONS: 'Reads and writes files.',
              MCP_FIXTURE_LOG: log,
            }),
            stdioServer('broken', { MCP_FIXTURE_FAIL: '1' }),
            {
              type: 'http',
              name: 'web',
              url: http.url,
              headers: [{ name: 'Authorization', value: 'Bearer mcp-token' }],
              description: 'Search the web',
            },
          ],
        }),
        scriptedAgentConfig({ name: 'bare' }),
      ],
      keys: [
        { name: 'test', key: TEST_KEY },
        { name: 'limited', key: LIMITED_KEY, models: ['bare'] },
      ],
    });
  });
  after(async () => {
    await gw.stop();
    await http.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists each configured MCP server with its sorted tools, and a failing one as enabled:false with its error', async () => {
    const res = await gw.request('/v1/toolsets');
    expect(res.status).to.equal(200);
    const body = await bodyOf(res);
    expect(body.object).to.equal('list');
    expect(body.platform).to.equal('agent-gateway');
    const [files, broken, web] = body.data;
    expect(body.data).to.have.length(3);
    expect(files).to.deep.include({
      name: 'files',
      label: 'files',
      description: 'Reads and writes files.',
      enabled: true,
      configured: true,
      tools: ['read_file', 'write_file'],
      model: 'tooled',
      transport: 'stdio',
      error: null,
    });
    expect(files.listed_at).to.be.a('number');
    expect(broken).to.deep.include({
      name: 'broken',
      label: 'broken',
      description: '',
      enabled: false,
      configured: true,
      tools: [],
      model: 'tooled',
      transport: 'stdio',
    });
    expect(broken.error).to.include('fixture-tools: told to fail');
    expect(web).to.deep.include({
      name: 'web',
      description: 'Search the web',
      enabled: true,
      tools: ['web_extract', 'web_search'],
      transport: 'http',
      error: null,
    });
    expect(http.authorizations).to.include('Bearer mcp-token');
  });

  it('answers from the cache, and lists again with refresh=1', async () => {
    await gw.request('/v1/toolsets');
    const before = starts(log);
    await gw.request('/v1/toolsets');
    expect(starts(log)).to.equal(before);
    const refreshed = await bodyOf(await gw.request('/v1/toolsets?refresh=1'));
    expect(starts(log)).to.equal(before + 1);
    expect(refreshed.data[0].tools).to.deep.equal(['read_file', 'write_file']);
  });

  it('filters by model; an agent without MCP servers lists none', async () => {
    const tooled = await bodyOf(await gw.request('/v1/toolsets?model=tooled'));
    expect(tooled.data.map((toolset: { name: string }) => toolset.name)).to.deep.equal(['files', 'broken', 'web']);
    expect(await bodyOf(await gw.request('/v1/toolsets?model=bare'))).to.deep.equal({
      object: 'list',
      platform: 'agent-gateway',
      data: [],
    });
  });

  it('answers 404 model_not_found for an unknown model or one the key may not use', async () => {
    const unknown = await gw.request('/v1/toolsets?model=nope');
    expect(unknown.status).to.equal(404);
    expect((await bodyOf(unknown)).error.code).to.equal('model_not_found');
    const auth = { authorization: `Bearer ${LIMITED_KEY}` };
    expect((await gw.request('/v1/toolsets?model=tooled', { headers: auth })).status).to.equal(404);
    expect((await bodyOf(await gw.request('/v1/toolsets', { headers: auth }))).data).to.deep.equal([]);
  });

  it('answers 401 without a key', async () => {
    expect((await gw.request('/v1/toolsets', { auth: false })).status).to.equal(401);
  });

  it('passes the same servers to the agent as ACP mcpServers on session/new', async () => {
    const res = await gw.request('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'tooled', messages: [{ role: 'user', content: '[[echo]]' }] },
    });
    const echo = parseEcho((await bodyOf(res)).choices[0].message.content);
    expect(echo.mcpServers.map((server) => server.name)).to.deep.equal(['files', 'broken', 'web']);
    expect(echo.mcpServers[2]).to.deep.equal({
      type: 'http',
      name: 'web',
      url: http.url,
      headers: [{ name: 'Authorization', value: 'Bearer mcp-token' }],
    });
    expect(echo.mcpServers[0]).to.include({ name: 'files', command: process.execPath });
    expect(echo.mcpServers[0]).to.not.have.property('description');
  });
});
