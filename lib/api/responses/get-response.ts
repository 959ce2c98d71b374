// GET /v1/responses/{response_id} (reference §4.4): the stored envelope; the read refreshes its recency.
import { GatewayError } from '../../errors.js';
import type { RequestContext } from '../../http/request-context.js';
import type { ResponsesRepo, StoredResponse } from '../../store/responses-repo.js';
import type { Operation } from '../operation-types.js';

export function getResponse(repo: ResponsesRepo): Operation<'getResponse'> {
  return async ({ params, ctx }) => (await ownedResponse(repo, ctx, params.response_id)).response;
}

/** The stored record, when it exists and belongs to the caller's key; 404 otherwise. */
export async function ownedResponse(repo: ResponsesRepo, ctx: RequestContext, id: string): Promise<StoredResponse> {
  const record = await repo.get(id);
  if (!record || record.owner !== ctx.scope) throw GatewayError.responseNotFound(id);
  return record;
}
