// How a job record changes (reference §7): creation, PATCH, pause, resume, run-now, and the scheduler's firing,
// skipping and finishing. Pure functions of the stored job, the clock and the time zone; the store applies them
// atomically.
import { GatewayError } from '../../errors.js';
import type {
  ExecutionStatus,
  JobChange,
  JobRecord,
  JobSchedule,
  StoredExecution,
  StoredJob,
} from '../../store/job-store.js';
import { firstRun, nextAfter, ONE_SHOT_GRACE_MS } from './schedule.js';
import { isoInZone } from './time-zone.js';

export interface JobClock {
  /** Epoch ms. */
  now: number;
  timeZone: string;
}

export interface NewJob {
  name: string;
  prompt: string;
  schedule: JobSchedule;
  skills: string[];
  model: string | null;
  /** Positive, or null: forever (a one-shot then means 1). */
  repeat: number | null;
  deliver: string;
  paused: boolean;
  pausedReason: string | null;
  origin: Record<string, unknown> | null;
}

/** PATCH fields, already validated (reference §7: name, schedule, prompt, deliver, skills, repeat, enabled). */
export interface JobPatch {
  name?: string;
  schedule?: JobSchedule;
  prompt?: string;
  deliver?: string;
  skills?: string[];
  repeat?: number | null;
  enabled?: boolean;
}

export interface RunOutcomeSummary {
  status: ExecutionStatus;
  output: string | null;
  error: string | null;
}

const TERMINAL_EXECUTIONS: ReadonlySet<ExecutionStatus> = new Set(['completed', 'failed', 'cancelled', 'interrupted']);
export const isFinished = (status: ExecutionStatus) => TERMINAL_EXECUTIONS.has(status);
export const isTerminalJob = (job: JobRecord) => job.state === 'completed' || job.state === 'error';

export const PREVIEW_CHARS = 500;

const EMPTY_PAYLOAD =
  'Cron job has nothing to run: the prompt is blank and no skill(s) are set. Provide a prompt or at least one skill.';

export function newJobRecord(id: string, scope: string, input: NewJob, clock: JobClock): StoredJob {
  if (!input.prompt.trim() && input.skills.length === 0) throw GatewayError.invalid(EMPTY_PAYLOAD, 'prompt');
  if (input.pausedReason !== null && !input.paused) {
    throw GatewayError.invalid('paused_reason requires paused=True.', 'paused_reason');
  }
  const next = scheduledFirstRun(input.schedule, clock);
  const now = isoInZone(clock.now, clock.timeZone);
  const job: JobRecord = {
    id,
    name: input.name,
    prompt: input.prompt.trim(),
    skills: input.skills,
    skill: input.skills[0] ?? null,
    model: input.model,
    schedule: input.schedule,
    schedule_display: input.schedule.display,
    repeat: { times: input.repeat ?? (input.schedule.kind === 'once' ? 1 : null), completed: 0 },
    enabled: !input.paused,
    state: input.paused ? 'paused' : 'scheduled',
    paused_at: input.paused ? now : null,
    paused_reason: input.paused ? input.pausedReason?.trim() || 'Created paused; awaiting operator approval.' : null,
    created_at: now,
    next_run_at: input.paused ? null : iso(next, clock),
    last_run_at: null,
    last_status: null,
    last_error: null,
    failure_streak: 0,
    deliver: input.deliver,
    origin: input.origin,
  };
  return { job, scope, rev: 0, seq: 0, executions: [] };
}

export function patchJob(stored: StoredJob, patch: JobPatch, clock: JobClock): StoredJob {
  const job = { ...stored.job };
  const activates = patch.schedule !== undefined || patch.enabled === true;
  if (isTerminalJob(job) && activates) {
    throw GatewayError.jobTerminal(`Cannot activate terminal job '${job.name}' through an update; resume it instead.`);
  }
  if (patch.name !== undefined) job.name = patch.name;
  if (patch.prompt !== undefined) job.prompt = patch.prompt.trim();
  if (patch.deliver !== undefined) job.deliver = patch.deliver;
  if (patch.skills !== undefined) {
    job.skills = patch.skills;
    job.skill = patch.skills[0] ?? null;
  }
  if ((patch.prompt !== undefined || patch.skills !== undefined) && !job.prompt && job.skills.length === 0) {
    throw GatewayError.invalid(EMPTY_PAYLOAD, 'prompt');
  }
  if (patch.repeat !== undefined) job.repeat = { times: patch.repeat, completed: job.repeat.completed };
  if (patch.schedule !== undefined) {
    const previous = job.schedule.kind;
    job.schedule = patch.schedule;
    job.schedule_display = patch.schedule.display;
    // The repeat default follows the kind (once -> 1, recurring -> forever) unless this update sets it; a new
    // one-shot is a new occurrence, so its count starts again.
    if (patch.repeat === undefined && previous !== patch.schedule.kind) {
      if (patch.schedule.kind === 'once' && job.repeat.times === null) job.repeat = { ...job.repeat, times: 1 };
      else if (previous === 'once' && job.repeat.times === 1) job.repeat = { ...job.repeat, times: null };
    }
    if (patch.schedule.kind === 'once') job.repeat = { ...job.repeat, completed: 0 };
    if (job.state !== 'paused') job.next_run_at = iso(scheduledFirstRun(patch.schedule, clock), clock);
  }
  const result = { ...stored, job };
  if (patch.enabled === false) return pauseJob(result, null, clock);
  if (patch.enabled === true && !job.enabled) return resumeJob(result, clock);
  return result;
}

