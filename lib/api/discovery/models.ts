// GET /v1/models: one entry per configured agent, per routed model, and per model the catch-all upstream lists.
import type { components } from '../../generated/openapi.gen.js';
import type { OperationHandler } from '../../http/operation.js';
import type { Services } from '../services.js';

type Model = components['schemas']['Model'];
/** A model's own fields; `object`, `created` and `permission` are the same for every entry. */
export type ModelEntry = Pick<Model, 'id' | 'owned_by' | 'root' | 'parent'>;

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
  return async (): Promise<components['schemas']['ModelList']> => {
    const entries = modelEntries(services);
    // Upstream-only mode: the models the upstream itself lists are served too (asked once a minute).
    for (const { id, upstream } of await services.router.upstreamModels.list()) {
      if (!entries.some((e) => e.id === id))
        entries.push({ id, owned_by: 'agent-gateway', root: id, parent: upstream });
    }
    return {
      object: 'list',
      data: entries.map((entry) => ({
        id: entry.id,
        object: 'model',
        created,
        owned_by: entry.owned_by,
        permission: [],
        root: entry.root,
        parent: entry.parent,
      })),
    };
  };
}
