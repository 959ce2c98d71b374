// The configured agents by model id (the routing decision at the door picks one: lib/http/routing.ts).
import type { Agent } from './port/agent.js';

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
}
