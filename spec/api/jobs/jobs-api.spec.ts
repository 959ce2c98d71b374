// /api/jobs* (reference §7 and conformance case 60): every route, every validation message, key scoping, in the
// gateway's one error envelope. The scheduler's clock stands still here, so nothing fires unless a spec says so.
import { expect } from 'chai';
import type { TestGateway } from '../../support/gateway.js';
import {
  createJob,
  eventually,
  jobCall,
  jobOf,
  MINUTE,
  OTHER_KEY,
  PromptLog,
  startJobsGateway,
  T0,
  TestClock,
} from '../../support/jobs.js';

const other = { authorization: `Bearer ${OTHER_KEY}` };
const error = (
  status: number,
  message: string,
  code: string | null,
  param: string | null,
  type = 'invalid_request_error',
) => ({
  status,
  body: { error: { message, type, param, code } },
});

describe('the Jobs API', function () {
  this.timeout(30_000);
  let gw: TestGateway;
  const clock = new TestClock();
  const log = new PromptLog();

  before(async () => {
    gw = await startJobsGateway({
      clock,
      log,
      strictModels: true,
      keys: [
        { name: 'test', key: 'sk-test-0123456789abcdef' },
        { name: 'other', key: OTHER_KEY },
        { name: 'narrow', key: 'sk-narrow-0123456789abcdef', models: ['some-other-model'] },
      ],
    });
  });
  after(() => gw?.stop());
  beforeEach(() => {
    clock.ms = T0;
  });

  describe('POST /api/jobs', () => {
    it('answers 200 with the job record of reference §7', async () => {
      const { status, body } = await createJob(gw, {
        name: '  Morning digest  ',
        schedule: 'every monday 9am',
        prompt: 'summarise the inbox',
        skills: ['inbox', ' inbox ', 'digest'],
      });
      expect(status).to.equal(200);
      expect(body.job.id).to.match(/^[0-9a-f]{12}$/);
      expect(body).to.deep.equal({
        job: {
          id: body.job.id,
          name: 'Morning digest',
          prompt: 'summarise the inbox',
          skills: ['inbox', 'digest'],
          skill: 'inbox',
          model: null,
          schedule: { kind: 'cron', expr: '0 9 * * 1', display: 'every monday 9am' },
          schedule_display: 'every monday 9am',
          repeat: { times: null, completed: 0 },
          enabled: true,
          state: 'scheduled',
          paused_at: null,
          paused_reason: null,
          created_at: '2026-03-02T08:00:00+00:00',
          next_run_at: '2026-03-02T09:00:00+00:00',
          last_run_at: null,
          last_status: null,
          last_error: null,
          failure_streak: 0,
          deliver: 'local',
          origin: { platform: 'agent-gateway', chat_id: 'api' },
        },
      });
    });

    it('defaults a one-shot to one repeat, and keeps an explicit repeat', async () => {
      const once = await createJob(gw, { name: 'once', schedule: 'in 30m', prompt: 'p' });
      expect(once.body.job.repeat).to.deep.equal({ times: 1, completed: 0 });
      expect(once.body.job.next_run_at).to.equal('2026-03-02T08:30:00+00:00');
      expect(once.body.job.schedule).to.deep.equal({
        kind: 'once',
        run_at: '2026-03-02T08:30:00+00:00',
        display: 'once in 30m',
      });
      const thrice = await createJob(gw, { name: 'thrice', schedule: '30m', prompt: 'p', repeat: 3 });
      expect(thrice.body.job.repeat).to.deep.equal({ times: 3, completed: 0 });
    });

    it('creates a job paused, with a default reason', async () => {
      const { body } = await createJob(gw, { name: 'later', schedule: '1h', prompt: 'p', paused: true });
      expect(body.job).to.include({
        enabled: false,
        state: 'paused',
        paused_at: '2026-03-02T08:00:00+00:00',
        paused_reason: 'Created paused; awaiting operator approval.',
        next_run_at: null,
      });
    });

    it('runs on the model it names, and refuses a model nobody serves or the key may not use', async () => {
      const named = await createJob(gw, { name: 'm', schedule: '1h', prompt: 'p', model: 'scripted-agent' });
      expect(named.body.job.model).to.equal('scripted-agent');
      expect(await createJob(gw, { name: 'm', schedule: '1h', prompt: 'p', model: 'nope' })).to.deep.equal(
        error(404, "The model 'nope' does not exist.", 'model_not_found', 'model'),
      );
      const narrow = { authorization: 'Bearer sk-narrow-0123456789abcdef' };
      const refused = await createJob(gw, { name: 'm', schedule: '1h', prompt: 'p', model: 'scripted-agent' }, narrow);
      expect(refused).to.deep.equal(
        error(
          403,
          "This API key may not use model 'scripted-agent'.",
          'model_not_allowed',
          'model',
          'permission_error',
        ),
      );
    });

    const invalid: Array<[string, Record<string, unknown>, string, string | null, string]> = [
      ['no name', { schedule: '1h', prompt: 'p' }, 'Name is required', 'name', 'invalid_request'],
      ['a blank name', { name: '   ', schedule: '1h', prompt: 'p' }, 'Name is required', 'name', 'invalid_request'],
      [
        'a 201-character name',
        { name: 'n'.repeat(201), schedule: '1h', prompt: 'p' },
        'Name must be ≤ 200 characters',
        'name',
        'invalid_request',
      ],
      ['no schedule', { name: 'n', prompt: 'p' }, 'Schedule is required', 'schedule', 'invalid_request'],
      [
        'a blank schedule',
        { name: 'n', schedule: ' ', prompt: 'p' },
        'Schedule is required',
        'schedule',
        'invalid_request',
      ],
      [
        'a 5001-character prompt',
        { name: 'n', schedule: '1h', prompt: 'p'.repeat(5001) },
        'Prompt must be ≤ 5000 characters',
        'prompt',
        'invalid_request',
      ],
      [
        'repeat 0',
        { name: 'n', schedule: '1h', prompt: 'p', repeat: 0 },
        'Repeat must be a positive integer',
        'repeat',
        'invalid_request',
      ],
      [
        'repeat -2',
        { name: 'n', schedule: '1h', prompt: 'p', repeat: -2 },
        'Repeat must be a positive integer',
        'repeat',
        'invalid_request',
      ],
      [
        'repeat 1.5',
        { name: 'n', schedule: '1h', prompt: 'p', repeat: 1.5 },
        'Repeat must be a positive integer',
        'repeat',
        'invalid_request',
      ],
      [
        'repeat "3"',
        { name: 'n', schedule: '1h', prompt: 'p', repeat: '3' },
        'Repeat must be a positive integer',
        'repeat',
        'invalid_request',
      ],
      [
        'an unparseable schedule',
        { name: 'n', schedule: 'every banana', prompt: 'p' },
        "Invalid duration: 'banana'. Use format like '30m', '2h', '1d', or a bare unit like 'hour' (defaults to 1).",
        'schedule',
        'invalid_schedule',
      ],
      [
        'a bad cron expression',
        { name: 'n', schedule: '0 25 * * *', prompt: 'p' },
        "Invalid cron expression '0 25 * * *': CronPattern: Invalid value for hour: 25",
        'schedule',
        'invalid_schedule',
      ],
      [
        'a one-shot more than 120 s in the past',
        { name: 'n', schedule: '2026-03-02T07:57:59', prompt: 'p' },
        'Requested one-shot time 2026-03-02T07:57:59+00:00 is more than 120s in the past and cannot be scheduled.',
        'schedule',
        'invalid_schedule',
      ],
      [
        'a blank prompt and no skills',
        { name: 'n', schedule: '1h', prompt: '  ' },
        'Cron job has nothing to run: the prompt is blank and no skill(s) are set. Provide a prompt or at least one skill.',
        'prompt',
        'invalid_request',
      ],
      [
        'paused_reason without paused',
        { name: 'n', schedule: '1h', prompt: 'p', paused_reason: 'why' },
        'paused_reason requires paused=True.',
        'paused_reason',
        'invalid_request',
      ],
      [
        'a name that is not a string',
        { name: 42, schedule: '1h', prompt: 'p' },
        "Invalid request: 'name' must be string.",
        'name',
        'invalid_request',
      ],
    ];
    for (const [what, json, message, param, code] of invalid) {
      it(`answers 400 for ${what}`, async () => {
        expect(await createJob(gw, json)).to.deep.equal(error(400, message, code, param));
      });
    }

    it('accepts a one-shot up to 120 s in the past (it fires at once)', async () => {
      const { status, body } = await createJob(gw, { name: 'n', schedule: '2026-03-02T07:58:00', prompt: 'p' });
      expect(status).to.equal(200);
      expect(body.job.next_run_at).to.equal('2026-03-02T07:58:00+00:00');
      await jobCall(gw, `/api/jobs/${body.job.id}`, { method: 'DELETE' });
    });

    it('accepts a prompt-less job with skills', async () => {
      const { status, body } = await createJob(gw, { name: 'n', schedule: '1h', skill: 'triage' });
      expect(status).to.equal(200);
      expect(body.job).to.include({ prompt: '', skill: 'triage' });
    });
  });

  describe('GET /api/jobs', () => {
    it("lists the key's jobs with their latest execution, disabled ones only for include_disabled true or 1", async () => {
      const scope = { authorization: 'Bearer sk-narrow-0123456789abcdef' };
      const live = await createJob(gw, { name: 'live', schedule: '1h', prompt: 'p' }, scope);
      const paused = await createJob(gw, { name: 'paused', schedule: '1h', prompt: 'p', paused: true }, scope);
      const names = async (query: string) =>
        (await jobCall(gw, `/api/jobs${query}`, { headers: scope })).body.jobs.map((job: any) => job.name);
      expect(await names('')).to.deep.equal(['live']);
      for (const on of ['?include_disabled=true', '?include_disabled=1', '?include_disabled=TRUE']) {
        expect(await names(on), on).to.deep.equal(['live', 'paused']);
      }
      for (const off of [
        '?include_disabled=false',
        '?include_disabled=yes',
        '?include_disabled=0',
        '?include_disabled=',
      ]) {
        expect(await names(off), off).to.deep.equal(['live']);
      }
      const [listed] = (await jobCall(gw, '/api/jobs', { headers: scope })).body.jobs;
      expect(listed).to.deep.equal({ ...live.body.job, latest_execution: null });
      expect(paused.body.job.enabled).to.equal(false);
    });

    it("never shows another key's jobs", async () => {
      const { body } = await createJob(gw, { name: 'mine', schedule: '1h', prompt: 'p' });
      const theirs = (await jobCall(gw, '/api/jobs?include_disabled=1', { headers: other })).body.jobs;
      expect(theirs.map((job: any) => job.id)).to.not.include(body.job.id);
    });
  });

  describe('GET, PATCH, DELETE /api/jobs/{job_id}', () => {
    let id: string;
    beforeEach(async () => {
      id = (await createJob(gw, { name: 'target', schedule: 'every 30m', prompt: 'p' })).body.job.id;
    });

    it('answers 400 "Invalid job ID format" for an id that is not 12 lowercase hex, on every job route', async () => {
      const routes: Array<[string, string]> = [
        ['GET', ''],
        ['PATCH', ''],
        ['DELETE', ''],
        ['POST', '/pause'],
        ['POST', '/resume'],
        ['POST', '/run'],
        ['GET', '/executions'],
      ];
      for (const bad of ['not-a-valid-hex!', 'ABCDEF012345', 'abc', 'abcdef0123456']) {
        for (const [method, tail] of routes) {
          const json = method === 'PATCH' ? { name: 'x' } : undefined;
          const reply = await jobCall(gw, `/api/jobs/${encodeURIComponent(bad)}${tail}`, { method, json });
          expect(reply, `${method} ${bad}${tail}`).to.deep.equal(
            error(400, 'Invalid job ID format', 'invalid_job_id', 'job_id'),
          );
        }
      }
    });

    it('answers 401 before looking at the id', async () => {
      const res = await gw.request('/api/jobs/not-a-valid-hex!', { auth: false });
      expect(res.status).to.equal(401);
    });

    it("answers 404 job_not_found for an unknown id and for another key's job", async () => {
      const missing = error(404, 'Job not found', 'job_not_found', null);
      expect(await jobCall(gw, '/api/jobs/0123456789ab')).to.deep.equal(missing);
      for (const [method, tail] of [
        ['GET', ''],
        ['PATCH', ''],
        ['DELETE', ''],
        ['POST', '/pause'],
        ['POST', '/resume'],
        ['POST', '/run'],
        ['GET', '/executions'],
      ]) {
        const json = method === 'PATCH' ? { name: 'x' } : undefined;
        const reply = await jobCall(gw, `/api/jobs/${id}${tail}`, { method, json, headers: other });
        expect(reply, `${method} ${tail}`).to.deep.equal(missing);
      }
      expect((await jobOf(gw, id)).name).to.equal('target');
    });

    it('gets the job', async () => {
      const { status, body } = await jobCall(gw, `/api/jobs/${id}`);
      expect(status).to.equal(200);
      expect(body.job).to.include({ id, name: 'target', schedule_display: 'every 30m' });
    });

    it('PATCH keeps only the updatable fields and drops the rest silently', async () => {
      const { status, body } = await jobCall(gw, `/api/jobs/${id}`, {
        method: 'PATCH',
        json: { name: 'renamed', id: 'ffffffffffff', state: 'completed', origin: null, deliver: 'telegram' },
      });
      expect(status).to.equal(200);
      expect(body.job).to.include({ id, name: 'renamed', state: 'scheduled', deliver: 'telegram' });
      expect(body.job.origin).to.deep.equal({ platform: 'agent-gateway', chat_id: 'api' });
    });

    it('PATCH with no updatable field is 400 "No valid fields to update"', async () => {
      for (const json of [{}, { bogus: 1, state: 'paused' }]) {
        expect(await jobCall(gw, `/api/jobs/${id}`, { method: 'PATCH', json })).to.deep.equal(
          error(400, 'No valid fields to update', 'invalid_request', null),
        );
      }
    });

    const invalidPatches: Array<[string, Record<string, unknown>, string, string, string]> = [
      ['a 201-character name', { name: 'n'.repeat(201) }, 'Name must be ≤ 200 characters', 'name', 'invalid_request'],
      ['a blank name', { name: ' ' }, 'Name is required', 'name', 'invalid_request'],
      [
        'a 5001-character prompt',
        { prompt: 'p'.repeat(5001) },
        'Prompt must be ≤ 5000 characters',
        'prompt',
        'invalid_request',
      ],
      ['repeat 0', { repeat: 0 }, 'Repeat must be a positive integer', 'repeat', 'invalid_request'],
      ['a blank schedule', { schedule: '' }, 'Schedule is required', 'schedule', 'invalid_request'],
      [
        'a bad schedule',
        { schedule: 'whenever' },
        "Invalid schedule 'whenever'. Use:\n  - Interval: '30m', 'every 30m', 'every 2h' (recurring)\n  - One-shot delay: 'in 30m', 'in 2h' (fires once)\n  - Weekly/daily: 'every monday 9am', 'weekdays at 9am' (recurring)\n  - Cron: '0 9 * * *' (cron expression)\n  - Timestamp: '2026-02-03T14:00:00' (one-shot at time)",
        'schedule',
        'invalid_schedule',
      ],
    ];
    for (const [what, json, message, param, code] of invalidPatches) {
      it(`PATCH answers 400 for ${what}`, async () => {
        expect(await jobCall(gw, `/api/jobs/${id}`, { method: 'PATCH', json })).to.deep.equal(
          error(400, message, code, param),
        );
      });
    }

    it('PATCH of the schedule recomputes next_run_at and re-derives the repeat default when the kind changes', async () => {
      clock.advance(10 * MINUTE);
      const cron = (await jobCall(gw, `/api/jobs/${id}`, { method: 'PATCH', json: { schedule: '0 12 * * *' } })).body;
      expect(cron.job).to.include({ schedule_display: '0 12 * * *', next_run_at: '2026-03-02T12:00:00+00:00' });
      expect(cron.job.repeat).to.deep.equal({ times: null, completed: 0 });
      const once = (await jobCall(gw, `/api/jobs/${id}`, { method: 'PATCH', json: { schedule: 'in 2h' } })).body;
      expect(once.job).to.include({ schedule_display: 'once in 2h', next_run_at: '2026-03-02T10:10:00+00:00' });
      expect(once.job.repeat).to.deep.equal({ times: 1, completed: 0 });
      const back = (await jobCall(gw, `/api/jobs/${id}`, { method: 'PATCH', json: { schedule: '15m' } })).body;
      expect(back.job.repeat).to.deep.equal({ times: null, completed: 0 });
      expect(back.job.next_run_at).to.equal('2026-03-02T08:25:00+00:00');
    });

    it('PATCH enabled false pauses and enabled true resumes', async () => {
      const off = (await jobCall(gw, `/api/jobs/${id}`, { method: 'PATCH', json: { enabled: false } })).body;
      expect(off.job).to.include({ enabled: false, state: 'paused', paused_at: '2026-03-02T08:00:00+00:00' });
      clock.advance(5 * MINUTE);
      const on = (await jobCall(gw, `/api/jobs/${id}`, { method: 'PATCH', json: { enabled: true } })).body;
      expect(on.job).to.include({
        enabled: true,
        state: 'scheduled',
        paused_at: null,
        next_run_at: '2026-03-02T08:35:00+00:00',
      });
    });

    it('PATCH of skills, prompt and repeat', async () => {
      const { body } = await jobCall(gw, `/api/jobs/${id}`, {
        method: 'PATCH',
        json: { skills: ['a', 'b'], prompt: ' new prompt ', repeat: 4 },
      });
      expect(body.job).to.include({ skill: 'a', prompt: 'new prompt' });
      expect(body.job.skills).to.deep.equal(['a', 'b']);
      expect(body.job.repeat).to.deep.equal({ times: 4, completed: 0 });
      const cleared = await jobCall(gw, `/api/jobs/${id}`, { method: 'PATCH', json: { prompt: '', skills: [] } });
      expect(cleared.status).to.equal(400);
    });

    it('DELETE answers {"ok": true}, then the job is gone', async () => {
      expect(await jobCall(gw, `/api/jobs/${id}`, { method: 'DELETE' })).to.deep.equal({
        status: 200,
        body: { ok: true },
      });
      expect((await jobCall(gw, `/api/jobs/${id}`)).status).to.equal(404);
      expect((await jobCall(gw, `/api/jobs/${id}`, { method: 'DELETE' })).status).to.equal(404);
    });
  });

  describe('pause, resume, run', () => {
    it('pause disables the job; resume schedules it again from now', async () => {
      const { id } = (await createJob(gw, { name: 'p', schedule: 'every 2 hours', prompt: 'p' })).body.job;
      clock.advance(30 * MINUTE);
      const paused = await jobCall(gw, `/api/jobs/${id}/pause`, { method: 'POST' });
      expect(paused.status).to.equal(200);
      expect(paused.body.job).to.include({
        enabled: false,
        state: 'paused',
        paused_at: '2026-03-02T08:30:00+00:00',
        paused_reason: null,
      });
      clock.advance(60 * MINUTE);
      const resumed = await jobCall(gw, `/api/jobs/${id}/resume`, { method: 'POST' });
      expect(resumed.body.job).to.include({
        enabled: true,
        state: 'scheduled',
        paused_at: null,
        paused_reason: null,
        next_run_at: '2026-03-02T11:30:00+00:00',
      });
    });

    it('resume of a one-shot whose time has passed is 409 job_terminal', async () => {
      const { id } = (await createJob(gw, { name: 'o', schedule: 'in 5m', prompt: 'p', paused: true })).body.job;
      clock.advance(10 * MINUTE);
      expect(await jobCall(gw, `/api/jobs/${id}/resume`, { method: 'POST' })).to.deep.equal(
        error(
          409,
          'Cannot resume: one-shot time 2026-03-02T08:05:00+00:00 is in the past (grace window: 120s) and will never fire.',
          'job_terminal',
          null,
        ),
      );
    });

    it('run makes the job due now with the extra prompt, re-enabling a paused job', async () => {
      const { id } = (await createJob(gw, { name: 'r', schedule: '1d', prompt: 'p', paused: true })).body.job;
      const { status, body } = await jobCall(gw, `/api/jobs/${id}/run`, { method: 'POST', json: { prompt: 'extra' } });
      expect(status).to.equal(200);
      expect(body.job).to.include({
        enabled: true,
        state: 'scheduled',
        next_run_at: '2026-03-02T08:00:00+00:00',
        manual_run_at: '2026-03-02T08:00:00+00:00',
        manual_run_prompt: 'extra',
      });
      await eventually(async () => (await jobOf(gw, id)).last_status === 'ok', 'the manual run ran');
      const after = await jobOf(gw, id);
      expect(after).to.not.have.property('manual_run_at');
      expect(after.next_run_at).to.equal('2026-03-03T08:00:00+00:00');
      expect(log.prompts.filter((text) => text === 'p\n\nextra')).to.have.length(1);
    });

    it('run answers 400 for a 5001-character extra prompt, and works without a body', async () => {
      const { id } = (await createJob(gw, { name: 'r', schedule: '1d', prompt: 'p', paused: true })).body.job;
      expect(
        await jobCall(gw, `/api/jobs/${id}/run`, { method: 'POST', json: { prompt: 'x'.repeat(5001) } }),
      ).to.deep.equal(error(400, 'Prompt must be ≤ 5000 characters', 'invalid_request', 'prompt'));
      const bare = await jobCall(gw, `/api/jobs/${id}/run`, { method: 'POST' });
      expect(bare.status).to.equal(200);
      expect(bare.body.job.manual_run_prompt).to.equal(null);
    });

    it('run of a completed job is 409 job_terminal', async () => {
      const { id } = (await createJob(gw, { name: 'once', schedule: 'in 1m', prompt: 'done once' })).body.job;
      clock.advance(MINUTE);
      await eventually(async () => (await jobOf(gw, id)).state === 'completed', 'the one-shot completed');
      expect(await jobCall(gw, `/api/jobs/${id}/run`, { method: 'POST' })).to.deep.equal(
        error(409, "Cannot run: job 'once' is completed (terminal).", 'job_terminal', null),
      );
      expect(await jobCall(gw, `/api/jobs/${id}`, { method: 'PATCH', json: { schedule: 'in 5m' } })).to.deep.equal(
        error(409, "Cannot activate terminal job 'once' through an update; resume it instead.", 'job_terminal', null),
      );
    });
  });

  describe('GET /api/jobs/{job_id}/executions', () => {
    it('lists the runs the job started, newest first, each visible through /v1/runs/{id}', async () => {
      const { id } = (await createJob(gw, { name: 'e', schedule: 'every 5m', prompt: '[[text "run output"]]' })).body
        .job;
      expect(await jobCall(gw, `/api/jobs/${id}/executions`)).to.deep.equal({ status: 200, body: { executions: [] } });
      for (let i = 0; i < 2; i++) {
        clock.advance(5 * MINUTE);
        await eventually(async () => (await jobOf(gw, id)).repeat.completed === i + 1, `execution ${i + 1} ran`);
      }
      const { executions } = (await jobCall(gw, `/api/jobs/${id}/executions`)).body;
      expect(executions.map((e: any) => e.fired_at)).to.deep.equal([
        '2026-03-02T08:10:00+00:00',
        '2026-03-02T08:05:00+00:00',
      ]);
      for (const execution of executions) {
        expect(execution).to.include({
          trigger: 'schedule',
          status: 'completed',
          output_preview: 'run output',
          error: null,
        });
        const run = await jobCall(gw, `/v1/runs/${execution.run_id}`);
        expect(run.status).to.equal(200);
        expect(run.body).to.include({ status: 'completed', output: 'run output' });
        // Another key sees neither the job nor its runs.
        expect((await jobCall(gw, `/v1/runs/${execution.run_id}`, { headers: other })).status).to.equal(404);
      }
      // Each firing ran in a session of its own, of source cron (reference §8).
      const cron = (await jobCall(gw, '/api/sessions?source=cron&limit=200')).body.data.map((row: any) => row.id);
      expect(cron).to.include.members(executions.map((e: any) => e.run_id));
      const [listed] = (await jobCall(gw, '/api/jobs')).body.jobs.filter((job: any) => job.id === id);
      expect(listed.latest_execution).to.deep.equal(executions[0]);
      await jobCall(gw, `/api/jobs/${id}`, { method: 'DELETE' });
    });
  });
});
