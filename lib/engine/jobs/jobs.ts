// The Jobs API's engine side (reference §7): a key's jobs, read and changed through the job store, and their
// executions with the live status of the runs still going. Another key's job is not found, never forbidden.
import { randomBytes } from 'node:crypto';
import { GatewayError } from '../../errors.js';
import type { JobExecution, JobSchedule, JobStore, StoredExecution, StoredJob } from '../../store/job-store.js';
import type { RunRegistry } from '../runs/run-registry.js';
import type { RunRecord } from '../runs/run-record.js';
import {
  isFinished,
  type JobClock,
  type JobPatch,
  type NewJob,
  newJobRecord,
  PREVIEW_CHARS,
  patchJob,
  pauseJob,
  resumeJob,
  sequenced,
  triggerJob,
} from './job-records.js';
import { parseSchedule } from './schedule.js';

export interface JobsOptions {
  store: JobStore;
  /** Where the status of an execution's run is read while it goes. */
  runs: Pick<RunRegistry, 'get'>;
  timeZone: string;
  now: () => number;
}

export class Jobs {
  constructor(private readonly options: JobsOptions) {}

  clock(): JobClock {
    return { now: this.options.now(), timeZone: this.options.timeZone };
  }

  /** Parses a schedule on the jobs clock and time zone (400 invalid_schedule when it cannot). */
  schedule(text: string): JobSchedule {
    return parseSchedule(text, this.clock());
  }

  /** The key's jobs in creation order; disabled ones (paused, completed) only when asked. */
  async list(scope: string, includeDisabled: boolean): Promise<StoredJob[]> {
    const jobs = (await this.options.store.list()).filter(
      (record) => record.scope === scope && (includeDisabled || record.job.enabled),
    );
    return jobs.sort(
      (a, b) =>
        Date.parse(a.job.created_at) - Date.parse(b.job.created_at) || (a.order ?? 0) - (b.order ?? 0) || compare(a, b),
    );
  }

  async get(scope: string, id: string): Promise<StoredJob> {
    const record = await this.options.store.get(id);
    if (!record || record.scope !== scope) throw GatewayError.jobNotFound();
    return record;
  }

  async create(scope: string, input: NewJob): Promise<StoredJob> {
    for (;;) {
      // reference §0.2: 12 hex characters; a taken id (48 random bits) is drawn again.
      const record = {
        ...newJobRecord(randomBytes(6).toString('hex'), scope, input, this.clock()),
        order: creationOrder(),
      };
      if (await this.options.store.create(record)) return { ...record, rev: 1 };
    }
  }

  update(scope: string, id: string, patch: JobPatch): Promise<StoredJob> {
    return this.change(scope, id, (record) => patchJob(record, patch, this.clock()));
  }

  async delete(scope: string, id: string): Promise<void> {
    await this.get(scope, id);
    if (!(await this.options.store.delete(id))) throw GatewayError.jobNotFound();
  }

  pause(scope: string, id: string, reason: string | null): Promise<StoredJob> {
    return this.change(scope, id, (record) => pauseJob(record, reason, this.clock()));
  }

  resume(scope: string, id: string): Promise<StoredJob> {
    return this.change(scope, id, (record) => resumeJob(record, this.clock()));
  }

  trigger(scope: string, id: string, extraPrompt: string | null): Promise<StoredJob> {
    return this.change(scope, id, (record) => triggerJob(record, extraPrompt, this.clock()));
  }

  /** Newest first; an execution whose run still goes shows the run's status now. */
  async executions(scope: string, id: string): Promise<JobExecution[]> {
    const record = await this.get(scope, id);
    return Promise.all(record.executions.map((execution) => this.live(execution, scope)));
  }

  /** The newest execution (list view), live as above. */
  async latest(record: StoredJob): Promise<JobExecution | null> {
    const newest = record.executions[0];
    return newest ? this.live(newest, record.scope) : null;
  }

  private async live(execution: StoredExecution, scope: string): Promise<JobExecution> {
    const { instance: _instance, confirmedAt: _confirmedAt, ...wire } = execution;
    if (isFinished(execution.status)) return wire;
    const run = await this.options.runs.get(execution.run_id, scope).catch(() => undefined);
    return run ? { ...wire, ...runProgress(run) } : wire;
  }

  private async change(scope: string, id: string, apply: (record: StoredJob) => StoredJob): Promise<StoredJob> {
    const updated = await this.options.store.update(
      id,
      sequenced((record) => {
        if (record.scope !== scope) throw GatewayError.jobNotFound();
        return apply(record);
      }),
    );
    if (!updated) throw GatewayError.jobNotFound();
    return updated;
  }
}

/** What an execution shows of a run that is still recorded as going. */
export function runProgress(run: RunRecord): Pick<JobExecution, 'status' | 'output_preview' | 'error'> {
  const preview = run.output ? run.output.slice(0, PREVIEW_CHARS) : null;
  switch (run.status) {
    case 'queued':
      return { status: 'queued', output_preview: preview, error: null };
    case 'running':
    case 'waiting_for_approval':
    case 'stopping':
      return { status: 'running', output_preview: preview, error: null };
    default:
      return { status: run.status, output_preview: preview, error: run.error };
  }
}

let created = 0;
/** Epoch ms, with the jobs this process created within the same millisecond in the fraction. */
const creationOrder = () => Date.now() + (created++ % 1000) / 1000;

const compare = (a: StoredJob, b: StoredJob) => (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0);
