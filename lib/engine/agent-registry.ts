// The configured agents by model id, and the choice of agent for a request's `model`.
import type { Agent } from './port/agent.js';
import { GatewayError } from '../errors.js';

export class AgentRegistry {
  private readonly byId = new Map<string, Agent>();

  constructor(private readonly agents: readonly Agent[]) {
    for (const agent of agents) this.byId.set(agent.describe().id, agent);
  }

  list(): readonly Agent[] {
    return this.agents;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  get(id: string): Agent | undefined {
    return this.byId.get(id);
  }

  /** The agent for `model`; no model means the first agent. Unknown -> 404 model_not_found. */
  resolve(model: string | undefined | null): Agent {
    if (!model) {
      const first = this.agents[0];
      if (!first) throw GatewayError.agentUnavailable('no agent is configured');
      return first;
    }
    const agent = this.byId.get(model);
    if (!agent) throw GatewayError.modelNotFound(model);
    return agent;
  }
}
