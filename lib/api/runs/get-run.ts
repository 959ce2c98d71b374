// GET /v1/runs/{run_id} and POST /v1/runs/{run_id}/stop (reference §6.3, §6.7).
import { GatewayError } from '../../errors.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';
import { runToStatus, streamWaitToStatus } from './run-to-status.js';

export function getRun(services: Services): Operation<'getRun'> {
  return async ({ params, ctx }) => {
    const runId = String(params.run_id);
    const record = await services.runs.get(runId, ctx.scope);
    if (record) return runToStatus(record);
    // Hermes keeps no status for chat and Responses streams (its GET answers 404 for their ids). A plain chat
    // client has only this route to find what to answer, so a stream waiting for approval is reported as such;
    // before its first request, between answered requests and after the stream: 404, as in Hermes.
    const waiting = await services.runs.streamWaiting(runId, ctx.scope);
    if (waiting) return streamWaitToStatus(waiting);
    throw GatewayError.runNotFound(runId);
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
