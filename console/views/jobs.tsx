// Jobs: the key's scheduled jobs; create one (its schedule parsed by the gateway and shown before saving), pause,
// resume, run now, and each job's executions with their output.
import { useEffect, useState } from 'preact/hooks';
import { type Api, type Schemas, seg } from '../api.js';
import { ErrorNote, formatTime, StatusBadge, usePoll } from '../ui.js';

type Job = Schemas['Job'] & { latest_execution?: Schemas['JobExecution'] | null };

export function JobsView({ api, models, onOpenRun }: { api: Api; models: string[]; onOpenRun: (id: string) => void }) {
  const [jobs, setJobs] = useState<Job[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  usePoll(
    async () => {
      try {
        const list = await api.call<{ jobs: Job[] }>('GET', '/api/jobs?include_disabled=true');
        setJobs(list.jobs);
        setError(null);
      } catch (failure) {
        setError(failure);
      }
    },
    3000,
    [api, version],
  );
  const changed = () => setVersion((v) => v + 1);

  return (
    <section class="view jobs" aria-labelledby="jobs-title">
      <div class="toolbar">
        <h2 id="jobs-title">Jobs</h2>
      </div>
      <NewJobForm api={api} models={models} onCreated={changed} />
      <ErrorNote error={error} />
      <ul class="cards" aria-label="Jobs">
        {jobs.length === 0 ? <li class="hint">No jobs yet.</li> : null}
        {jobs.map((job) => (
          <JobCard key={job.id} api={api} job={job} onChanged={changed} onOpenRun={onOpenRun} />
        ))}
      </ul>
    </section>
  );
}

function NewJobForm({ api, models, onCreated }: { api: Api; models: string[]; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [schedule, setSchedule] = useState('');
  const [prompt, setPrompt] = useState('');
  const [model, setModel] = useState('');
  const [preview, setPreview] = useState<Schemas['ScheduleParseResponse'] | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // The gateway parses the schedule as it would store it: shown while the person types, before saving.
  useEffect(() => {
    setPreview(null);
    setPreviewError(null);
    if (!schedule.trim()) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .call<Schemas['ScheduleParseResponse']>('POST', '/api/jobs/schedule/parse', {
          body: { schedule },
          signal: controller.signal,
        })
        .then(setPreview)
        .catch((failure) => controller.signal.aborted || setPreviewError(failure));
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [schedule]);

  const create = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('POST', '/api/jobs', { body: { name, schedule, prompt, ...(model ? { model } : {}) } });
      setName('');
      setSchedule('');
      setPrompt('');
      onCreated();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="panel">
      <summary>New job</summary>
      <form class="stack" onSubmit={create}>
        <label>
          Name <input required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Schedule{' '}
          <input
            required
            value={schedule}
            placeholder="every 30m, in 2h, weekdays at 9am, 0 9 * * *"
            aria-describedby="schedule-preview"
            onInput={(e) => setSchedule(e.currentTarget.value)}
          />
        </label>
        <p id="schedule-preview" class="schedule-preview" role="status">
          {preview ? (
            <>
              Parsed: <strong>{preview.schedule_display}</strong> ({preview.schedule.kind})
              {preview.next_run_at ? <> · first run {formatTime(preview.next_run_at)}</> : null}
            </>
          ) : previewError ? null : schedule.trim() ? (
            'Parsing…'
          ) : (
            'The parsed schedule shows here before you save.'
          )}
        </p>
        <ErrorNote error={previewError} />
        <label>
          Prompt
          <textarea rows={3} maxLength={5000} value={prompt} onInput={(e) => setPrompt(e.currentTarget.value)} />
        </label>
        <label>
          Model{' '}
          <select value={model} onChange={(e) => setModel(e.currentTarget.value)}>
            <option value="">default agent</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary" disabled={busy || !preview || !name.trim()}>
          Save job
        </button>
        <ErrorNote error={error} />
      </form>
    </details>
  );
}

function JobCard({
  api,
  job,
  onChanged,
  onOpenRun,
}: {
  api: Api;
  job: Job;
  onChanged: () => void;
  onOpenRun: (id: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [executions, setExecutions] = useState<Schemas['JobExecution'][] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const path = `/api/jobs/${seg(job.id)}`;

  usePoll(
    async () => {
      try {
        setExecutions((await api.call<Schemas['JobExecutionList']>('GET', `${path}/executions`)).executions);
      } catch (failure) {
        setError(failure);
      }
    },
    1500,
    [job.id],
    open,
  );

  const act = async (action: string) => {
    setBusy(true);
    setError(null);
    try {
      await api.call('POST', `${path}/${action}`, action === 'run' ? { body: {} } : {});
      if (action === 'run') setOpen(true);
      onChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="card job" aria-label={`Job ${job.name}`}>
      <header class="toolbar">
        <h3>{job.name}</h3>
        <StatusBadge status={job.state} />
      </header>
      <p>
        <span class="label">Schedule</span> {job.schedule_display ?? job.schedule.display}
        {job.next_run_at ? <span class="muted"> · next run {formatTime(job.next_run_at)}</span> : null}
      </p>
      {job.latest_execution ? (
        <p class="muted">
          Last execution: {job.latest_execution.status} at {formatTime(job.latest_execution.started_at)}
        </p>
      ) : null}
      <div class="buttons">
        {job.state === 'paused' ? (
          <button type="button" disabled={busy} onClick={() => void act('resume')}>
            Resume
          </button>
        ) : (
          <button type="button" disabled={busy || job.state === 'completed'} onClick={() => void act('pause')}>
            Pause
          </button>
        )}
        <button type="button" class="primary" disabled={busy} onClick={() => void act('run')}>
          Run now
        </button>
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide executions' : 'Executions'}
        </button>
      </div>
      <ErrorNote error={error} />
      {open ? (
        <ol class="executions" aria-label={`Executions of ${job.name}`}>
          {executions === null ? <li class="hint">Loading…</li> : null}
          {executions?.length === 0 ? <li class="hint">No executions yet.</li> : null}
          {executions?.map((execution) => (
            <li key={execution.run_id} class="execution">
              <StatusBadge status={execution.status} /> {execution.trigger} · {formatTime(execution.started_at)}{' '}
              <button type="button" class="link" onClick={() => onOpenRun(execution.run_id)}>
                open run
              </button>
              {execution.output_preview ? <pre class="output">{execution.output_preview}</pre> : null}
              {execution.error ? <p class="error">{execution.error}</p> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}
