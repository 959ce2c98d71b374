// Per-key rate limits after auth: requests per minute and requests in flight. A limited key gets the
// x-ratelimit-*-requests headers on every response; a refusal is 429 with Retry-After.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics } from '../metrics.js';
import { scopeOfKey } from './bearer-auth.js';
import { type Limits, LEASE_MS, type RateLimitStore } from './rate-limit-store.js';
import type { RequestContext, RequestGate } from './request-context.js';

export interface RateLimitedKey {
  key: string;
  name?: string;
  requestsPerMinute?: number;
  maxConcurrent?: number;
}

export interface RateLimitOptions {
  keys: readonly RateLimitedKey[];
  store: RateLimitStore;
  logger: Logger;
  /** Counts the refusals. */
  metrics?: Pick<GatewayMetrics, 'rejected'>;
}

/** Null when no key has a limit: nothing to put in the chain. */
export function rateLimit({ keys, store, logger, metrics }: RateLimitOptions): RequestGate | null {
  // Keyed by the request's ownership scope, so the secret never reaches the store.
  const limited = new Map<string, Limits>();
  for (const entry of keys) {
    if (entry.requestsPerMinute === undefined && entry.maxConcurrent === undefined) continue;
    limited.set(scopeOfKey(entry.key), {
      requests: entry.requestsPerMinute ?? null,
      concurrent: entry.maxConcurrent ?? null,
    });
  }
  if (limited.size === 0) return null;
  const log = logger.child({ component: 'rate-limit' });

  return function rateLimit(res, ctx) {
    const limits = limited.get(ctx.scope);
    if (!limits) return; // an unlimited key: decided at once, no promise
    return admit(res, ctx, limits);
  };

  async function admit(res: ServerResponse, ctx: RequestContext, limits: Limits): Promise<void> {
    const storeKey = ctx.scope;
    const leaseId = randomUUID();
    let admission: Awaited<ReturnType<RateLimitStore['admit']>>;
    try {
      admission = await store.admit(storeKey, limits, leaseId);
    } catch (error) {
      throw GatewayError.storeUnavailable((error as Error).message);
    }
    if (limits.requests !== null) {
      res.setHeader('x-ratelimit-limit-requests', String(limits.requests));
      res.setHeader('x-ratelimit-remaining-requests', String(admission.remaining));
      res.setHeader('x-ratelimit-reset-requests', formatDuration(admission.resetMs));
    }
    if (!admission.ok) {
      const reason = admission.reason === 'requests' ? 'requests_per_minute' : 'concurrent_requests';
      ctx.reason = reason;
      metrics?.rejected(reason);
      const retryAfter = String(Math.max(1, Math.ceil(admission.retryMs / 1000)));
      const message =
        admission.reason === 'requests'
          ? `Rate limit reached for key '${ctx.keyName}': ${limits.requests} requests per minute. Retry after ${retryAfter} s.`
          : `Too many concurrent requests for key '${ctx.keyName}' (max ${limits.concurrent}).`;
      throw GatewayError.rateLimited(message, { 'Retry-After': retryAfter });
    }

    // The lease is held until the response is over, streamed bodies included; Redis leases are renewed meanwhile.
    const renew = setInterval(() => {
      store.renew(storeKey, leaseId).catch((error: Error) => log.warn({ err: error.message }, 'lease renewal failed'));
    }, LEASE_MS / 3);
    renew.unref();
    res.once('close', () => {
      clearInterval(renew);
      store
        .release(storeKey, leaseId)
        .catch((error: Error) => log.warn({ err: error.message }, 'lease release failed'));
    });
  }
}

/** OpenAI's reset format: `1s`, `6m0s`, `250ms`, `12.5s`. */
export function formatDuration(ms: number): string {
  const value = Math.max(0, Math.round(ms));
  if (value < 1000) return `${value}ms`;
  const minutes = Math.floor(value / 60_000);
  const seconds = Number(((value % 60_000) / 1000).toFixed(3));
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}
