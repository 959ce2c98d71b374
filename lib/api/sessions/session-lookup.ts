// Finding the caller's session: another key's (or another session key's) session is not found, never forbidden.
import { GatewayError } from '../../errors.js';
import type { RequestContext } from '../../http/request-context.js';
import { type SessionRow, sessionKeyOf } from '../../store/session-store.js';
import { readSessionHeaders } from '../session-headers.js';
import type { Services } from '../services.js';
import { sessionOwner } from '../turn-scope.js';

/** The owner the request speaks for: its key's scope, narrowed by X-Hermes-Session-Key when sent. */
export function ownerOfRequest(ctx: RequestContext, headers: Record<string, unknown>): string {
  return sessionOwner(ctx, readSessionHeaders(headers).sessionKey);
}

export async function findSession(services: Services, owner: string, id: string): Promise<SessionRow> {
  const row = await services.conversations.get(sessionKeyOf(owner, id));
  if (!row) throw GatewayError.sessionNotFound(id);
  return row;
}
