// The models an upstream-only gateway can serve: the catch-all upstream's own /v1/models list, cached briefly.
import type { Logger } from '../log.js';
import type { Upstream } from '../proxy/upstream.js';

export interface UpstreamModel {
  id: string;
  upstream: string;
}

const FRESH_MS = 60_000;
const RETRY_AFTER_FAILURE_MS = 10_000;

/** Asks the catch-all upstream at most once a minute; a failure lists nothing for 10 s and is logged once. */
export class UpstreamModels {
  private cached: { at: number; ttl: number; models: UpstreamModel[] } | null = null;
  private pending: Promise<UpstreamModel[]> | null = null;

  constructor(
    /** The catch-all upstream, while there is one (upstream-only mode). */
    private readonly catchAll: () => Upstream | null,
    private readonly logger: Logger,
  ) {}

  list(): Promise<UpstreamModel[]> {
    const upstream = this.catchAll();
    if (!upstream) return Promise.resolve([]);
    if (this.cached && Date.now() - this.cached.at < this.cached.ttl) return Promise.resolve(this.cached.models);
    this.pending ??= upstream
      .listModels()
      .then(
        (ids) => {
          const models = ids.map((id) => ({ id, upstream: upstream.name }));
          this.cached = { at: Date.now(), ttl: FRESH_MS, models };
          return models;
        },
        (error: Error) => {
          this.logger.warn({ upstream: upstream.name, err: error.message }, 'cannot list the upstream models');
          this.cached = { at: Date.now(), ttl: RETRY_AFTER_FAILURE_MS, models: [] };
          return [];
        },
      )
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}
