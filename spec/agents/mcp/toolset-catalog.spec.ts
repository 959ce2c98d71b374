// ToolsetCatalog: the cache in front of the MCP listings (TTL, shorter TTL for failures, one listing at a time, refresh).
import { expect } from 'chai';
import type { listMcpTools } from '../../../lib/agents/mcp/list-mcp-tools.js';
import { ToolsetCatalog } from '../../../lib/agents/mcp/toolset-catalog.js';
import type { McpServerConfig } from '../../../lib/generated/config.gen.js';
import { silentLogger } from '../../../lib/log.js';

const SERVERS: McpServerConfig[] = [
  { name: 'files', command: '/bin/files' },
  { type: 'sse', name: 'flaky', url: 'http://127.0.0.1:9/sse', description: 'Sometimes there' },
];

describe('ToolsetCatalog', () => {
  let now: number;
  let calls: string[];
  let failing: boolean;
  let catalog: ToolsetCatalog;

  const list: typeof listMcpTools = async (server) => {
    calls.push(server.name);
    if (server.name === 'flaky' && failing) throw new Error('connect ECONNREFUSED');
    return { tools: server.name === 'files' ? ['write', 'read'] : ['fetch'], instructions: `${server.name} server` };
  };

  beforeEach(() => {
    now = 1_000_000;
    calls = [];
    failing = true;
    catalog = new ToolsetCatalog(SERVERS, {
      cwd: '/tmp',
      ttlMs: 60_000,
      failureTtlMs: 5_000,
      log: () => silentLogger,
      now: () => now,
      list,
    });
  });

  it('lists every server in config order: tools, transport, description, error', async () => {
    expect(await catalog.list()).to.deep.equal([
      {
        name: 'files',
        transport: 'stdio',
        description: 'files server',
        tools: ['write', 'read'],
        error: null,
        listedAt: now,
      },
      {
        name: 'flaky',
        transport: 'sse',
        description: 'Sometimes there',
        tools: [],
        error: 'connect ECONNREFUSED',
        listedAt: now,
      },
    ]);
  });

  it('answers from the cache until the TTL, and retries a failure after its shorter TTL', async () => {
    await catalog.list();
    now += 4_000;
    await catalog.list();
    expect(calls).to.deep.equal(['files', 'flaky']);
    now += 2_000;
    failing = false;
    const again = await catalog.list();
    expect(calls).to.deep.equal(['files', 'flaky', 'flaky']);
    expect(again[1]).to.include({ error: null });
    now += 60_000;
    await catalog.list();
    expect(calls).to.deep.equal(['files', 'flaky', 'flaky', 'files', 'flaky']);
  });

  it('lists again on refresh, and runs one listing per server however many callers ask', async () => {
    await catalog.list();
    await Promise.all([catalog.list(true), catalog.list(true), catalog.list()]);
    expect(calls).to.deep.equal(['files', 'flaky', 'files', 'flaky']);
  });
});
