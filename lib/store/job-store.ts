// Scheduled jobs (reference §7) and the claims that make each firing happen once. One interface, two
// implementations: Redis (Lua scripts: atomic across gateway instances) and Keyv (memory, SQLite: one process owns
// the data, so an in-process queue serializes writes and claims live in memory).
import type { Store } from './keyv.js';
import { Repository } from './repository.js';
import { dueAt, RedisJobStore } from './job-store-redis.js';

export { dueAt };

/** A parsed schedule, stored as `{kind, …, display}` (reference §7). */
export type JobSchedule =
  | { kind: 'interval'; minutes: number; display: string }
  | { kind: 'once'; run_at: string; display: string }
  | { kind: 'cron'; expr: string; display: string };

export type JobState = 'scheduled' | 'paused' | 'completed' | 'error';
export type ExecutionStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

/** The job record of reference §7, in its field order, as GET returns it (the list adds `latest_execution`). */
export interface JobRecord {
  id: string;
  name: string;
  prompt: string;
  skills: string[];
  skill: string | null;
  model: string | null;
  schedule: JobSchedule;
  schedule_display: string;
  repeat: { times: number | null; completed: number };
  enabled: boolean;
  state: JobState;
  paused_at: string | null;
  paused_reason: string | null;
  created_at: string;
  next_run_at: string | null;
  last_run_at: string | null;
  last_status: 'ok' | 'error' | null;
  last_error: string | null;
  failure_streak: number;
  deliver: string;
  origin: Record<string, unknown> | null;
  /** Set by POST /api/jobs/{id}/run until the requested run fires. */
  manual_run_at?: string;
  manual_run_prompt?: string | null;
}

/** One firing of a job: the run it started and how that ended. */
export interface JobExecution {
  run_id: string;
  /** The occurrence that fired (ISO), or the time a manual run was asked for. */
  fired_at: string;
  /** When its run was submitted (ISO). */
  started_at: string;
  finished_at: string | null;
  trigger: 'schedule' | 'manual';
  status: ExecutionStatus;
  /** The first characters of the run's output (the whole output is GET /v1/runs/{run_id} while it is kept). */
  output_preview: string | null;
  error: string | null;
}

export interface StoredExecution extends JobExecution {
  /** The gateway instance that started the run. */
  instance: string;
  /** Epoch ms (real clock) the firing was confirmed: how long a run may take to appear before it counts as lost. */
  confirmedAt: number;
}

export interface StoredJob {
  job: JobRecord;
  /** The API key scope that owns the job: any other key gets 404. */
  scope: string;
  /** Bumped by the store on every write: updates are compare-and-set on it. */
  rev: number;
  /**
   * Bumped whenever the job's next occurrence moves (fired, skipped, rescheduled, run-now): with `next_run_at` it
   * names the occurrence a claim is for, so a run-now at the instant of a fired occurrence is a new one.
   */
  seq: number;
  /** Creation order (real clock, epoch ms with a per-process sequence below the ms): the list keeps it. */
  order?: number;
  /** Newest first. */
  executions: StoredExecution[];
}

/** What a claim attempt on one (job, occurrence) found. */
export type ClaimOutcome =
  /** The caller holds the lease now (new, or its own renewed). */
  | 'claimed'
  /** Another instance holds an unconfirmed, unexpired lease. */
  | 'held'
  /** The occurrence was confirmed started already. */
  | 'started';

export type ConfirmOutcome =
  | { outcome: 'confirmed'; record: StoredJob }
  /** The lease expired and someone else may own the occurrence: do not start it. */
  | { outcome: 'lost' }
  /** The job was deleted. */
  | { outcome: 'gone' }
  /** The change declined (the job no longer fires this occurrence: paused, rescheduled, …); the lease is released. */
  | { outcome: 'declined'; record: StoredJob };

/** A change of a stored job: the new record, or null to leave it as it is. May throw to refuse. */
export type JobChange = (current: StoredJob) => StoredJob | null;

export interface JobStore {
  /** Stores a new job; false when its id is taken. */
  create(record: StoredJob): Promise<boolean>;
  get(id: string): Promise<StoredJob | undefined>;
  /** Every job of every scope. */
  list(): Promise<StoredJob[]>;
  /** Enabled jobs whose `next_run_at` is at or before `now` (epoch ms). */
  due(now: number): Promise<StoredJob[]>;
  /** Applies `change` atomically (compare-and-set, retried on a concurrent write); undefined when the job is gone. */
  update(id: string, change: JobChange): Promise<StoredJob | undefined>;
  delete(id: string): Promise<boolean>;
  /** Takes (or renews) the lease on one occurrence of a job (named by its due time and `seq`), for `leaseMs`. */
  claim(id: string, occurrence: string, owner: string, leaseMs: number): Promise<ClaimOutcome>;
  /** Extends the caller's unconfirmed lease; false when it is no longer the caller's. */
  renew(id: string, occurrence: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Gives an unconfirmed lease up, so another instance may take the occurrence at once. */
  release(id: string, occurrence: string, owner: string): Promise<void>;
  /**
   * Marks the occurrence started (kept `keepMs`) and applies `change` to the job in one atomic step, only while the
   * caller still holds the lease: exactly one instance ever starts an occurrence.
   */
  confirm(id: string, occurrence: string, owner: string, keepMs: number, change: JobChange): Promise<ConfirmOutcome>;
}

export interface JobStoreOptions {
  /** Redis key prefix (one hash tag); tests give each spec its own. */
  redisPrefix?: string;
}

export function createJobStore(store: Store, { redisPrefix = 'agw:jobs' }: JobStoreOptions = {}): JobStore {
  if (store.redis) return new RedisJobStore(store.redis, redisPrefix);
  return new KeyvJobStore(store);
}

const claimKey = (id: string, occurrence: string) => `${id}:${occurrence}`;

/**
 * Memory and SQLite: the gateway process owns the data, so the records are cached after the first read, every
 * write goes through one queue, and claims are in-process.
 */
export class KeyvJobStore implements JobStore {
  private readonly records: Repository<StoredJob>;
  private readonly index: Repository<string[]>;
  private cache: Promise<Map<string, StoredJob>> | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly claims = new Map<string, { owner: string; started: boolean; expires: number }>();

