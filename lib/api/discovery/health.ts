// GET /health, /v1/health (public liveness) and GET /health/detailed (authenticated readiness).
import { access, statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { components } from '../../generated/openapi.gen.js';
import type { OperationHandler } from '../../http/operation.js';
import { VERSION } from '../../version.js';
import type { Services } from '../services.js';

type HealthDetailed = components['schemas']['HealthDetailed'];
type Checks = HealthDetailed['readiness']['checks'];

export const getHealth: OperationHandler = (): components['schemas']['Health'] => ({
  status: 'ok',
  platform: 'agent-gateway',
  version: VERSION,
});

export function getHealthDetailed(services: Services): OperationHandler {
  return async (): Promise<HealthDetailed> => {
    const [store, disk] = await Promise.all([storeCheck(services), diskCheck(services)]);
    const agents = services.agents.list().map((agent) => agent.health());
    const agentsCheck: Checks['agents'] = {
      status: agents.every((a) => a.status === 'up')
        ? 'ok'
        : agents.some((a) => a.status === 'up')
          ? 'degraded'
          : 'down',
      agents: agents.map((a) => ({
        id: a.id,
        status: a.status,
        processes: a.processes,
        ready: a.ready,
        restarts: a.restarts,
        last_error: a.lastError,
      })),
    };
    if (agents.length === 0) agentsCheck.status = 'ok';
    const runs: Checks['runs'] = {
      status: 'ok',
      active_runs: services.admission.active(),
      max_concurrent_runs: services.config.maxConcurrentRuns,
    };
    const checks = { store, agents: agentsCheck, ...(disk ? { disk } : {}), runs };
    const status = Object.values(checks).every((c) => c.status === 'ok') ? 'ok' : 'degraded';
    // A degraded gateway still answers 200: this is a report, not a liveness probe.
    return {
      status,
      platform: 'agent-gateway',
      version: VERSION,
      readiness: { status, checks },
      uptime_seconds: Math.round((Date.now() - services.startedAt) / 1000),
      pid: process.pid,
      draining: services.isDraining(),
    };
  };
}

async function storeCheck(services: Services): Promise<Checks['store']> {
  try {
    const latency = await Promise.race([
      services.store.ping(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 2000 ms')), 2000).unref()),
    ]);
    return { status: 'ok', backend: services.store.backend, latency_ms: Math.round(latency * 100) / 100 };
  } catch (error) {
    return { status: 'down', backend: services.store.backend, error: (error as Error).message };
  }
}

/**
 * The disk the gateway writes to, checked only where the configuration writes: the SQLite file's folder, or the
 * data directory when something was written there (a generated key). A Redis or memory store with configured
 * keys writes nothing to disk: no check.
 */
async function diskCheck(services: Services): Promise<Checks['disk'] | null> {
  const target =
    services.store.backend === 'sqlite'
      ? dirname(services.store.location)
      : (await exists(services.config.dataDir))
        ? services.config.dataDir
        : null;
  if (target === null) return null;
  try {
    const s = await statfs(await nearestExisting(target));
    const free = s.bavail * s.bsize;
    const usedPercent = s.blocks > 0 ? Math.round((1 - s.bavail / s.blocks) * 1000) / 10 : 0;
    // Under 100 MB free, SQLite writes and logs start failing.
    return { status: free < 100 * 1024 * 1024 ? 'degraded' : 'ok', free_bytes: free, used_percent: usedPercent };
  } catch (error) {
    return { status: 'degraded', free_bytes: 0, used_percent: 0, error: (error as Error).message };
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function nearestExisting(dir: string): Promise<string> {
  let at = resolve(dir);
  for (;;) {
    try {
      await access(at);
      return at;
    } catch {
      const up = dirname(at);
      if (up === at) return at;
      at = up;
    }
  }
}
