// Per-key scoping shared by the agent surfaces: which models a key may use, and whose conversation is whose.
import { GatewayError } from '../errors.js';
import type { RequestContext } from '../http/request-context.js';

export function checkModelAllowed(ctx: RequestContext, model: string): void {
  if (ctx.allowedModels && !ctx.allowedModels.includes(model)) throw GatewayError.modelForbidden(model);
}

/** Conversations of different API keys never meet, even when their derived session ids collide. */
export function conversationKey(ctx: RequestContext, sessionId: string): string {
  return `${ctx.scope}:${sessionId}`;
}
