// The MCP servers configured for one agent and their tools, listed on demand and cached: a listing is kept for
// `ttlMs` (a failed one for `failureTtlMs`, so a broken server is retried soon but not on every request), and one
// listing per server runs at a time however many callers ask. `refresh` lists again now.
import type { AgentToolset } from '../../engine/port/agent.js';
import type { McpServerConfig } from '../../generated/config.gen.js';
import type { Logger } from '../../log.js';
import { listMcpTools, type McpListing } from './list-mcp-tools.js';

export interface ToolsetCatalogOptions {
  /** The agent's workspace: stdio servers start there, as the agent would start them. */
  cwd: string;
  ttlMs?: number;
  failureTtlMs?: number;
  /** How long one listing (connect, initialize, every tools/list page) may take. */
  timeoutMs?: number;
  /** The agent's current logger (its name is known only after the agent's first initialize). */
  log: () => Logger;
  now?: () => number;
  /** The listing itself (the MCP SDK); replaced in tests. */
  list?: typeof listMcpTools;
}

const TTL_MS = 5 * 60_000;
const FAILURE_TTL_MS = 30_000;
const TIMEOUT_MS = 15_000;
/** Server instructions can be long; a toolset description is one glance. */
const DESCRIPTION_CHARS = 500;

interface Entry {
  toolset: AgentToolset;
  expiresAt: number;
}

export class ToolsetCatalog {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<AgentToolset>>();
  private readonly now: () => number;

  constructor(
    private readonly servers: readonly McpServerConfig[],
    private readonly options: ToolsetCatalogOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Every configured server in config order; never rejects. */
  list(refresh = false): Promise<AgentToolset[]> {
    return Promise.all(this.servers.map((server) => this.toolset(server, refresh)));
  }

  private toolset(server: McpServerConfig, refresh: boolean): Promise<AgentToolset> {
    const running = this.inFlight.get(server.name);
    if (running) return running; // a listing that is under way is as fresh as a refresh would be
    const cached = this.entries.get(server.name);
    if (cached && !refresh && cached.expiresAt > this.now()) return Promise.resolve(cached.toolset);
    const listing = this.listNow(server).finally(() => this.inFlight.delete(server.name));
    this.inFlight.set(server.name, listing);
    return listing;
  }

  private async listNow(server: McpServerConfig): Promise<AgentToolset> {
    const { cwd } = this.options;
    const list = this.options.list ?? listMcpTools;
    const transport = 'command' in server ? 'stdio' : server.type;
    let listing: McpListing | null = null;
    let error: string | null = null;
    try {
      listing = await list(server, { cwd, timeoutMs: this.options.timeoutMs ?? TIMEOUT_MS });
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
      this.options.log().warn({ mcpServer: server.name, err: error }, 'MCP server tools could not be listed');
    }
    const at = this.now();
    const toolset: AgentToolset = {
      name: server.name,
      transport,
      description: server.description ?? describe(listing?.instructions),
      tools: listing?.tools ?? [],
      error,
      listedAt: at,
    };
    const ttl = error ? (this.options.failureTtlMs ?? FAILURE_TTL_MS) : (this.options.ttlMs ?? TTL_MS);
    this.entries.set(server.name, { toolset, expiresAt: at + ttl });
    return toolset;
  }
}

function describe(instructions: string | null | undefined): string | null {
  const text = instructions?.trim();
  if (!text) return null;
  return text.length > DESCRIPTION_CHARS ? `${text.slice(0, DESCRIPTION_CHARS)}...` : text;
}
