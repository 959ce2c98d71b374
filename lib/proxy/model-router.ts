// Model routing: which target serves a request's `model` — an agent, or an upstream (with its model name).
import type { GatewayConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { Upstream } from './upstream.js';
import { UpstreamModels } from './upstream-models.js';

export type RouteTarget =
  | { kind: 'agent'; agentId: string }
  | {
      kind: 'upstream';
      upstream: Upstream /** Written into the forwarded body; null keeps the client's. */;
      model: string | null;
    };

export interface ModelRouterOptions {
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Model ids of the running agents. */
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
    this.upstreamModels = new UpstreamModels(this, options.logger);
  }

  /**
   * Upstream-only mode: no agent runs and an upstream is configured. The first upstream then serves every model no
   * route names, and every `/v1/*` route the gateway does not own.
   */
  get catchAll(): Upstream | null {
    if (this.agentIds().length > 0) return null;
    return this.upstreams.values().next().value ?? null;
  }

  /** Routes first, then agent ids, then the catch-all upstream; null = nobody serves it (the agent path answers 404). */
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

  close(): void {
    for (const upstream of this.upstreams.values()) upstream.close();
  }
}
