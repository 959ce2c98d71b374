// Per-request choices shared by the agent surfaces: the agent the door chose, and whose conversation is whose.
import type { Agent } from '../engine/port/agent.js';
import { GatewayError } from '../errors.js';
import type { RequestContext } from '../http/request-context.js';
import type { Services } from './services.js';

/** The agent the routing decision at the door chose for this request (model resolved and allowed there, once). */
export function agentOf(services: Services, ctx: RequestContext): Agent {
  const agent = ctx.target ? services.agents.get(ctx.target.agentId) : undefined;
  if (!agent) throw GatewayError.agentUnavailable(`no agent serves ${ctx.target?.agentId ?? 'this request'}`);
  return agent;
}

/** Conversations of different API keys never meet, even when their derived session ids collide. */
export function conversationKey(ctx: RequestContext, sessionId: string): string {
  return `${ctx.scope}:${sessionId}`;
}
