// How a job record changes (reference §7), as pure functions: firing, finishing (repeat counts, last_status,
// failure_streak, completion), skipping, run-now, and the occurrence sequence a claim names.
import { expect } from 'chai';
import {
  exhaustJob,
  finishExecution,
  fireJob,
  type NewJob,
  newJobRecord,
  occurrenceOf,
  patchJob,
  pauseJob,
  repeatSpent,
  resumeJob,
  sequenced,
  skipJob,
  triggerJob,
} from '../../../lib/engine/jobs/job-records.js';
import { GatewayError } from '../../../lib/errors.js';
import type { StoredJob } from '../../../lib/store/job-store.js';

const T = Date.parse('2026-03-02T09:00:00Z');
const MIN = 60_000;
const at = (ms: number) => ({ now: ms, timeZone: 'UTC' });
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');

function job(overrides: Partial<NewJob> = {}): StoredJob {
  return newJobRecord(
    'abcdef012345',
    'scope',
    {
      name: 'j',
      prompt: 'p',
      schedule: { kind: 'interval', minutes: 5, display: 'every 5m' },
      skills: [],
      model: null,
      repeat: null,
      deliver: 'local',
      paused: false,
      pausedReason: null,
      origin: null,
      ...overrides,
    },
    at(T),
  );
}

let runs = 0;
function fire(stored: StoredJob, now: number, max = 20): StoredJob {
  const due = Date.parse(stored.job.next_run_at!);
  const next = fireJob(stored, { due, at: due, runId: `run_${++runs}`, instance: 'i', confirmedAt: 0 }, at(now), max);
  if (!next) throw new Error('did not fire');
  return next;
}
const ok = { status: 'completed' as const, output: 'done', error: null };
const failed = { status: 'failed' as const, output: '', error: 'boom' };

