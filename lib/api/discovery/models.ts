// GET /v1/models: one entry per configured agent (and per routed model, when routes exist).
import type { OperationHandler } from '../../http/operation.js';
import type { Services } from '../services.js';

export interface ModelEntry {
  id: string;
  owned_by: string;
  root: string;
  parent: string | null;
}

/** Every model id the gateway serves, in a stable order: agents first, then routes. */
export function modelEntries(services: Services): ModelEntry[] {
  const entries: ModelEntry[] = services.agents.list().map((agent) => {
    const { id } = agent.describe();
    return { id, owned_by: 'agent-gateway', root: id, parent: null };
  });
  for (const route of services.config.routes) {
    if (entries.some((e) => e.id === route.model)) continue;
    const target = route.agent ?? route.upstream!;
    entries.push({
      id: route.model,
      owned_by: 'agent-gateway',
      root: route.upstreamModel ?? route.model,
      parent: target,
    });
  }
  return entries;
}

export function listModels(services: Services): OperationHandler {
  const created = Math.floor(services.startedAt / 1000);
  return () => ({
    object: 'list',
    data: modelEntries(services).map((entry) => ({
      id: entry.id,
      object: 'model',
      created,
      owned_by: entry.owned_by,
      permission: [],
      root: entry.root,
      parent: entry.parent,
    })),
  });
}
