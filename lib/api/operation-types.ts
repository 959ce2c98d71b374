// The operation ids of openapi.yaml and the handler type of each, with the body type the contract declares for it.
import type { operations } from '../generated/openapi.gen.js';
import type { OperationHandler } from '../http/operation.js';

export const OPERATION_IDS = [
  'createChatCompletion',
  'createResponse',
  'getResponse',
  'deleteResponse',
  'listResponseInputItems',
  'listModels',
  'getModel',
  'getCapabilities',
  'getHealth',
  'getHealthV1',
  'getHealthDetailed',
  'getMetrics',
  'getOpenApiDocument',
  'getDocs',
  'getDocsAsset',
  'getConsole',
  'getConsoleAsset',
  'listRuns',
  'createRun',
  'getRun',
  'streamRunEvents',
  'stopRun',
  'respondRunApproval',
  'steerRun',
  'listJobs',
  'createJob',
  'getJob',
  'updateJob',
  'deleteJob',
  'pauseJob',
  'resumeJob',
  'runJob',
  'listJobExecutions',
  'parseJobSchedule',
  'listSessions',
  'createSession',
  'getSession',
  'updateSession',
  'deleteSession',
  'listSessionMessages',
  'forkSession',
  'chatSession',
  'streamSessionChat',
  'setSessionModel',
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
