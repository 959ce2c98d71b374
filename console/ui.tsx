// Small pieces every view uses: error and status notes, times, a poller and the approval card.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, describeError, seg } from './api.js';

export function ErrorNote({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <p class="error" role="alert">
      {describeError(error)}
    </p>
  );
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);
export const isTerminal = (status: string) => TERMINAL.has(status);

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status.replace(/[^a-z_]/g, '')}`}>{status.replace(/_/g, ' ')}</span>;
}

/** Epoch seconds, epoch milliseconds or an ISO string, as local date and time; '' for nothing. */
export function formatTime(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const date =
    typeof value === 'number' ? new Date(value < 1e12 ? value * 1000 : value) : new Date(Number(value) || value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** Calls `load` now and every `ms` while the component is shown (and `active`); a slow load is never overlapped. */
export function usePoll(load: () => Promise<void>, ms: number, deps: unknown[], active = true): void {
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await latest.current().catch(() => undefined); // each view shows its own load errors
      if (!stopped) timer = setTimeout(tick, ms);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [...deps, active, ms]);
}

export interface ApprovalOption {
  option_id: string;
  name: string;
  kind: string;
}

/** A pending permission request, as approval.request events and run statuses carry it. */
export interface ApprovalRequest {
  run_id?: string;
  request_id?: string;
  command?: string;
  description?: string | null;
  choices: string[];
  options?: ApprovalOption[];
}

const CHOICE_LABELS: Record<string, string> = {
  once: 'Approve once',
  session: 'Approve for this session',
  always: 'Approve always',
  deny: 'Deny',
};

/** The agent's own option behind each choice (the gateway's mapping: allow_once, allow_always, reject_*). */
function optionFor(choice: string, options: ApprovalOption[]): ApprovalOption | undefined {
  const always = options.filter((o) => o.kind === 'allow_always');
  const session = always.find((o) => /session/i.test(`${o.option_id} ${o.name}`));
  switch (choice) {
    case 'once':
      return options.find((o) => o.kind === 'allow_once');
    case 'session':
      return session;
    case 'always':
      return always.find((o) => o !== session);
    case 'deny':
      return options.find((o) => o.kind === 'reject_once') ?? options.find((o) => o.kind === 'reject_always');
    default:
      return undefined;
  }
}

/**
 * The request with the agent's options as buttons; answers POST /v1/runs/{run_id}/approval with the choice and the
 * request id. `answered`: the choice already given (from the event stream or this card).
 */
export function ApprovalCard({
  api,
  runId,
  request,
  answered,
  onAnswered,
}: {
  api: Api;
  runId: string;
  request: ApprovalRequest;
  answered?: string | null;
  onAnswered?: (choice: string) => void;
}) {
  const [sending, setSending] = useState<string | null>(null);
  const [given, setGiven] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const done = given ?? answered ?? null;
  const answer = async (choice: string) => {
    setSending(choice);
    setError(null);
    try {
      await api.call('POST', `/v1/runs/${seg(runId)}/approval`, {
        body: { choice, ...(request.request_id ? { request_id: request.request_id } : {}) },
      });
      setGiven(choice);
      onAnswered?.(choice);
    } catch (failure) {
      setError(failure);
    } finally {
      setSending(null);
    }
  };
  const options = request.options ?? [];
  return (
    <section class={`approval${done ? ' approval-done' : ''}`} aria-label="Approval request">
      <h4>{done ? 'Permission request' : 'The agent asks for permission'}</h4>
      {request.command ? (
        <p>
          <span class="label">Command</span> <code class="command">{request.command}</code>
        </p>
      ) : null}
      {request.description && request.description !== request.command ? (
        <p>
          <span class="label">Description</span> {request.description}
        </p>
      ) : null}
      {done ? (
        <p class="approval-outcome" role="status">
          {done === 'deny' ? 'Denied' : done === 'expired' ? 'No longer pending' : `Approved (${done})`}
        </p>
      ) : (
        <div class="buttons">
          {request.choices.map((choice) => {
            const option = optionFor(choice, options);
            return (
              <button
                type="button"
                key={choice}
                data-choice={choice}
                class={choice === 'deny' ? 'danger' : 'primary'}
                disabled={sending !== null}
                title={CHOICE_LABELS[choice] ?? choice}
                onClick={() => void answer(choice)}
              >
                {option?.name ?? CHOICE_LABELS[choice] ?? choice}
              </button>
            );
          })}
        </div>
      )}
      <ErrorNote error={error} />
    </section>
  );
}
