// The routing decision, made once at the door: which target serves a request — an agent (by its model id) or an
// upstream (with the model name to write into the body) — and whether the caller's key may use that model.
import type { GatewayConfig } from '../config/config.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { Upstream } from '../proxy/upstream.js';
import { streamLimits } from '../sse.js';
import { UpstreamModels } from './upstream-models.js';

export type RouteTarget =
  | {
      kind: 'agent';
      agentId: string;
      /**
       * The model name the operation sees and echoes: the agent's id for its id or an alias, the name as asked for
       * a fallback (an unknown name served by the default agent, reference §3.1), null when none was asked.
       */
      model: string | null;
      /** The default agent serves it because the request named no model, or one nobody serves (the fallback). */
      fallback: boolean;
    }
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

  private readonly strictModels: boolean | undefined;

  constructor(
    config: Pick<GatewayConfig, 'upstreams' | 'routes' | 'bodyLimitBytes' | 'strictModels' | 'streams'>,
    options: ModelRouterOptions,
  ) {
    this.upstreams = new Map(
      config.upstreams.map((u) => [
        u.name,
        new Upstream(u, {
          env: options.env,
          logger: options.logger,
          bodyLimitBytes: config.bodyLimitBytes,
          streamLimits: streamLimits(config.streams),
        }),
      ]),
    );
    this.routes = config.routes;
    this.strictModels = config.strictModels;
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
      // An alias: the operation sees the agent's own id (today's behaviour, so the agent id is what is echoed).
      if (route?.agent) return { kind: 'agent', agentId: route.agent, model: route.agent, fallback: false };
      if (this.agentIds().includes(model)) return { kind: 'agent', agentId: model, model, fallback: false };
    }
    const fallback = this.catchAll;
    return fallback ? { kind: 'upstream', upstream: fallback, model: null } : null;
  }

  /**
   * The one decision for a request naming `model` (or none): its target, after the key's allowed-models check.
   * No model: the default agent (the first), or the catch-all upstream. An unknown model: the default agent when
   * the fallback applies (`usesFallback`), else 404. `agentOnly`: an operation only an agent can serve (runs), so an
   * upstream route is as good as unknown.
   */
  decide(model: string | null, allowed: readonly string[] | null, agentOnly = false): RouteTarget {
    let target = this.resolve(model);
    if (target === null && (model === null || this.usesFallback())) {
      const first = this.agentIds()[0];
      if (first !== undefined) target = { kind: 'agent', agentId: first, model, fallback: true };
    }
    if (target === null || (agentOnly && target.kind === 'upstream')) {
      // Proxy-only mode: no agent will ever serve this, so it is the request that cannot be served (4xx), not a 503.
      if (this.agentIds().length === 0) throw GatewayError.noAgentConfigured();
      if (model === null) throw GatewayError.agentUnavailable('no agent is configured');
      throw GatewayError.modelNotFound(model);
    }
    checkAllowed(target, model, allowed);
    return target;
  }

  /**
   * Whether a model nobody serves runs the default agent. Hermes runs its one agent whatever `model` names and
   * echoes the name (reference §3.1; its proxy-mode client always sends `hermes-agent`, §11). With model routes or
   * several agents a name is a choice, so an unknown one is 404 `model_not_found`. `strictModels` decides
   * explicitly: true = always 404, false = always the default agent.
   */
  private usesFallback(): boolean {
    if (this.strictModels !== undefined) return !this.strictModels;
    return this.routes.length === 0 && this.agentIds().length === 1;
  }

  close(): void {
    for (const upstream of this.upstreams.values()) upstream.close();
  }
}

/**
 * The allowed-models check, in one place: the key's list names what the client asked for (an alias counts as
 * itself); a request naming no model asks for the default agent, or for an upstream's default, which no list names.
 * A fallback request (an unknown name the default agent serves) counts as asking for that agent: the list must name
 * the agent actually used, so an unknown name — even one the list happens to name — never reaches an agent the
 * key may not use.
 */
export function checkAllowed(target: RouteTarget, model: string | null, allowed: readonly string[] | null): void {
  if (!allowed) return;
  const asked = target.kind === 'agent' && target.fallback ? target.agentId : model;
  if (asked === null || !allowed.includes(asked)) throw GatewayError.modelForbidden(asked ?? '(default)');
}
