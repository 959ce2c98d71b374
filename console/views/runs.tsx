// Runs: the key's recent runs (GET /v1/runs, polled) with their status; one run's event stream as it happens
// (GET /v1/runs/{id}/events, reconnecting with Last-Event-ID), its pending approval with the agent's choices, stop.
import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiError, type Schemas, seg } from '../api.js';
import { ApprovalCard, type ApprovalRequest, ErrorNote, formatTime, isTerminal, StatusBadge, usePoll } from '../ui.js';

type Run = Schemas['Run'];

/** A run event payload (schemas/runs.json RunEvent): the fields this view reads. */
interface RunPayload {
  event: string;
  delta?: string;
  tool?: string;
  preview?: string | null;
  error?: unknown;
  command?: string;
  choice?: string;
  request_id?: string;
}

interface RunEvent {
  id: string | null;
  event: string;
  data: RunPayload;
}

const TERMINAL_EVENTS = new Set(['run.completed', 'run.failed', 'run.cancelled', 'run.interrupted']);
const RECONNECT_MS = 1000;

export function RunsView({
  api,
  models,
  selected,
  onSelect,
}: {
  api: Api;
  models: string[];
  selected: string | null;
  onSelect: (runId: string | null) => void;
}) {
  const [runs, setRuns] = useState<Run[]>([]);
  const [activeOnly, setActiveOnly] = useState(false);
  const [error, setError] = useState<unknown>(null);

  usePoll(
    async () => {
      try {
        const list = await api.call<Schemas['RunList']>('GET', '/v1/runs?limit=50');
        setRuns(list.data);
        setError(null);
      } catch (failure) {
        setError(failure);
      }
    },
    2000,
    [api],
  );

  const shown = activeOnly ? runs.filter((run) => !isTerminal(run.status)) : runs;
  return (
    <section class="view runs" aria-labelledby="runs-title">
      <div class="toolbar">
        <h2 id="runs-title">Runs</h2>
        <label class="check">
          <input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.currentTarget.checked)} /> Active
          only
        </label>
      </div>
      <NewRunForm api={api} models={models} onStarted={onSelect} />
      <ErrorNote error={error} />
      <div class="split">
        <ul class="list" aria-label="Recent runs">
          {shown.length === 0 ? <li class="hint">No runs yet.</li> : null}
          {shown.map((run) => (
            <li key={run.run_id}>
              <button
                type="button"
                class="row"
                aria-current={run.run_id === selected ? 'true' : undefined}
                onClick={() => onSelect(run.run_id)}
              >
                <StatusBadge status={run.status} />
                <code>{run.run_id.slice(0, 16)}…</code>
                <span class="muted">
                  {run.model} · {formatTime(run.created_at)}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {selected ? <RunDetail key={selected} api={api} runId={selected} /> : null}
      </div>
    </section>
  );
}

function NewRunForm({ api, models, onStarted }: { api: Api; models: string[]; onStarted: (id: string) => void }) {
  const [model, setModel] = useState(models[0] ?? '');
  const [input, setInput] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!model && models[0]) setModel(models[0]);
  }, [models]);
  const start = async (event: Event) => {
    event.preventDefault();
    if (!input.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const run = await api.call<Schemas['RunAccepted']>('POST', '/v1/runs', {
        body: { input, ...(model ? { model } : {}) },
      });
      setInput('');
      onStarted(run.run_id);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="panel">
      <summary>Start a run</summary>
      <form class="stack" onSubmit={start}>
        <label>
          Model{' '}
          <select value={model} onChange={(e) => setModel(e.currentTarget.value)}>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Input
          <textarea id="run-input" rows={2} value={input} onInput={(e) => setInput(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={busy || !input.trim()}>
          Start run
        </button>
        <ErrorNote error={error} />
      </form>
    </details>
  );
}

function RunDetail({ api, runId }: { api: Api; runId: string }) {
  const [run, setRun] = useState<Run | null>(null);
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [connection, setConnection] = useState<'connecting' | 'live' | 'reconnecting' | 'ended'>('connecting');
  const [error, setError] = useState<unknown>(null);
  const [stopping, setStopping] = useState(false);

  const refresh = async () => {
    try {
      setRun(await api.call<Run>('GET', `/v1/runs/${seg(runId)}`));
    } catch (failure) {
      setError(failure);
    }
  };

  // The event stream: replayed from the start, then live; a dropped connection resumes after the last id seen.
  useEffect(() => {
    const controller = new AbortController();
    let lastId: string | null = null;
    let ended = false;
    const follow = async () => {
      while (!ended && !controller.signal.aborted) {
        try {
          await api.stream(
            'GET',
            `/v1/runs/${seg(runId)}/events`,
            { headers: lastId ? { 'Last-Event-ID': lastId } : {}, signal: controller.signal },
            (sse) => {
              setConnection('live');
              lastId = sse.id ?? lastId;
              const data = JSON.parse(sse.data) as RunPayload;
              setEvents((all) => [...all, { id: sse.id, event: String(data.event), data }]);
              if (TERMINAL_EVENTS.has(data.event)) ended = true;
              if (!String(data.event).endsWith('.delta')) void refresh(); // status changes come with these
            },
          );
          // The server closes the stream after the run's terminal event; closed before it, the connection was cut
          // (a proxy, a restart): resume after the last event seen.
          if (!ended) {
            setConnection('reconnecting');
            await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
          }
        } catch (failure) {
          if (controller.signal.aborted) return;
          if (failure instanceof ApiError && failure.status !== 0) {
            // 404: the run's events are gone (its journal expired); its status may still be there.
            setError(failure);
            ended = true;
          } else {
            setConnection('reconnecting');
            await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
          }
        }
      }
      if (!controller.signal.aborted) setConnection('ended');
    };
    void refresh();
    void follow();
    return () => controller.abort();
  }, [runId]);

  const output = events
    .filter((e) => e.event === 'message.delta')
    .map((e) => String(e.data.delta ?? ''))
    .join('');
  const terminal = events.find((e) => TERMINAL_EVENTS.has(e.event));
  const answers = new Map(
    events.filter((e) => e.event === 'approval.responded').map((e) => [e.data.request_id, String(e.data.choice)]),
  );
  const requests = events
    .filter((e) => e.event === 'approval.request')
    .map((e) => e.data as unknown as ApprovalRequest);
  // A request the status shows that no event has (yet): a run another instance executes shows it there first.
  if (run?.approval?.request_id && !requests.some((r) => r.request_id === run.approval?.request_id)) {
    requests.push(run.approval as ApprovalRequest);
  }
  const status = terminal ? terminal.event.slice(4) : (run?.status ?? 'queued');
  const denied = [...answers.values()].includes('deny');

  const stop = async () => {
    setStopping(true);
    try {
      await api.call('POST', `/v1/runs/${seg(runId)}/stop`);
      await refresh();
    } catch (failure) {
      setError(failure);
    } finally {
      setStopping(false);
    }
  };

  return (
    <article class="detail run-detail" aria-label={`Run ${runId}`}>
      <header class="toolbar">
        <h3>
          Run <code>{runId}</code>
        </h3>
        <StatusBadge status={status} />
        <span class="muted" role="status">
          {connection === 'reconnecting' ? 'Connection lost, reconnecting…' : connection === 'live' ? 'live' : ''}
        </span>
        {!isTerminal(status) ? (
          <button type="button" class="danger" onClick={stop} disabled={stopping || status === 'stopping'}>
            Stop
          </button>
        ) : null}
      </header>
      {run ? (
        <p class="muted">
          Model {run.model} · session <code>{run.session_id}</code> · started {formatTime(run.created_at)}
        </p>
      ) : null}
      {requests.map((request) => (
        <ApprovalCard
          key={request.request_id}
          api={api}
          runId={runId}
          request={request}
          answered={answers.get(request.request_id) ?? (isTerminal(status) ? 'expired' : null)}
        />
      ))}
      {terminal ? (
        <p class={`outcome outcome-${status}`} role="status">
          Run {status}
          {denied ? ' — the approval was denied' : ''}
          {terminal.data.error ? `: ${terminal.data.error}` : ''}
        </p>
      ) : null}
      <h4>Output</h4>
      <pre class="output">{output || run?.output || ''}</pre>
      <details open>
        <summary>Events ({events.length})</summary>
        <ol class="events">
          {events.map((e) => (
            <li key={e.id ?? e.event}>
              <code>{e.event}</code> <EventSummary event={e} />
            </li>
          ))}
        </ol>
      </details>
      <ErrorNote error={error} />
    </article>
  );
}

function EventSummary({ event: { event, data } }: { event: RunEvent }) {
  switch (event) {
    case 'message.delta':
    case 'reasoning.delta':
      return <span>{String(data.delta)}</span>;
    case 'tool.started':
      return <span>{data.preview ?? data.tool}</span>;
    case 'tool.completed':
      return <span>{data.error ? 'failed' : 'done'}</span>;
    case 'approval.request':
      return <span>{data.command}</span>;
    case 'approval.responded':
      return <span>{data.choice === 'deny' ? 'denied' : `approved (${data.choice})`}</span>;
    default:
      return data.error ? <span>{String(data.error)}</span> : null;
  }
}