describe('job records', () => {
  it('fires: records a queued execution and moves to the next occurrence', () => {
    const fired = fire(job(), T + 5 * MIN);
    expect(fired.job.next_run_at).to.equal(iso(T + 10 * MIN));
    expect(fired.executions).to.have.length(1);
    expect(fired.executions[0]).to.include({
      fired_at: iso(T + 5 * MIN),
      status: 'queued',
      trigger: 'schedule',
      finished_at: null,
    });
  });

  it('refuses to fire an occurrence the record moved past, or a paused job', () => {
    const stored = job();
    const firing = { due: T, at: T, runId: 'run_x', instance: 'i', confirmedAt: 0 };
    expect(fireJob(stored, firing, at(T), 20)).to.equal(null);
    expect(fireJob(pauseJob(stored, null, at(T)), { ...firing, due: T + 5 * MIN }, at(T + 5 * MIN), 20)).to.equal(null);
  });

  it('finishes: counts the run, and sets last_status, last_error and failure_streak as the reference does', () => {
    let stored = fire(job(), T + 5 * MIN);
    stored = finishExecution(stored, stored.executions[0].run_id, failed, at(T + 6 * MIN))!;
    expect(stored.job).to.include({ last_status: 'error', last_error: 'boom', failure_streak: 1 });
    expect(stored.job.last_run_at).to.equal(iso(T + 6 * MIN));
    stored = fire(stored, T + 10 * MIN);
    stored = finishExecution(stored, stored.executions[0].run_id, failed, at(T + 11 * MIN))!;
    expect(stored.job.failure_streak).to.equal(2);
    stored = fire(stored, T + 15 * MIN);
    stored = finishExecution(stored, stored.executions[0].run_id, ok, at(T + 16 * MIN))!;
    expect(stored.job).to.include({ last_status: 'ok', last_error: null, failure_streak: 0 });
    expect(stored.job.repeat).to.deep.equal({ times: null, completed: 3 });
    expect(stored.executions[0]).to.include({ status: 'completed', output_preview: 'done', error: null });
    // Finishing twice changes nothing.
    expect(finishExecution(stored, stored.executions[0].run_id, failed, at(T + 17 * MIN))).to.equal(null);
  });

  it('stops firing once the repeat budget is spent by finished and running executions, then completes', () => {
    let stored = job({ repeat: 2 });
    stored = fire(stored, T + 5 * MIN);
    stored = fire(stored, T + 10 * MIN); // the first one still runs
    expect(stored.job.next_run_at).to.equal(null);
    expect(repeatSpent(stored)).to.equal(true);
    stored = finishExecution(stored, stored.executions[1].run_id, ok, at(T + 11 * MIN))!;
    expect(stored.job.state).to.equal('scheduled'); // one still runs
    stored = finishExecution(stored, stored.executions[0].run_id, ok, at(T + 12 * MIN))!;
    expect(stored.job).to.include({ state: 'completed', enabled: false, next_run_at: null });
    expect(stored.job.repeat).to.deep.equal({ times: 2, completed: 2 });
  });

  it('completes a one-shot after its run, failed or not', () => {
    let stored = job({ schedule: { kind: 'once', run_at: iso(T + 30 * MIN), display: 'once in 30m' } });
    expect(stored.job.repeat).to.deep.equal({ times: 1, completed: 0 });
    stored = fire(stored, T + 30 * MIN);
    expect(stored.job.next_run_at).to.equal(null);
    stored = finishExecution(stored, stored.executions[0].run_id, failed, at(T + 31 * MIN))!;
    expect(stored.job).to.include({ state: 'completed', enabled: false, last_status: 'error' });
  });

  it('exhausts a due job whose repeat count was lowered below what already ran', () => {
    let stored = job({ repeat: 5 });
    stored = fire(stored, T + 5 * MIN);
    stored = finishExecution(stored, stored.executions[0].run_id, ok, at(T + 6 * MIN))!;
    stored = patchJob(stored, { repeat: 1 }, at(T + 7 * MIN));
    const due = Date.parse(stored.job.next_run_at!);
    expect(fireJob(stored, { due, at: due, runId: 'r', instance: 'i', confirmedAt: 0 }, at(due), 20)).to.equal(null);
    expect(exhaustJob(stored, due)?.job).to.include({ state: 'completed', enabled: false, next_run_at: null });
  });

  it('keeps every running execution and the newest finished ones, up to the maximum', () => {
    let stored = job();
    for (let i = 1; i <= 5; i++) {
      stored = fire(stored, T + i * 5 * MIN, 3);
      if (i !== 2) stored = finishExecution(stored, stored.executions[0].run_id, ok, at(T + i * 5 * MIN + 1))!;
    }
    // Run 2 still runs: it stays, with the two newest finished ones.
    expect(stored.executions.map((e) => e.fired_at)).to.deep.equal([
      iso(T + 25 * MIN),
      iso(T + 20 * MIN),
      iso(T + 10 * MIN),
    ]);
  });

  it('skips a missed occurrence to the next one; a one-shot has none and ends in error', () => {
    const stored = job();
    const skipped = skipJob(stored, T + 5 * MIN, 10 * MIN, at(T + 27 * MIN))!;
    expect(skipped.job.next_run_at).to.equal(iso(T + 30 * MIN));
    expect(skipJob(stored, T, 10 * MIN, at(T + 27 * MIN))).to.equal(null); // not the record's occurrence
    const once = job({ schedule: { kind: 'once', run_at: iso(T + MIN), display: 'once' } });
    const missed = skipJob(once, T + MIN, 10 * MIN, at(T + 20 * MIN))!;
    expect(missed.job).to.include({ state: 'error', enabled: false, next_run_at: null, last_status: 'error' });
  });

  it('run-now makes the job due at once and marks the firing manual, with its extra prompt', () => {
    let stored = triggerJob(pauseJob(job(), 'why', at(T)), 'extra', at(T + MIN));
    expect(stored.job).to.include({
      enabled: true,
      state: 'scheduled',
      next_run_at: iso(T + MIN),
      manual_run_at: iso(T + MIN),
      manual_run_prompt: 'extra',
    });
    stored = fire(stored, T + MIN);
    expect(stored.executions[0].trigger).to.equal('manual');
    expect(stored.job).to.not.have.property('manual_run_at');
    expect(stored.job.next_run_at).to.equal(iso(T + 6 * MIN));
  });

  it('refuses to run, resume or re-activate a job that cannot fire again', () => {
    let stored = job({ schedule: { kind: 'once', run_at: iso(T + MIN), display: 'once' } });
    stored = fire(stored, T + MIN);
    stored = finishExecution(stored, stored.executions[0].run_id, ok, at(T + 2 * MIN))!;
    const refusals = [
      () => triggerJob(stored, null, at(T + 3 * MIN)),
      () => resumeJob(stored, at(T + 10 * MIN)),
      () => patchJob(stored, { enabled: true }, at(T + 3 * MIN)),
    ];
    for (const refuse of refusals) expect(refuse).to.throw(GatewayError).with.property('code', 'job_terminal');
    expect(patchJob(stored, { name: 'renamed' }, at(T + 3 * MIN)).job.name).to.equal('renamed');
  });

  it('names each occurrence once: the sequence moves with the next occurrence', () => {
    const stored = job();
    const rename = sequenced((current) => patchJob(current, { name: 'n' }, at(T)));
    expect(rename(stored)?.seq).to.equal(0);
    const triggered = sequenced((current) => triggerJob(current, null, at(T)))(stored)!;
    expect(triggered.seq).to.equal(1);
    // A run-now at the very instant of an occurrence that already fired is a new occurrence all the same.
    expect(occurrenceOf(triggered, T)).to.not.equal(occurrenceOf(stored, T));
  });

  it('resume schedules from now', () => {
    const resumed = resumeJob(pauseJob(job(), null, at(T)), at(T + 42 * MIN));
    expect(resumed.job).to.include({ next_run_at: iso(T + 47 * MIN), state: 'scheduled', paused_at: null });
  });
});
