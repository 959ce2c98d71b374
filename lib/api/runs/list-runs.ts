// GET /v1/runs: the caller's recent runs, newest first, each as GET /v1/runs/{run_id} reports it (the web console's
// live list). Which runs a key started is the registry's index; this module only shapes the list.
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';
import { runToStatus } from './run-to-status.js';

const DEFAULT_LIMIT = 50;

export function listRuns(services: Services): Operation<'listRuns'> {
  return async ({ query, ctx }) => {
    // The contract bounds it (1..200) and coerces it to an integer.
    const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
    const records = await services.runs.list(ctx.scope, limit);
    return { object: 'list', data: records.map(runToStatus) };
  };
}
