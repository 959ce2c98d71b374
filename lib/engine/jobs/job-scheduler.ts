// The jobs scheduler: one per gateway instance, every instance scheduling every job of its store. Each tick reads
// the due jobs; an occurrence fires on the instance that claims it (a lease in the store, SET NX on Redis) and
// confirms it started (atomically with moving the job to its next occurrence), so it fires once however many
// instances share the store. A claimer that dies before confirming loses its lease, and the next tick of a live
// instance takes the occurrence over. A firing that finds the concurrency cap full keeps its lease and waits.
import { setMaxListeners } from 'node:events';
import type { Logger } from '../../log.js';
import type { JobFiringOutcome, JobMetrics } from '../../metrics.js';
import { dueAt, type JobRecord, type JobStore, type StoredJob } from '../../store/job-store.js';
import type { Admission } from '../admission.js';
import { isTerminal } from '../runs/run-record.js';
import type { RunRegistry } from '../runs/run-registry.js';
import {
  exhaustJob,
  finishExecution,
  fireJob,
  isFinished,
  isManualFiring,
  type JobClock,
  occurrenceOf,
  type RunOutcomeSummary,
  repeatSpent,
  sequenced,
  skipJob,
} from './job-records.js';
import { jobPrompt, jobRunSubmission } from './job-run.js';
import { latestDue } from './schedule.js';

export interface JobSchedulerOptions {
  store: JobStore;
  runs: Pick<RunRegistry, 'submit' | 'get'>;
  admission: Admission;
  /** This gateway instance (the run registry's): who holds a lease, who started a run. */
  instance: string;
  timeZone: string;
  /** The scheduling clock (epoch ms); leases and waits use real time. */
  now: () => number;
  tickMs: number;
  /** A missed occurrence older than this is skipped, not fired (never less than five ticks). */
  graceMs: number;
  /** How long a claim lives unconfirmed: the bound on a takeover after the claimer died. */
  leaseMs: number;
  maxExecutions: number;
  /** The agent serving a job's model (null: the default agent); throws when none does. */
  resolveAgent(model: string | null): string;
  newRunId(): string;
  logger: Logger;
  metrics?: JobMetrics;
  /** Tests: runs once the lease on an occurrence is taken, before anything else (a crash lands here). */
  afterClaim?(jobId: string, due: number): void | Promise<void>;
}

/** How long a started occurrence keeps its claim key: longer than any stale read of the job record. */
const STARTED_KEEP_MS = 10 * 60_000;
/** How often executions left unfinished by another (or an earlier) instance are looked at. */
const RECONCILE_MS = 5000;
/** A confirmed execution whose run is still unknown after this long was lost with its instance. */
const LOST_AFTER_MS = 60_000;
const RUN_POLL_MS = 200;
const MIN_GRACE_TICKS = 5;
const SLOT_RETRY_MS = [100, 200, 400, 800, 1000];

