// The Responses surface: one repository of stored responses shared by its three operations (and by POST
// /v1/runs, which continues stored chains).
import type { ResponsesRepo } from '../../store/responses-repo.js';
import type { OperationTable } from '../operation-types.js';
import type { Services } from '../services.js';
import { createResponse } from './create-response.js';
import { deleteResponse } from './delete-response.js';
import { getResponse } from './get-response.js';

export function responsesOperations(
  services: Services,
  repo: ResponsesRepo,
): Pick<OperationTable, 'createResponse' | 'getResponse' | 'deleteResponse'> {
  return {
    createResponse: createResponse(services, repo),
    getResponse: getResponse(repo),
    deleteResponse: deleteResponse(services, repo),
  };
}
