// Built-in defaults: what the gateway runs with when nothing is configured.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { GatewayConfig } from './config.js';

export const DEFAULT_DATA_DIR = join(homedir(), '.agent-gateway');

export function defaultConfig(): Omit<GatewayConfig, 'store' | 'dataDir'> {
  return {
    host: '127.0.0.1',
    port: 8642,
    keys: [],
    corsOrigins: [],
    maxConcurrentRuns: 10,
    bodyLimitBytes: 10_000_000,
    logLevel: 'info',
    agents: [],
    upstreams: [],
    routes: [],
    approvals: { policy: 'deny', timeoutSeconds: 240 },
    chat: { showReasoning: true, toolProgressEvents: true, keepaliveSeconds: 10 },
    responses: { maxStored: 1000 },
    liveSessions: { max: 256, idleSeconds: 1800 },
    metrics: { public: false },
    runs: { statusTtlSeconds: 3600, journalTtlSeconds: 300, journalMaxEvents: 1000, stopTimeoutSeconds: 10 },
    jobs: { timezone: 'UTC', graceWindowSeconds: 600, tickSeconds: 1, claimLeaseSeconds: 15, maxExecutions: 20 },
  };
}
