// Lists the tools of one configured MCP server through the official MCP TypeScript SDK: connect (spawn a stdio
// server, or reach an http/sse one), initialize, tools/list (every page), close. The gateway never calls a tool;
// it only asks what the agent will be offered. Knows nothing of ACP or caching.
// The SDK (and the zod schemas it builds when loaded, several MB of heap) is loaded on the first listing: a gateway
// whose agents have no MCP servers, or that is never asked for its toolsets, never holds it.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from '../../generated/config.gen.js';
import { VERSION } from '../../version.js';

export interface McpListing {
  tools: string[];
  /** The server's `instructions` from initialize, if it gave any. */
  instructions: string | null;
}

/** A server that keeps paging past this many pages is cut off (a broken cursor must not loop forever). */
const MAX_PAGES = 50;
/** The last stderr lines of a stdio server, kept for the error message when it fails. */
const STDERR_LINES = 5;

/**
 * Connects to the server, lists its tools and closes the connection. Rejects with an Error whose message says
 * why (for a stdio server, with the last lines it wrote to stderr).
 */
export async function listMcpTools(
  server: McpServerConfig,
  options: { cwd: string; timeoutMs: number },
): Promise<McpListing> {
  const sdk = await loadSdk();
  const stderr: string[] = [];
  const transport = transportFor(sdk, server, options.cwd, stderr);
  const client = new sdk.Client({ name: 'agent-gateway', version: VERSION });
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const request = { signal: deadline, timeout: options.timeoutMs };
  try {
    await client.connect(transport, request);
    const tools: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await client.listTools(cursor ? { cursor } : undefined, request);
      tools.push(...result.tools.map((tool) => tool.name));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return { tools: [...new Set(tools)].sort(), instructions: client.getInstructions() ?? null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const said = stderr.length > 0 ? ` (stderr: ${stderr.join(' | ')})` : '';
    throw new Error(`${message}${said}`, { cause: error });
  } finally {
    // Closing kills a stdio server; a failure to close leaves nothing to clean up on our side.
    await client.close().catch(() => {});
  }
}

type Sdk = Awaited<ReturnType<typeof importSdk>>;

async function importSdk() {
  const [{ Client }, { SSEClientTransport }, { getDefaultEnvironment, StdioClientTransport }, streamable] =
    await Promise.all([
      import('@modelcontextprotocol/sdk/client/index.js'),
      import('@modelcontextprotocol/sdk/client/sse.js'),
      import('@modelcontextprotocol/sdk/client/stdio.js'),
      import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    ]);
  return {
    Client,
    SSEClientTransport,
    getDefaultEnvironment,
    StdioClientTransport,
    StreamableHTTPClientTransport: streamable.StreamableHTTPClientTransport,
  };
}

let sdkLoading: Promise<Sdk> | null = null;

/** The MCP client SDK, imported once, on first use; a failed import is tried again by the next listing. */
function loadSdk(): Promise<Sdk> {
  sdkLoading ??= importSdk().catch((error: unknown) => {
    sdkLoading = null;
    throw error;
  });
  return sdkLoading;
}

function transportFor(sdk: Sdk, server: McpServerConfig, cwd: string, stderr: string[]): Transport {
  const { getDefaultEnvironment, StdioClientTransport, SSEClientTransport, StreamableHTTPClientTransport } = sdk;
  if ('command' in server) {
    const env = { ...getDefaultEnvironment(), ...Object.fromEntries((server.env ?? []).map((e) => [e.name, e.value])) };
    const transport = new StdioClientTransport({
      command: server.command,
      args: server.args ?? [],
      env,
      cwd,
      stderr: 'pipe',
    });
    // Kept, not inherited: a server's chatter belongs in an error message, not on the gateway's own stderr.
    transport.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        stderr.push(line.trim().slice(0, 300));
        if (stderr.length > STDERR_LINES) stderr.shift();
      }
    });
    return transport;
  }
  const headers = Object.fromEntries((server.headers ?? []).map((h) => [h.name, h.value]));
  const url = new URL(server.url);
  return server.type === 'sse'
    ? new SSEClientTransport(url, { requestInit: { headers } })
    : new StreamableHTTPClientTransport(url, { requestInit: { headers } });
}
