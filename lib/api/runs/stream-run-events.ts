// GET /v1/runs/{run_id}/events (reference §6.5): `id: <n>` + `data: <json>` frames from the run's journal,
// replay after Last-Event-ID, live tail, `: stream closed` once the run has ended.
import { parseLastEventId } from '../../engine/runs/run-journal.js';
import { GatewayError } from '../../errors.js';
import { openSse } from '../../http/sse.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';

export function streamRunEvents(services: Services): Operation<'streamRunEvents'> {
  const keepaliveMs = services.config.chat.keepaliveSeconds * 1000;
  return async ({ params, headers, ctx, res }) => {
    const runId = String(params.run_id);
    const record = await services.runs.get(runId, ctx.scope);
    // A finished run whose unread journal expired keeps its status, but has no events left to send.
    if (!record || !(await services.runJournal.exists(runId))) throw GatewayError.runNotFound(runId);
    const afterId = parseLastEventId(headers['last-event-id']);
    const sse = openSse(res, { keepaliveMs });
    try {
      for await (const entry of services.runJournal.subscribe(runId, afterId, sse.signal)) {
        sse.send({ id: entry.id, data: entry.data });
      }
      sse.comment('stream closed');
    } finally {
      sse.end();
    }
  };
}
