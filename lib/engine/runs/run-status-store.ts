// Run status records in the store (reference §6.3): what GET /v1/runs/{id} reports, on any instance.
import type { Store } from '../../store/keyv.js';
import { Repository } from '../../store/repository.js';
import { createRunIndex, type RunIndex } from './run-index.js';
import { isTerminal, type RunRecord } from './run-record.js';

/** A run that never settles (a dead instance's) is still reported, then forgotten, after a day. */
const LIVE_RECORD_TTL_MS = 24 * 3600 * 1000;

export class RunStatusStore {
  private readonly records: Repository<RunRecord>;
  private readonly index: RunIndex;

  /** `statusTtlMs`: how long a finished run's status is kept. */
  constructor(
    store: Store,
    private readonly statusTtlMs: number,
  ) {
    this.records = new Repository<RunRecord>(store, 'runs');
    this.index = createRunIndex(store, Math.max(statusTtlMs, LIVE_RECORD_TTL_MS));
  }

  get(runId: string): Promise<RunRecord | undefined> {
    return this.records.get(runId);
  }

  /** Stores a copy: the caller keeps changing its live record. A new (queued) run joins its scope's index. */
  async save(record: RunRecord): Promise<void> {
    const ttl = isTerminal(record.status) ? this.statusTtlMs : LIVE_RECORD_TTL_MS;
    await this.records.set(record.runId, { ...record }, ttl);
    if (record.status === 'queued') await this.index.add(record.scope, record.runId, record.createdAt);
  }

  /** The ids of the scope's newest runs, newest first (their records may have expired since). */
  recent(scope: string, limit: number): Promise<string[]> {
    return this.index.recent(scope, limit);
  }
}
