// DELETE /v1/responses/{response_id} (reference §4.4): removes the record and the conversation names pointing at it.
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import type { ResponsesRepo } from '../../store/responses-repo.js';
import type { Operation } from '../operation-types.js';
import { ownedResponse } from './get-response.js';

export function deleteResponse(repo: ResponsesRepo): Operation<'deleteResponse'> {
  return async ({ params, ctx }) => {
    const id = params.response_id;
    await ownedResponse(repo, ctx, id);
    if (!(await repo.delete(id))) throw GatewayError.responseNotFound(id);
    return { id, object: 'response', deleted: true } satisfies components['schemas']['DeleteResponseResponse'];
  };
}
