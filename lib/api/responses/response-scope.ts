// Stored responses and conversation names belong to the API key that made them: another key sees a 404.
import type { RequestContext } from '../../http/request-context.js';

export function responseOwner(ctx: RequestContext): string {
  return ctx.scope.slice(0, 16);
}

/** Names of different keys never meet: "my-chat" of one key is not "my-chat" of another. */
export function scopedConversation(owner: string, name: string): string {
  return `${owner}:${name}`;
}
