// operationId -> handler. Every operation of openapi.yaml has an entry; unbuilt ones answer 501.
import type { Contract } from '../http/contract.js';
import { notImplemented } from '../http/operation.js';
import { createChatCompletion } from './chat/create-chat-completion.js';
import { getConsole, getConsoleAsset } from './console/console-page.js';
import { getCapabilities } from './discovery/capabilities.js';
import { getDocs, getDocsAsset, getOpenApiDocument } from './discovery/contract-docs.js';
import { getHealth, getHealthDetailed } from './discovery/health.js';
import { getMetrics } from './discovery/metrics.js';
import { getModel, listModels } from './discovery/models.js';
import { jobsOperations } from './jobs/jobs-operations.js';
import { parseJobSchedule } from './jobs/schedule-preview.js';
import { listSkills } from './discovery/skills.js';
import { listToolsets } from './discovery/toolsets.js';
import { listResponseInputItems } from './responses/list-input-items.js';
import { responsesOperations } from './responses/responses-operations.js';
import { createRun } from './runs/create-run.js';
import { getRun, stopRun } from './runs/get-run.js';
import { listRuns } from './runs/list-runs.js';
import { respondRunApproval } from './runs/respond-run-approval.js';
import { steerRun } from './runs/steer-run.js';
import { streamRunEvents } from './runs/stream-run-events.js';
import { OPERATION_IDS, type OperationId, type OperationTable } from './operation-types.js';
import type { Services } from './services.js';
import { createResponsesRepo } from '../store/responses-repo.js';
import { sessionsOperations } from './sessions/sessions-operations.js';
import { retentionOf } from '../config/retention.js';
import { ChainSessions } from './responses/chain-sessions.js';
import { chatSession, streamSessionChat } from './sessions/session-chat.js';
import { setSessionModel } from './sessions/session-model.js';

export type { OperationTable };

export function createOperations(services: Services, contract: Contract): OperationTable {
  const table: OperationTable = Object.fromEntries(OPERATION_IDS.map((id) => [id, notImplemented])) as OperationTable;
  const implemented = (id: string) => table[id as OperationId] !== notImplemented;
  const retention = retentionOf(services.config);
  const responses = createResponsesRepo(services.store, { maxStored: retention.responsesMaxStored });
  const chains = new ChainSessions(services, responses);
  services.conversations.onSweep(async (now) => void (await chains.expire(now - retention.responseMaxAgeMs)));
  Object.assign(table, {
    createChatCompletion: createChatCompletion(services),
    getHealth,
    getHealthV1: getHealth,
    getHealthDetailed: getHealthDetailed(services),
    getOpenApiDocument: getOpenApiDocument(),
    getDocs: getDocs(),
    getDocsAsset: getDocsAsset(),
    getConsole: getConsole(),
    getConsoleAsset: getConsoleAsset(),
    getMetrics: getMetrics(services),
    listModels: listModels(services),
    getModel: getModel(services),
    getCapabilities: getCapabilities(services, contract, implemented),
    ...responsesOperations(services, responses),
    listResponseInputItems: listResponseInputItems(responses),
    createRun: createRun(services, responses),
    listRuns: listRuns(services),
    getRun: getRun(services),
    streamRunEvents: streamRunEvents(services),
    stopRun: stopRun(services),
    respondRunApproval: respondRunApproval(services),
    ...jobsOperations(services),
    parseJobSchedule: parseJobSchedule(services),
    steerRun: steerRun(services),
    listSkills: listSkills(services),
    listToolsets: listToolsets(services),
    ...sessionsOperations(services, responses),
    chatSession: chatSession(services),
    streamSessionChat: streamSessionChat(services),
    setSessionModel: setSessionModel(services),
  } satisfies Partial<OperationTable>);
  return table;
}