  constructor(store: Store) {
    this.records = new Repository<StoredJob>(store, 'jobs');
    this.index = new Repository<string[]>(store, 'jobs_index');
  }

  async create(record: StoredJob): Promise<boolean> {
    return this.serialized(async (jobs) => {
      if (jobs.has(record.job.id)) return false;
      const stored = { ...structuredClone(record), rev: 1 };
      await this.records.set(record.job.id, stored);
      await this.index.set('ids', [...jobs.keys(), record.job.id]);
      jobs.set(record.job.id, stored);
      return true;
    });
  }

  async get(id: string): Promise<StoredJob | undefined> {
    const record = (await this.load()).get(id);
    return record && structuredClone(record);
  }

  async list(): Promise<StoredJob[]> {
    return [...(await this.load()).values()].map((record) => structuredClone(record));
  }

  async due(now: number): Promise<StoredJob[]> {
    const due: StoredJob[] = [];
    for (const record of (await this.load()).values()) {
      const at = dueAt(record.job);
      if (at !== null && at <= now) due.push(structuredClone(record));
    }
    return due;
  }

  update(id: string, change: JobChange): Promise<StoredJob | undefined> {
    return this.serialized(async (jobs) => {
      const current = jobs.get(id);
      if (!current) return undefined;
      return this.write(jobs, current, change);
    });
  }

  delete(id: string): Promise<boolean> {
    return this.serialized(async (jobs) => {
      if (!jobs.has(id)) return false;
      jobs.delete(id);
      await this.index.set('ids', [...jobs.keys()]);
      await this.records.delete(id);
      return true;
    });
  }

  async claim(id: string, occurrence: string, owner: string, leaseMs: number): Promise<ClaimOutcome> {
    const claim = this.liveClaim(id, occurrence);
    if (claim?.started) return 'started';
    if (claim && claim.owner !== owner) return 'held';
    this.claims.set(claimKey(id, occurrence), { owner, started: false, expires: Date.now() + leaseMs });
    return 'claimed';
  }

  async renew(id: string, occurrence: string, owner: string, leaseMs: number): Promise<boolean> {
    const claim = this.liveClaim(id, occurrence);
    if (!claim || claim.started || claim.owner !== owner) return false;
    claim.expires = Date.now() + leaseMs;
    return true;
  }

  async release(id: string, occurrence: string, owner: string): Promise<void> {
    const claim = this.liveClaim(id, occurrence);
    if (claim && !claim.started && claim.owner === owner) this.claims.delete(claimKey(id, occurrence));
  }

  confirm(id: string, occurrence: string, owner: string, keepMs: number, change: JobChange): Promise<ConfirmOutcome> {
    return this.serialized(async (jobs): Promise<ConfirmOutcome> => {
      const claim = this.liveClaim(id, occurrence);
      if (!claim || claim.started || claim.owner !== owner) return { outcome: 'lost' };
      const current = jobs.get(id);
      if (!current) {
        this.claims.delete(claimKey(id, occurrence));
        return { outcome: 'gone' };
      }
      const next = change(structuredClone(current));
      if (!next) {
        this.claims.delete(claimKey(id, occurrence));
        return { outcome: 'declined', record: structuredClone(current) };
      }
      const record = await this.write(jobs, current, () => next);
      claim.started = true;
      claim.expires = Date.now() + keepMs;
      return { outcome: 'confirmed', record };
    });
  }

  private liveClaim(id: string, occurrence: string) {
    const now = Date.now();
    for (const [key, claim] of this.claims) if (claim.expires <= now) this.claims.delete(key);
    return this.claims.get(claimKey(id, occurrence));
  }

  /** Writes `change(current)` (under the queue); returns a copy of what is stored. */
  private async write(jobs: Map<string, StoredJob>, current: StoredJob, change: JobChange): Promise<StoredJob> {
    const next = change(structuredClone(current));
    if (!next) return structuredClone(current);
    const stored = { ...next, rev: current.rev + 1 };
    await this.records.set(current.job.id, stored);
    jobs.set(current.job.id, stored);
    return structuredClone(stored);
  }

  private load(): Promise<Map<string, StoredJob>> {
    this.cache ??= (async () => {
      const ids = (await this.index.get('ids')) ?? [];
      const jobs = new Map<string, StoredJob>();
      for (const id of ids) {
        const record = await this.records.get(id);
        if (record) jobs.set(id, record);
      }
      return jobs;
    })();
    // A failed first read (store down) is retried by the next caller.
    this.cache.catch(() => {
      this.cache = null;
    });
    return this.cache;
  }

  /** Runs `work` after every earlier write, with the loaded records. */
  private serialized<R>(work: (jobs: Map<string, StoredJob>) => Promise<R>): Promise<R> {
    const result = this.tail.then(async () => work(await this.load()));
    this.tail = result.catch(() => undefined);
    return result;
  }
}
