// The routing decision, made once at the door: which target serves a request — an agent (by its model id) or an
// upstream (with the model name to write into the body) — and whether the caller's key may use that model.
import type { GatewayConfig } from '../config/config.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { Upstream } from '../proxy/upstream.js';
import { UpstreamModels } from './upstream-models.js';

export type RouteTarget =
  | { kind: 'agent'; agentId: string }
  | {
      kind: 'upstream';
      upstream: Upstream;
      /** Written into the forwarded body; null keeps the client's. */
      model: string | null;
    };

export interface ModelRouterOptions {
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Model ids of the running agents, the first being the default. */
  agentIds(): readonly string[];
}

export class ModelRouter {
  readonly upstreams: ReadonlyMap<string, Upstream>;
  /** What the catch-all upstream lists at its /v1/models (upstream-only mode). */
  readonly upstreamModels: UpstreamModels;
  private readonly routes: GatewayConfig['routes'];
  private readonly agentIds: () => readonly string[];

  constructor(config: Pick<GatewayConfig, 'upstreams' | 'routes' | 'bodyLimitBytes'>, options: ModelRouterOptions) {
    this.upstreams = new Map(
      config.upstreams.map((u) => [
        u.name,
        new Upstream(u, { env: options.env, logger: options.logger, bodyLimitBytes: config.bodyLimitBytes }),
      ]),
    );
    this.routes = config.routes;
    this.agentIds = options.agentIds;
    this.upstreamModels = new UpstreamModels(() => this.catchAll, options.logger);
  }

  /**
   * Upstream-only mode: no agent runs and an upstream is configured. The first upstream then serves every model no
   * route names, and every `/v1/*` route the gateway does not own.
   */
  get catchAll(): Upstream | null {
    if (this.agentIds().length > 0) return null;
    return this.upstreams.values().next().value ?? null;
  }

  /** Routes first, then agent ids, then the catch-all upstream; null = nobody serves it. */
  resolve(model: string | null | undefined): RouteTarget | null {
    if (model) {
      const route = this.routes.find((r) => r.model === model);
      if (route?.upstream) {
        return { kind: 'upstream', upstream: this.upstreams.get(route.upstream)!, model: route.upstreamModel ?? null };
      }
      if (route?.agent) return { kind: 'agent', agentId: route.agent };
      if (this.agentIds().includes(model)) return { kind: 'agent', agentId: model };
    }
    const fallback = this.catchAll;
    return fallback ? { kind: 'upstream', upstream: fallback, model: null } : null;
  }

  /**
   * The one decision for a request naming `model` (or none): its target, after the key's allowed-models check.
   * No model: the default agent (the first), or the catch-all upstream. `agentOnly`: an operation only an agent can
   * serve (runs), so an upstream route is as good as unknown.
   */
  decide(model: string | null, allowed: readonly string[] | null, agentOnly = false): RouteTarget {
    let target = this.resolve(model);
    if (model === null && target === null) {
      const first = this.agentIds()[0];
      if (first !== undefined) target = { kind: 'agent', agentId: first };
    }
    if (target === null || (agentOnly && target.kind === 'upstream')) {
      if (model === null) throw GatewayError.agentUnavailable('no agent is configured');
      throw GatewayError.modelNotFound(model);
    }
    checkAllowed(target, model, allowed);
    return target;
  }

  close(): void {
    for (const upstream of this.upstreams.values()) upstream.close();
  }
}

/**
 * The allowed-models check, in one place: the key's list names what the client asked for (an alias counts as
 * itself); a request naming no model asks for the default agent, or for an upstream's default, which no list names.
 */
export function checkAllowed(target: RouteTarget, model: string | null, allowed: readonly string[] | null): void {
  if (!allowed) return;
  const asked = model ?? (target.kind === 'agent' ? target.agentId : null);
  if (asked === null || !allowed.includes(asked)) throw GatewayError.modelForbidden(asked ?? '(default)');
}
