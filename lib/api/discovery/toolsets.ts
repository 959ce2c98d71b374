// GET /v1/toolsets (reference §9): the MCP servers configured for each agent (agents[].mcpServers) and their tools,
// in Hermes' shape. A server that cannot be listed is `enabled: false` with an `error`, never a 500.
import type { AgentToolset } from '../../engine/port/agent.js';
import type { components } from '../../generated/openapi.gen.js';
import { boolish } from '../../http/boolish-fields.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';
import { modelParam, visibleAgents } from './skills.js';

type Toolset = components['schemas']['Toolset'];

export function listToolsets(services: Services): Operation<'listToolsets'> {
  return async ({ query, ctx }): Promise<components['schemas']['ToolsetList']> => {
    const agents = visibleAgents(services, ctx, modelParam(query.model));
    const refresh = boolish(query.refresh);
    const lists = await Promise.all(agents.map((agent) => agent.listToolsets({ refresh })));
    const data = agents.flatMap((agent, i) => lists[i]!.map((toolset) => toWire(toolset, agent.describe().id)));
    // DESIGN.md: the identity fields say agent-gateway (Hermes: "api_server").
    return { object: 'list', platform: 'agent-gateway', data };
  };
}

/** Hermes' toolset entry, plus what only the gateway knows: the model, the transport, the error, when listed. */
function toWire(toolset: AgentToolset, model: string): Toolset {
  return {
    name: toolset.name,
    label: toolset.name,
    // Hermes describes a toolset by its tools ("web_search, web_extract") when it has no other words for it.
    description: toolset.description ?? toolset.tools.join(', '),
    enabled: toolset.error === null,
    configured: true,
    tools: toolset.tools,
    model,
    transport: toolset.transport,
    error: toolset.error,
    listed_at: toolset.listedAt / 1000,
  };
}
