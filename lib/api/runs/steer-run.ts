// POST /v1/runs/{run_id}/steer (reference §6.8): steer text for a running run, here or on the instance that
// executes it. Live into the running turn when the agent advertises a `steer` command (hermes' `/steer`), else
// queued as the next turn of the run's session; undelivered text shows as `pending_steer`.
import { contentText } from '../content.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';

export function steerRun(services: Services): Operation<'steerRun'> {
  return async ({ params, body, ctx }) => {
    const runId = String(params.run_id);
    // The registry checks the run (404, then 409 unless running) before the text (400), in the reference's order.
    await services.runs.steer(runId, ctx.scope, steerText(body));
    return { object: 'hermes.run.steer', run_id: runId, accepted: true };
  };
}

/**
 * reference §6.8: `input or message or text` (the first one set to something), flattened: a string, content parts,
 * or messages whose contents are joined; trimmed. Empty when there is nothing to say.
 */
export function steerText(body: Record<string, unknown> | undefined): string {
  const raw = [body?.input, body?.message, body?.text].find(present);
  return flatten(raw).trim();
}

/** Python truthiness, as Hermes picks the field: no empty string, empty list or empty object. */
function present(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return contentText(value);
  if (Array.isArray(value)) {
    // Messages ({role, content}) contribute their content; parts and strings their text.
    const texts = value.map((item) =>
      item && typeof item === 'object' && 'content' in item ? flatten(item.content) : contentText([item]),
    );
    return texts.filter(Boolean).join('\n');
  }
  if (value && typeof value === 'object' && 'content' in value) return flatten(value.content);
  return '';
}
