// GET /v1/skills (reference §9): what each agent advertises through ACP available_commands_update, per model, in
// Hermes' `{"object":"list","data":[…]}` shape. Also the agents a discovery request may see (shared with toolsets).
import type { Agent } from '../../engine/port/agent.js';
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import type { RequestContext } from '../../http/request-context.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';

type Skill = components['schemas']['Skill'];

export function listSkills(services: Services): Operation<'listSkills'> {
  return async ({ query, ctx }): Promise<components['schemas']['SkillList']> => {
    const agents = visibleAgents(services, ctx, modelParam(query.model));
    // Agents advertise per session: one that has not yet is asked through a short-lived session, in parallel.
    const lists = await Promise.all(agents.map((agent) => agent.listCommands()));
    const data = agents.flatMap((agent, i): Skill[] =>
      lists[i]!.map((command) => ({
        name: command.name,
        description: command.description,
        category: null,
        input_hint: command.inputHint,
        model: agent.describe().id,
      })),
    );
    return { object: 'list', data };
  };
}

/**
 * The agents whose discovery data the caller may see: every agent its key may use, or the one `model` names (an
 * agent id or a route alias to an agent). A model the key cannot see is as unknown as one that does not exist.
 */
export function visibleAgents(services: Services, ctx: RequestContext, model: string | undefined): Agent[] {
  const allowed = ctx.allowedModels;
  const mayUse = (id: string) => allowed === null || allowed.includes(id);
  if (model === undefined) return services.agents.list().filter((agent) => mayUse(agent.describe().id));
  const agentId = services.config.routes.find((route) => route.model === model && route.agent)?.agent ?? model;
  const agent = services.agents.get(agentId);
  if (!agent || !mayUse(model)) throw GatewayError.modelNotFound(model);
  return [agent];
}

export function modelParam(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
