// /api/jobs* (reference §7): a key's scheduled jobs, in the gateway's one error envelope, plus
// GET /api/jobs/{id}/executions (the runs its firings started). The scheduler that fires them is the engine's.
import { GatewayError } from '../../errors.js';
import type { StoredJob } from '../../store/job-store.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';
import { checkJobId, createJobInput, runJobPrompt, updateJobInput } from './job-request.js';

const job = (record: StoredJob) => ({ job: record.job });

export function jobsOperations(services: Services) {
  const { jobs } = services;
  const parseSchedule = (text: string) => jobs.schedule(text);

  const listJobs: Operation<'listJobs'> = async ({ query, ctx }) => {
    // reference §7: only `true` and `1` include the disabled jobs; any other value is false, never an error.
    const includeDisabled = ['true', '1'].includes(String(query.include_disabled ?? '').toLowerCase());
    const records = await jobs.list(ctx.scope, includeDisabled);
    return {
      jobs: await Promise.all(
        records.map(async (record) => ({ ...record.job, latest_execution: await jobs.latest(record) })),
      ),
    };
  };

  const createJob: Operation<'createJob'> = async ({ body, ctx }) => {
    const input = createJobInput(body, parseSchedule);
    // The model chooses the agent (404 model_not_found, 403 for a model the key may not use); none: the default.
    if (input.model !== null) services.router.decide(input.model, ctx.allowedModels, true);
    return job(await jobs.create(ctx.scope, input));
  };

  const getJob: Operation<'getJob'> = async ({ params, ctx }) =>
    job(await jobs.get(ctx.scope, checkJobId(params.job_id)));

  const updateJob: Operation<'updateJob'> = async ({ params, body, ctx }) => {
    const id = checkJobId(params.job_id);
    return job(await jobs.update(ctx.scope, id, updateJobInput(body, parseSchedule)));
  };

  const deleteJob: Operation<'deleteJob'> = async ({ params, ctx }) => {
    await jobs.delete(ctx.scope, checkJobId(params.job_id));
    return { ok: true };
  };

  const pauseJob: Operation<'pauseJob'> = async ({ params, ctx }) =>
    job(await jobs.pause(ctx.scope, checkJobId(params.job_id), null));

  const resumeJob: Operation<'resumeJob'> = async ({ params, ctx }) =>
    job(await jobs.resume(ctx.scope, checkJobId(params.job_id)));

  const runJob: Operation<'runJob'> = async ({ params, body, ctx }) => {
    const id = checkJobId(params.job_id);
    if (services.isDraining()) throw GatewayError.draining();
    return job(await jobs.trigger(ctx.scope, id, runJobPrompt(body)));
  };

  const listJobExecutions: Operation<'listJobExecutions'> = async ({ params, ctx }) => ({
    executions: await jobs.executions(ctx.scope, checkJobId(params.job_id)),
  });

  return {
    listJobs,
    createJob,
    getJob,
    updateJob,
    deleteJob,
    pauseJob,
    resumeJob,
    runJob,
    listJobExecutions,
  };
}