export class JobScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private lastReconcile = 0;
  private failing = false;
  private ticking: Promise<void> | null = null;
  /** `${job}:${occurrence}` of the occurrences this instance is firing (claimed, maybe waiting for a slot). */
  private readonly firing = new Map<string, AbortController>();
  /** Run ids of executions this instance watches to their end. */
  private readonly watched = new Set<string>();
  private readonly work = new Set<Promise<unknown>>();
  /** Ends the run watchers that are still going when the gateway closes. */
  private readonly halt = new AbortController();

  constructor(private readonly options: JobSchedulerOptions) {
    // Every run watcher waits on it: as many listeners as runs going.
    setMaxListeners(0, this.halt.signal);
  }

  /** Ticks now (missed occurrences: fired inside the grace window, else skipped), then every `tickMs`. */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    const loop = async () => {
      if (!this.running) return;
      this.ticking = this.tick().then(
        () => {
          if (this.failing) this.options.logger.info('jobs ticks work again');
          this.failing = false;
        },
        (error: Error) => {
          // One line when ticks start failing (a store outage), not one per tick.
          if (!this.failing) this.options.logger.warn({ err: error.message }, 'jobs tick failed; retrying every tick');
          this.failing = true;
        },
      );
      await this.ticking;
      this.ticking = null;
      if (this.running) this.timer = setTimeout(loop, this.options.tickMs);
    };
    void loop();
  }

  /** Stops ticking and gives up the occurrences still waiting for a slot (another instance may take them). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    for (const controller of this.firing.values()) controller.abort();
  }

  /**
   * Waits (at most `timeoutMs`) for the firings and the run watchers still going to record their end, then ends
   * those left: the store is about to close.
   */
  async idle(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.work]), timeout]);
    clearTimeout(timer);
    this.halt.abort();
  }

  /** One pass over the due jobs (exposed for tests). */
  async tick(): Promise<void> {
    const now = this.options.now();
    const due = await this.options.store.due(now);
    for (const record of due) {
      const at = dueAt(record.job);
      if (at === null || this.firing.has(`${record.job.id}:${occurrenceOf(record, at)}`)) continue;
      await this.plan(record, at, now).catch((error: Error) =>
        this.options.logger.warn({ err: error.message, job: record.job.id }, 'job not fired'),
      );
    }
    if (Date.now() - this.lastReconcile >= RECONCILE_MS) {
      this.lastReconcile = Date.now();
      await this.reconcile().catch((error: Error) =>
        this.options.logger.warn({ err: error.message }, 'job executions not reconciled'),
      );
    }
  }

  private async plan(record: StoredJob, due: number, now: number): Promise<void> {
    const { store, timeZone } = this.options;
    // An occurrence found a few ticks late was not missed: the window never shrinks below that.
    const graceMs = Math.max(this.options.graceMs, MIN_GRACE_TICKS * this.options.tickMs);
    const id = record.job.id;
    // The record may be newer than the due index it was found through (another instance fired it meanwhile).
    if (due > now) return;
    if (repeatSpent(record)) {
      await store.update(
        id,
        sequenced((current) => exhaustJob(current, due)),
      );
      return;
    }
    const manual = isManualFiring(record.job);
    const at = manual ? due : latestDue(record.job.schedule, due, now, graceMs, timeZone);
    if (at === null) {
      let skipped = false;
      await store.update(
        id,
        sequenced((current) => {
          const next = skipJob(current, due, graceMs, this.clock());
          skipped = next !== null;
          return next;
        }),
      );
      if (skipped) {
        this.count('skipped');
        this.options.logger.info(
          { job: id, due: record.job.next_run_at },
          'job occurrence missed beyond the grace window: skipped',
        );
      }
      return;
    }
    const occurrence = occurrenceOf(record, due);
    const claim = await store.claim(id, occurrence, this.options.instance, this.options.leaseMs);
    if (claim !== 'claimed') return; // held by a live claimer, or fired already
    const controller = new AbortController();
    const key = `${id}:${occurrence}`;
    this.firing.set(key, controller);
    this.track(
      this.fire(record, occurrence, due, at, controller.signal)
        .catch((error: Error) => this.options.logger.error({ err: error.message, job: id }, 'job firing failed'))
        .finally(() => this.firing.delete(key)),
    );
  }

  /** Holds the lease while it waits for a slot, then confirms the occurrence and starts its run. */
  private async fire(
    record: StoredJob,
    occurrence: string,
    due: number,
    at: number,
    signal: AbortSignal,
  ): Promise<void> {
    const { store, instance, leaseMs, logger } = this.options;
    const id = record.job.id;
    await this.options.afterClaim?.(id, due);
    const lost = new AbortController();
    const renewal = setInterval(
      () => {
        store.renew(id, occurrence, instance, leaseMs).then(
          (held) => held || lost.abort(),
          () => undefined, // a store hiccup: the next renewal tries again, the lease outlives a few misses
        );
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    let admitted: (() => void) | null = null;
    try {
      let agentId: string | null = null;
      let refusal: string | null = null;
      try {
        agentId = this.options.resolveAgent(record.job.model);
      } catch (error) {
        refusal = (error as Error).message;
      }
      if (agentId !== null) admitted = await this.slot(AbortSignal.any([signal, lost.signal]));
      if (signal.aborted || lost.signal.aborted) {
        await store.release(id, occurrence, instance).catch(() => undefined); // it expires anyway
        return;
      }
      const runId = this.options.newRunId();
      // The job as it was when the occurrence fired: its prompt, and a manual run's extra prompt (cleared by it).
      const fired: { job: JobRecord | null } = { job: null };
      const firing = { due, at, runId, instance, confirmedAt: Date.now() };
      const confirmed = await store.confirm(
        id,
        occurrence,
        instance,
        STARTED_KEEP_MS,
        sequenced((current) => {
          // Another occurrence since it was read (run-now, a reschedule): this one no longer fires.
          if (occurrenceOf(current, due) !== occurrence) return null;
          const next = fireJob(current, firing, this.clock(), this.options.maxExecutions);
          fired.job = next ? current.job : null;
          return next;
        }),
      );
      clearInterval(renewal);
      const { job } = fired;
      if (confirmed.outcome !== 'confirmed' || !job) {
        if (confirmed.outcome === 'lost') logger.warn({ job: id }, 'job lease lost before the run started');
        return;
      }
      const slot = admitted;
      admitted = null; // the run owns the slot from here on
      if (agentId === null || slot === null) {
        this.count('failed');
        await this.finish(confirmed.record, runId, { status: 'failed', output: null, error: refusal });
        return;
      }
      try {
        await this.options.runs.submit(
          jobRunSubmission({
            runId,
            scope: record.scope,
            agentId,
            model: job.model ?? agentId,
            text: jobPrompt(job),
            admitted: slot,
          }),
        );
      } catch (error) {
        slot(); // the registry frees it too when it fails inside; freeing twice is harmless
        this.count('failed');
        await this.finish(confirmed.record, runId, {
          status: 'failed',
          output: null,
          error: `The run could not start: ${(error as Error).message}`,
        });
        return;
      }
      this.count('started');
      logger.info({ job: id, runId, occurrence: new Date(at).toISOString() }, 'job fired');
      await this.watch(confirmed.record, runId);
    } finally {
      clearInterval(renewal);
      admitted?.();
    }
  }

  /** An admission slot, waited for while the cap is full (a due firing is never dropped for it). */
  private async slot(signal: AbortSignal): Promise<(() => void) | null> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        return await this.options.admission.acquire();
      } catch {
        // 429 (the cap is full) or 503 (a shared count out of reach): wait and ask again
      }
      await sleep(SLOT_RETRY_MS[Math.min(attempt, SLOT_RETRY_MS.length - 1)], signal);
    }
    return null;
  }

  /** Follows the run to its end, then records it on the job. */
  private async watch(record: StoredJob, runId: string): Promise<void> {
    this.watched.add(runId);
    try {
      while (!this.halt.signal.aborted) {
        const run = await this.options.runs.get(runId, record.scope).catch(() => undefined);
        if (run && isTerminal(run.status)) {
          await this.finish(record, runId, { status: run.status, output: run.output, error: run.error });
          return;
        }
        await sleep(RUN_POLL_MS, this.halt.signal);
      }
      // Left unfinished: the next instance to reconcile settles it from the run's record.
    } finally {
      this.watched.delete(runId);
    }
  }

  /**
   * Executions no instance watches any more (theirs died, or this one restarted): settled from their run's record,
   * or as lost when the run never appeared.
   */
  private async reconcile(): Promise<void> {
    for (const record of await this.options.store.list()) {
      for (const execution of record.executions) {
        if (isFinished(execution.status) || this.watched.has(execution.run_id)) continue;
        const run = await this.options.runs.get(execution.run_id, record.scope);
        if (run && isTerminal(run.status)) {
          await this.finish(record, execution.run_id, { status: run.status, output: run.output, error: run.error });
        } else if (!run && Date.now() - execution.confirmedAt > LOST_AFTER_MS) {
          await this.finish(record, execution.run_id, {
            status: 'interrupted',
            output: null,
            error: 'The gateway instance that fired this job stopped before its run started.',
          });
        }
      }
    }
  }

  private async finish(record: StoredJob, runId: string, outcome: RunOutcomeSummary): Promise<void> {
    await this.options.store.update(
      record.job.id,
      sequenced((current) => finishExecution(current, runId, outcome, this.clock())),
    );
  }

  private clock(): JobClock {
    return { now: this.options.now(), timeZone: this.options.timeZone };
  }

  private count(outcome: JobFiringOutcome): void {
    this.options.metrics?.jobFired(outcome);
  }

  private track(promise: Promise<unknown>): void {
    this.work.add(promise);
    void promise.finally(() => this.work.delete(promise));
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
