// DELETE /v1/responses/{response_id} (reference §4.4): removes the record, the conversation names pointing at it,
// and what of its session only it held (chain-sessions.ts).
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import type { ResponsesRepo } from '../../store/responses-repo.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';
import { ChainSessions } from './chain-sessions.js';
import { ownedResponse } from './get-response.js';

export function deleteResponse(services: Services, repo: ResponsesRepo): Operation<'deleteResponse'> {
  const chains = new ChainSessions(services, repo);
  return async ({ params, ctx }) => {
    const id = params.response_id;
    const record = await ownedResponse(repo, ctx, id);
    if (!(await repo.delete(id))) throw GatewayError.responseNotFound(id);
    await chains.deleted(record);
    return { id, object: 'response', deleted: true } satisfies components['schemas']['DeleteResponseResponse'];
  };
}
