// GET /v1/capabilities (reference §5.2): a feature flag is true only when its operation is built.
import type { Contract } from '../../http/contract.js';
import type { OperationHandler } from '../../http/operation.js';
import { VERSION } from '../../version.js';
import type { Services } from '../services.js';

/** Feature -> the operations that must all be implemented for it to be advertised. */
const FEATURE_OPERATIONS: Record<string, string[]> = {
  chat_completions: ['createChatCompletion'],
  chat_completions_streaming: ['createChatCompletion'],
  responses_api: ['createResponse', 'getResponse', 'deleteResponse'],
  responses_streaming: ['createResponse'],
  run_submission: ['createRun'],
  run_status: ['getRun'],
  run_events_sse: ['streamRunEvents'],
  run_stop: ['stopRun'],
  run_steer: ['steerRun'],
  run_approval_response: ['respondRunApproval'],
  approval_events: ['respondRunApproval'],
  session_resources: ['listSessions', 'getSession'],
  session_chat: ['chatSession'],
  session_chat_streaming: ['streamSessionChat'],
  session_fork: ['forkSession'],
  session_model_lock: ['setSessionModel'],
  jobs_admin: ['listJobs', 'createJob'],
  skills_api: ['listSkills'],
  // Not a Hermes flag (Hermes lists toolsets without one); says GET /v1/toolsets is built.
  toolsets_api: ['listToolsets'],
};

const ENDPOINTS: Record<string, string> = {
  health: 'getHealth',
  health_detailed: 'getHealthDetailed',
  models: 'listModels',
  model: 'getModel',
  capabilities: 'getCapabilities',
  chat_completions: 'createChatCompletion',
  responses: 'createResponse',
  response: 'getResponse',
  response_input_items: 'listResponseInputItems',
  runs: 'createRun',
  run_status: 'getRun',
  run_events: 'streamRunEvents',
  run_approval: 'respondRunApproval',
  run_stop: 'stopRun',
  run_steer: 'steerRun',
  jobs: 'listJobs',
  sessions: 'listSessions',
  session_create: 'createSession',
  session: 'getSession',
  session_update: 'updateSession',
  session_delete: 'deleteSession',
  session_messages: 'listSessionMessages',
  session_fork: 'forkSession',
  session_chat: 'chatSession',
  session_chat_stream: 'streamSessionChat',
  session_model_lock: 'setSessionModel',
  skills: 'listSkills',
  toolsets: 'listToolsets',
};

export function getCapabilities(
  services: Services,
  contract: Contract,
  implemented: (operationId: string) => boolean,
): OperationHandler {
  const byId = new Map(contract.operations.map((op) => [op.operationId, op]));
  const built = (feature: string) => FEATURE_OPERATIONS[feature].every(implemented);
  return () => {
    const features: Record<string, unknown> = Object.fromEntries(
      Object.keys(FEATURE_OPERATIONS).map((f) => [f, built(f)]),
    );
    Object.assign(features, {
      runs_idempotency: {
        supported: implemented('createRun'),
        durable: services.store.backend !== 'memory',
        retention_seconds: 86400,
      },
      tool_progress_events: implemented('createChatCompletion') && services.config.chat.toolProgressEvents,
      reasoning_streaming: implemented('createChatCompletion') && services.config.chat.showReasoning,
      model_options: false,
      admin_config_rw: false,
      memory_write_api: false,
      audio_api: false,
      realtime_voice: false,
      session_continuity_header: 'X-Hermes-Session-Id',
      session_key_header: 'X-Hermes-Session-Key',
      cors: services.config.corsOrigins.length > 0,
      browser_extension_control: { enabled: false },
    });
    const endpoints = Object.fromEntries(
      Object.entries(ENDPOINTS)
        .filter(([, operationId]) => byId.has(operationId) && implemented(operationId))
        .map(([name, operationId]) => [
          name,
          { method: byId.get(operationId)!.method, path: byId.get(operationId)!.path },
        ]),
    );
    const agents = services.agents.list();
    return {
      object: 'hermes.api_server.capabilities',
      platform: 'agent-gateway',
      version: VERSION,
      model: agents[0]?.describe().id ?? services.config.routes[0]?.model ?? null,
      auth: { type: 'bearer', required: true },
      runtime: {
        mode: 'server_agent',
        tool_execution: 'server',
        split_runtime: false,
        description: 'The gateway runs ACP agents on its host; their tools execute there, not in the client.',
      },
      features,
      endpoints,
    };
  };
}
