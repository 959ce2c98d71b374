// Which agent and model serve a session's chat, and the `runtime` object that tells the client (reference §8):
// the model the request names (decided at the door), else the session's model lock, else the model the session
// last ran on, else the default agent.
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import type { RequestContext } from '../../http/request-context.js';
import type { SessionRow } from '../../store/session-store.js';
import type { Services } from '../services.js';
import { agentOf } from '../turn-scope.js';

export type SessionRuntime = components['schemas']['SessionRuntime'];

export interface SessionTarget {
  agentId: string;
  /** The model name the turn records and echoes. */
  model: string;
  runtime: SessionRuntime;
}

/** A session's model lock (POST /api/sessions/{id}/model, or a session created with require_model_lock). */
export interface ModelLock {
  model: string;
  provider: string | null;
  confirmed: boolean;
}

export interface SessionChatModelFields {
  model?: unknown;
  provider?: unknown;
  require_model_lock?: unknown;
}

export function sessionChatTarget(
  services: Services,
  ctx: RequestContext,
  row: SessionRow,
  body: SessionChatModelFields,
): SessionTarget {
  const asked = nonEmpty(body.model);
  const provider = nonEmpty(body.provider);
  if (asked) {
    // The door routed this request by its model (an alias arrives as the agent's own id; ctx.model is what was asked).
    const agent = agentOf(services, ctx);
    const requested = ctx.model ?? asked;
    return {
      agentId: agent.id,
      model: asked,
      runtime: {
        provider: agent.id,
        model: asked,
        route_source: requested !== asked ? 'model_routes' : 'raw_request',
        requested: { ...(provider ? { provider } : {}), model: requested },
      },
    };
  }
  const lock = modelLockOf(row);
  if (lock) return lockedTarget(services, ctx, lock);
  // reference §8 (Hermes' require_model_lock): an empty selection must not fall through to the default.
  if (body.require_model_lock === true) throw GatewayError.invalid("Missing 'model' field", 'model', 'missing_model');
  const stored = row.info.model ? tryDecide(services, ctx, row.info.model) : null;
  if (stored) return { ...stored, runtime: { ...stored.runtime, route_source: 'session_model' } };
  const agent = agentOf(services, ctx);
  return {
    agentId: agent.id,
    model: agent.id,
    runtime: { provider: agent.id, model: agent.id, route_source: 'global' },
  };
}

/** The target a lock names; 409 model_lock_unavailable when no agent serves its model any more. */
export function lockedTarget(services: Services, ctx: RequestContext, lock: ModelLock): SessionTarget {
  let decided: SessionTarget | null;
  try {
    decided = decide(services, ctx, lock.model);
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'model_not_found')
      throw GatewayError.modelLockUnavailable(lock.model);
    throw error;
  }
  return {
    ...decided,
    runtime: {
      ...decided.runtime,
      route_source: 'session_model_lock',
      requested: { ...(lock.provider ? { provider: lock.provider } : {}), model: lock.model },
      model_lock: lock.confirmed ? 'confirmed' : 'accepted',
    },
  };
}

export function modelLockOf(row: SessionRow): ModelLock | null {
  const config = row.modelConfig ?? {};
  const confirmed = config.require_model_lock === true;
  const model = nonEmpty(config.model) ?? (confirmed ? row.info.model : null);
  if (!model) return null;
  return { model, provider: nonEmpty(config.provider), confirmed };
}

/** The routing decision for a model the request did not name (the session's): an agent only, as the door decides. */
function decide(services: Services, ctx: RequestContext, model: string): SessionTarget {
  const target = services.router.decide(model, ctx.allowedModels, true);
  if (target.kind !== 'agent') throw GatewayError.modelNotFound(model);
  const name = target.model ?? model;
  return { agentId: target.agentId, model: name, runtime: { provider: target.agentId, model: name, route_source: '' } };
}

/** The session's last model, when some agent still serves it (and the key may use it); else null. */
function tryDecide(services: Services, ctx: RequestContext, model: string): SessionTarget | null {
  try {
    return decide(services, ctx, model);
  } catch (error) {
    if (error instanceof GatewayError) return null;
    throw error;
  }
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
