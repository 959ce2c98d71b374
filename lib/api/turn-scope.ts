// Per-request choices shared by the agent surfaces: the agent the door chose, and whose conversation is whose.
import { createHash } from 'node:crypto';
import type { ConversationRef } from '../engine/conversations.js';
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

/**
 * Who owns a conversation: the key's scope, narrowed by X-Hermes-Session-Key, so several end users behind one API
 * key each see only their own sessions. Conversations of different keys never meet, even when their ids collide.
 */
export function sessionOwner(ctx: RequestContext, sessionKey: string | null): string {
  if (!sessionKey) return ctx.scope;
  return `${ctx.scope}~${createHash('sha256').update(sessionKey, 'utf8').digest('hex').slice(0, 16)}`;
}

export function conversationOf(ctx: RequestContext, sessionId: string, sessionKey: string | null): ConversationRef {
  return { owner: sessionOwner(ctx, sessionKey), id: sessionId };
}