export function pauseJob(stored: StoredJob, reason: string | null, clock: JobClock): StoredJob {
  return {
    ...stored,
    job: {
      ...stored.job,
      enabled: false,
      state: 'paused',
      paused_at: iso(clock.now, clock),
      paused_reason: reason,
    },
  };
}

/** reference §7: scheduled again from now on; a one-shot whose time has passed cannot be. */
export function resumeJob(stored: StoredJob, clock: JobClock): StoredJob {
  const { job } = stored;
  const next = firstRun(job.schedule, clock.now, clock.timeZone);
  if (next === null) {
    const at = job.schedule.kind === 'once' ? job.schedule.run_at : 'unknown';
    throw GatewayError.jobTerminal(
      `Cannot resume: one-shot time ${at} is in the past (grace window: ${ONE_SHOT_GRACE_MS / 1000}s) and will never fire.`,
    );
  }
  return {
    ...stored,
    job: {
      ...job,
      enabled: true,
      state: 'scheduled',
      paused_at: null,
      paused_reason: null,
      next_run_at: iso(next, clock),
    },
  };
}

/** reference §7 run-now: due at once (the next scheduler tick), with the extra prompt for that one run. */
export function triggerJob(stored: StoredJob, extraPrompt: string | null, clock: JobClock): StoredJob {
  const { job } = stored;
  if (isTerminalJob(job)) throw GatewayError.jobTerminal(`Cannot run: job '${job.name}' is ${job.state} (terminal).`);
  const now = iso(clock.now, clock);
  return {
    ...stored,
    job: {
      ...job,
      enabled: true,
      state: 'scheduled',
      paused_at: null,
      paused_reason: null,
      next_run_at: now,
      manual_run_at: now,
      manual_run_prompt: extraPrompt || null,
    },
  };
}

/**
 * A change of the job, with its occurrence sequence bumped when the change moves the next occurrence: every write
 * goes through this, so `occurrenceOf` names one occurrence and never two.
 */
export function sequenced(change: (current: StoredJob) => StoredJob | null): JobChange {
  return (current) => {
    const next = change(current);
    if (!next) return null;
    const moved =
      next.job.next_run_at !== current.job.next_run_at || next.job.manual_run_at !== current.job.manual_run_at;
    return moved ? { ...next, seq: (current.seq ?? 0) + 1 } : next;
  };
}

/** What a claim is for: the due time and the sequence it was scheduled under. */
export const occurrenceOf = (stored: StoredJob, due: number) => `${due}#${stored.seq ?? 0}`;

/** Whether the due firing was asked for by run-now (it fires whatever its lateness). */
export const isManualFiring = (job: JobRecord) => !!job.manual_run_at && job.manual_run_at === job.next_run_at;

/** Firings started and not finished yet. */
export const inFlight = (stored: StoredJob) => stored.executions.filter((e) => !isFinished(e.status)).length;

/** The repeat budget is spent by what finished and what is running. */
export function repeatSpent(stored: StoredJob): boolean {
  const { times, completed } = stored.job.repeat;
  return times !== null && completed + inFlight(stored) >= times;
}

export interface Firing {
  /** The due time read when the firing was planned (the record's `next_run_at`). */
  due: number;
  /** The occurrence that fires (the latest one inside the grace window; `due` for run-now). */
  at: number;
  runId: string;
  instance: string;
  /** The real clock (epoch ms) at confirmation. */
  confirmedAt: number;
}

/**
 * The job with the firing recorded and its next occurrence scheduled, or null when it no longer fires this
 * occurrence (paused, deleted, rescheduled or already fired since it was read).
 */
