// Every retention number of the gateway, in one place: what is kept and for how long. The composition root hands
// these to the parts that enforce them; the README's Retention table lists the same settings and defaults.
import type { GatewayConfig } from './config.js';

export interface Retention {
  /** Sessions (records and messages) idle this long are removed by the hourly sweep. */
  sessionIdleMs: number;
  /** Stored responses beyond this count are evicted, least recently used first. */
  responsesMaxStored: number;
  /** Stored responses older than this are removed (by the same sweep). */
  responseMaxAgeMs: number;
  /** A finished run's status record. */
  runStatusMs: number;
  /** A finished run's event journal that nobody reads. */
  runJournalMs: number;
  /** A run's Idempotency-Key. */
  runIdempotencyMs: number;
}

const DAY_MS = 24 * 3600 * 1000;
export const RETENTION_DEFAULTS = { sessionIdleDays: 30, responseMaxAgeDays: 30, runIdempotencyHours: 24 };

export function retentionOf(config: GatewayConfig): Retention {
  return {
    sessionIdleMs: (config.sessions?.idleDays ?? RETENTION_DEFAULTS.sessionIdleDays) * DAY_MS,
    responsesMaxStored: config.responses.maxStored,
    responseMaxAgeMs: (config.responses.maxAgeDays ?? RETENTION_DEFAULTS.responseMaxAgeDays) * DAY_MS,
    runStatusMs: config.runs.statusTtlSeconds * 1000,
    runJournalMs: config.runs.journalTtlSeconds * 1000,
    runIdempotencyMs: (config.runs.idempotencyHours ?? RETENTION_DEFAULTS.runIdempotencyHours) * 3600 * 1000,
  };
}
