// GET /v1/models and /v1/models/{model}: one entry per configured agent, per routed model, and per model the
// catch-all upstream lists; a key limited to some models sees only those.
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import type { RequestContext } from '../../http/request-context.js';
import type { Operation } from '../operation-types.js';
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

/** The models the caller may use, as /v1/models lists them. */
async function visibleModels(services: Services, ctx: RequestContext, created: number): Promise<Model[]> {
  const entries = modelEntries(services);
  // Upstream-only mode: the models the upstream itself lists are served too (asked once a minute).
  for (const { id, upstream } of await services.router.upstreamModels.list()) {
    if (!entries.some((e) => e.id === id)) entries.push({ id, owned_by: 'agent-gateway', root: id, parent: upstream });
  }
  // The key's allowed-models list names model ids as clients send them (an alias counts as itself); null = all.
  const allowed = ctx.allowedModels;
  return entries
    .filter((entry) => allowed === null || allowed.includes(entry.id))
    .map((entry) => ({
      id: entry.id,
      object: 'model',
      created,
      owned_by: entry.owned_by,
      permission: [],
      root: entry.root,
      parent: entry.parent,
    }));
}

export function listModels(services: Services): Operation<'listModels'> {
  const created = Math.floor(services.startedAt / 1000);
  return async ({ ctx }): Promise<components['schemas']['ModelList']> => ({
    object: 'list',
    data: await visibleModels(services, ctx, created),
  });
}

/** A model the key may not use is as unknown as one that does not exist: no 403 that confirms it is there. */
export function getModel(services: Services): Operation<'getModel'> {
  const created = Math.floor(services.startedAt / 1000);
  return async ({ params, ctx }): Promise<Model> => {
    const model = (await visibleModels(services, ctx, created)).find((m) => m.id === params.model);
    if (!model) throw GatewayError.modelNotFound(params.model);
    return model;
  };
}
