// GET /v1/runs/{run_id} and POST /v1/runs/{run_id}/stop (reference §6.3, §6.7).
import { GatewayError } from '../../errors.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';
import { runToStatus } from './run-to-status.js';

export function getRun(services: Services): Operation<'getRun'> {
  return async ({ params, ctx }) => {
    const runId = String(params.run_id);
    const record = await services.runs.get(runId, ctx.scope);
    if (!record) throw GatewayError.runNotFound(runId);
    return runToStatus(record);
  };
}

export function stopRun(services: Services): Operation<'stopRun'> {
  return async ({ params, ctx }) => {
    const runId = String(params.run_id);
    const result = await services.runs.stop(runId, ctx.scope);
    if (result.outcome === 'terminal') return runToStatus(result.record);
    return { run_id: runId, status: 'stopping' };
  };
}
