// operationId -> handler. Every operation of openapi.yaml has an entry; unbuilt ones answer 501.
import type { operations } from '../generated/openapi.gen.js';
import type { Contract } from '../http/contract.js';
import { notImplemented, type OperationHandler } from '../http/operation.js';
import { createChatCompletion } from './chat/create-chat-completion.js';
import { getCapabilities } from './discovery/capabilities.js';
import { getHealth, getHealthDetailed } from './discovery/health.js';
import { listModels } from './discovery/models.js';
import { responsesOperations } from './responses/responses-operations.js';
import { createRun } from './runs/create-run.js';
import { getRun, stopRun } from './runs/get-run.js';
import { respondRunApproval } from './runs/respond-run-approval.js';
import { streamRunEvents } from './runs/stream-run-events.js';
import type { Services } from './services.js';
import { createResponsesRepo } from '../store/responses-repo.js';

export const OPERATION_IDS = [
  'createChatCompletion',
  'createResponse',
  'getResponse',
  'deleteResponse',
  'listModels',
  'getCapabilities',
  'getHealth',
  'getHealthV1',
  'getHealthDetailed',
  'createRun',
  'getRun',
  'streamRunEvents',
  'stopRun',
  'respondRunApproval',
  'listJobs',
  'createJob',
  'getJob',
  'updateJob',
  'deleteJob',
  'pauseJob',
  'resumeJob',
  'runJob',
  'listSessions',
  'createSession',
  'getSession',
  'updateSession',
  'deleteSession',
  'listSessionMessages',
  'forkSession',
  'chatSession',
  'streamSessionChat',
  'listSkills',
  'listToolsets',
] as const satisfies readonly OperationId[];

/** Operation ids come from openapi.yaml (generated types); the list above must name every one. */
export type OperationId = keyof operations;
const everyOperationListed: [Exclude<OperationId, (typeof OPERATION_IDS)[number]>] extends [never] ? true : never =
  true;
void everyOperationListed;

type RequestBodyOf<K extends OperationId> = operations[K] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : undefined;

/** A handler whose `body` has the type openapi.yaml declares for the operation. */
export type Operation<K extends OperationId> = OperationHandler<RequestBodyOf<K>>;
export type OperationTable = { [K in OperationId]: Operation<K> };

export function createOperations(services: Services, contract: Contract): OperationTable {
  const table: OperationTable = Object.fromEntries(OPERATION_IDS.map((id) => [id, notImplemented])) as OperationTable;
  const implemented = (id: string) => table[id as OperationId] !== notImplemented;
  const responses = createResponsesRepo(services.store, { maxStored: services.config.responses.maxStored });
  Object.assign(table, {
    createChatCompletion: createChatCompletion(services),
    getHealth,
    getHealthV1: getHealth,
    getHealthDetailed: getHealthDetailed(services),
    listModels: listModels(services),
    getCapabilities: getCapabilities(services, contract, implemented),
    ...responsesOperations(services, responses),
    createRun: createRun(services, responses),
    getRun: getRun(services),
    streamRunEvents: streamRunEvents(services),
    stopRun: stopRun(services),
    respondRunApproval: respondRunApproval(services),
  } satisfies Partial<OperationTable>);
  return table;
}