export function fireJob(stored: StoredJob, firing: Firing, clock: JobClock, maxExecutions: number): StoredJob | null {
  const { job } = stored;
  if (!job.enabled || !job.next_run_at || Date.parse(job.next_run_at) !== firing.due || repeatSpent(stored)) {
    return null;
  }
  const manual = isManualFiring(job);
  const { times, completed } = job.repeat;
  const last = times !== null && completed + inFlight(stored) + 1 >= times;
  const next = last ? null : nextAfter(job.schedule, firing.at, clock.now, clock.timeZone);
  const { manual_run_at: _at, manual_run_prompt: _prompt, ...rest } = job;
  const execution: StoredExecution = {
    run_id: firing.runId,
    fired_at: iso(firing.at, clock),
    started_at: iso(clock.now, clock),
    finished_at: null,
    trigger: manual ? 'manual' : 'schedule',
    status: 'queued',
    output_preview: null,
    error: null,
    instance: firing.instance,
    confirmedAt: firing.confirmedAt,
  };
  return {
    ...stored,
    job: { ...rest, next_run_at: next === null ? null : iso(next, clock) },
    executions: trimmed([execution, ...stored.executions], maxExecutions),
  };
}

/**
 * A due job none of whose occurrences is inside the grace window: on to its next occurrence without firing (a
 * one-shot has none: it ends in `error`). Null when the record moved on since it was read.
 */
export function skipJob(stored: StoredJob, due: number, graceMs: number, clock: JobClock): StoredJob | null {
  const { job } = stored;
  if (!job.enabled || !job.next_run_at || Date.parse(job.next_run_at) !== due) return null;
  const next = nextAfter(job.schedule, due, clock.now, clock.timeZone);
  if (next !== null) return { ...stored, job: { ...job, next_run_at: iso(next, clock) } };
  return {
    ...stored,
    job: {
      ...job,
      enabled: false,
      state: 'error',
      next_run_at: null,
      last_status: 'error',
      last_error: `Missed: no gateway instance was running at ${job.next_run_at}, and the ${graceMs / 1000} s grace window has passed.`,
    },
  };
}

/** A due job whose repeat budget is spent: it fires no more, and completes once nothing of it runs. */
export function exhaustJob(stored: StoredJob, due: number): StoredJob | null {
  const { job } = stored;
  if (!job.next_run_at || Date.parse(job.next_run_at) !== due || !repeatSpent(stored)) return null;
  return settleState({ ...stored, job: { ...job, next_run_at: null } });
}

/** Records how an execution's run ended (reference §7: repeat count, last_status, failure_streak, completion). */
export function finishExecution(
  stored: StoredJob,
  runId: string,
  outcome: RunOutcomeSummary,
  clock: JobClock,
): StoredJob | null {
  const index = stored.executions.findIndex((e) => e.run_id === runId);
  if (index < 0 || isFinished(stored.executions[index].status)) return null;
  const ok = outcome.status === 'completed';
  const executions = [...stored.executions];
  executions[index] = {
    ...executions[index],
    status: outcome.status,
    finished_at: iso(clock.now, clock),
    output_preview: outcome.output ? outcome.output.slice(0, PREVIEW_CHARS) : null,
    error: ok ? null : (outcome.error ?? `The run ended ${outcome.status}.`),
  };
  const { job } = stored;
  return settleState({
    ...stored,
    executions,
    job: {
      ...job,
      repeat: { ...job.repeat, completed: job.repeat.completed + 1 },
      last_run_at: iso(clock.now, clock),
      last_status: ok ? 'ok' : 'error',
      last_error: ok ? null : executions[index].error,
      failure_streak: ok ? 0 : job.failure_streak + 1,
    },
  });
}

/** A scheduled job with nothing left to fire and nothing running is completed (and disabled, as Hermes does). */
function settleState(stored: StoredJob): StoredJob {
  const { job } = stored;
  const spent = job.repeat.times !== null && job.repeat.completed >= job.repeat.times;
  if (job.state !== 'scheduled' || inFlight(stored) > 0 || (job.next_run_at !== null && !spent)) return stored;
  return { ...stored, job: { ...job, enabled: false, state: 'completed', next_run_at: null } };
}

/** Keeps every unfinished execution and the newest finished ones, up to `max` in all. */
function trimmed(executions: StoredExecution[], max: number): StoredExecution[] {
  let finished = 0;
  const room = Math.max(0, max - executions.filter((e) => !isFinished(e.status)).length);
  return executions.filter((e) => !isFinished(e.status) || finished++ < room);
}

/** Where a new or rescheduled job first fires; a one-shot too far in the past is refused (reference §7). */
function scheduledFirstRun(schedule: JobSchedule, clock: JobClock): number {
  const next = firstRun(schedule, clock.now, clock.timeZone);
  if (next !== null) return next;
  const at = schedule.kind === 'once' ? schedule.run_at : schedule.display;
  throw GatewayError.invalidSchedule(
    `Requested one-shot time ${at} is more than ${ONE_SHOT_GRACE_MS / 1000}s in the past and cannot be scheduled.`,
  );
}

const iso = (ms: number, clock: JobClock) => isoInZone(ms, clock.timeZone);
