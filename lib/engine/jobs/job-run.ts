// What one firing of a job runs: the text the agent gets, and the background run that carries it. Executions are
// runs (reference §6): visible through /v1/runs/{id} and its event stream, each in a fresh session of source cron.
import type { JobRecord } from '../../store/job-store.js';
import type { RunSubmission } from '../runs/run-registry.js';

/** The prompt of one firing: the skills to use, the job's prompt, then a manual run's extra prompt. */
export function jobPrompt(job: Pick<JobRecord, 'skills' | 'prompt' | 'manual_run_prompt'>): string {
  const parts: string[] = [];
  // ACP has no skills: the agent is told which ones to use, in words.
  if (job.skills.length > 0) parts.push(`Use these skills: ${job.skills.join(', ')}.`);
  if (job.prompt) parts.push(job.prompt);
  if (job.manual_run_prompt) parts.push(job.manual_run_prompt);
  return parts.join('\n\n');
}

export interface JobRunParts {
  runId: string;
  scope: string;
  agentId: string;
  model: string;
  text: string;
  admitted: () => void;
}

export function jobRunSubmission({ runId, scope, agentId, model, text, admitted }: JobRunParts): RunSubmission {
  return {
    runId,
    scope,
    sessionId: runId,
    model,
    admitted,
    turn: {
      agentId,
      session: { owner: scope, id: runId, source: 'cron' },
      model,
      clientHistory: [],
      systemPrompt: null,
      input: [{ type: 'text', text }],
      inputText: text,
    },
  };
}
