// POST /api/sessions/{id}/model (reference §8): locks a session to a model. Its later chats that name no model
// run on it (runtime.route_source "session_model_lock"); a chat naming another model uses that one for its turn
// only. Answers with the runtime that will serve the session.
import { GatewayError } from '../../errors.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';
import { lockedTarget } from './session-chat-runtime.js';
import { findSession, ownerOfRequest } from './session-lookup.js';

export function setSessionModel(services: Services): Operation<'setSessionModel'> {
  const { conversations } = services;
  return async ({ params, body, headers, ctx }) => {
    const row = await findSession(services, ownerOfRequest(ctx, headers), params.session_id);
    const input = (body ?? {}) as Record<string, unknown>;
    const model = typeof input.model === 'string' ? input.model.trim() : '';
    if (model === '') throw GatewayError.invalid("Missing 'model' field", 'model', 'missing_model');
    const provider = typeof input.provider === 'string' && input.provider.trim() !== '' ? input.provider : null;
    const confirmed = input.require_model_lock === true;
    // 409 model_lock_unavailable when no agent serves the model; 403 when the key may not use it.
    const target = lockedTarget(services, ctx, { model, provider, confirmed });
    // A turn records the session when it ends: writing the record under it would lose one of the two writes.
    if (services.turns.isBusy(row.key)) throw GatewayError.sessionActiveTurn(row.info.id);
    const next = structuredClone(row);
    next.info.model = model;
    // The lock replaces the previous one whole; other model config (e.g. fork bookkeeping) stays.
    const { model: _m, provider: _p, model_options: _o, require_model_lock: _r, ...kept } = row.modelConfig ?? {};
    next.modelConfig = {
      ...kept,
      model,
      ...(provider ? { provider } : {}),
      ...(input.model_options !== undefined ? { model_options: input.model_options } : {}),
      require_model_lock: confirmed,
    };
    await conversations.sessions.put(next);
    // The warm agent session runs the old model: the next turn starts a new one, seeded with the history.
    if (row.agentId !== target.agentId || row.info.model !== model) conversations.dropLive(row.key);
    return { object: 'hermes.session.model_lock', session_id: row.info.id, runtime: target.runtime };
  };
}
