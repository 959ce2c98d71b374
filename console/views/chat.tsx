// Chat: one agent turn at a time in a session, streamed from POST /api/sessions/{id}/chat/stream — text as it comes,
// reasoning (tool.progress of `_thinking`) folded away, tool calls as they start and end, approvals inline, stop.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, type Schemas, type SseEvent, seg } from '../api.js';
import { ApprovalCard, type ApprovalRequest, ErrorNote } from '../ui.js';

interface ToolCall {
  id: string;
  name: string;
  preview: string | null;
  state: 'running' | 'completed' | 'failed';
}

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'tool'; tool: ToolCall }
  | { kind: 'approval'; request: ApprovalRequest };

interface Turn {
  key: number;
  role: 'user' | 'assistant';
  /** Text, tool calls and approval requests in the order they came. */
  parts: Part[];
  reasoning: string;
  /** streaming, then the run's end: completed, failed, cancelled; 'history' for stored messages. */
  state: string;
  runId: string | null;
  error: string | null;
}

/** The fields of the session stream's payloads this view reads (schemas/sessions.json, SessionStream*). */
interface StreamPayload {
  run_id?: string;
  delta?: string;
  tool_name?: string;
  tool_call_id?: string;
  preview?: string | null;
  content?: string;
  error?: string | null;
  message?: string;
}

/** Appends streamed text to the turn's last text part, or starts one after a tool call or approval. */
function appendText(t: Turn, delta: string): void {
  const last = t.parts.at(-1);
  if (last?.kind === 'text') last.text += delta;
  else if (delta) t.parts.push({ kind: 'text', text: delta });
}

const textOf = (t: Turn) => t.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
const toolsOf = (t: Turn) => t.parts.flatMap((p) => (p.kind === 'tool' ? [p.tool] : []));

let nextKey = 1;
const turn = (role: Turn['role'], text: string, state: string): Turn => ({
  key: nextKey++,
  role,
  parts: text ? [{ kind: 'text', text }] : [],
  reasoning: '',
  state,
  runId: null,
  error: null,
});

/** The text of a stored message's content (a string, or content parts). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
  }
  return '';
}

function historyTurns(messages: Schemas['SessionMessage'][]): Turn[] {
  const turns: Turn[] = [];
  for (const message of messages) {
    if (message.role !== 'user' && message.role !== 'assistant') continue;
    const text = contentText(message.content);
    if (!text && message.role === 'assistant') continue; // a tool-call row: its result is in the text that follows
    const t = turn(message.role, text, 'history');
    t.reasoning = message.reasoning_content ?? message.reasoning ?? '';
    turns.push(t);
  }
  return turns;
}

export function ChatView({
  api,
  models,
  sessionId,
  onSession,
}: {
  api: Api;
  models: string[];
  sessionId: string | null;
  onSession: (id: string | null) => void;
}) {
  const [model, setModel] = useState(models[0] ?? '');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [input, setInput] = useState('');
  const [busy, setBusy] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const current = useRef<Turn | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const created = useRef<string | null>(null);

  useEffect(() => {
    if (!model && models[0]) setModel(models[0]);
  }, [models]);

  // Continuing a session: its latest messages are the conversation so far.
  useEffect(() => {
    // The session this view just created for its first message: its turns are on screen already.
    if (sessionId !== null && sessionId === created.current) return;
    setTurns([]);
    setError(null);
    if (!sessionId) return;
    const controller = new AbortController();
    api
      .call<Schemas['SessionMessageList']>('GET', `/api/sessions/${seg(sessionId)}/messages?limit=50&order=latest`, {
        signal: controller.signal,
      })
      .then((page) => setTurns(historyTurns(page.data)))
      .catch((failure) => controller.signal.aborted || setError(failure));
    return () => controller.abort();
  }, [sessionId]);

  useEffect(() => {
    log.current?.scrollTo?.({ top: log.current.scrollHeight });
  }, [turns]);

  /** Applies a change to the streaming turn and re-renders. */
  const update = (change: (t: Turn) => void) => {
    const t = current.current;
    if (!t) return;
    change(t);
    setTurns((all) => all.map((x) => (x.key === t.key ? { ...t } : x)));
  };

  const onEvent = ({ event, data }: SseEvent) => {
    const payload = JSON.parse(data) as StreamPayload;
    switch (event) {
      case 'run.started':
        setRunId(payload.run_id ?? null);
        update((t) => {
          t.runId = payload.run_id ?? null;
        });
        break;
      case 'assistant.delta':
        update((t) => {
          appendText(t, String(payload.delta ?? ''));
        });
        break;
      case 'tool.progress':
        if (payload.tool_name === '_thinking') {
          update((t) => {
            t.reasoning += String(payload.delta ?? '');
          });
        }
        break;
      case 'tool.started':
        update((t) => {
          const tool: ToolCall = {
            id: payload.tool_call_id ?? '',
            name: payload.tool_name ?? 'tool',
            preview: payload.preview ?? null,
            state: 'running',
          };
          t.parts.push({ kind: 'tool', tool });
        });
        break;
      case 'tool.completed':
      case 'tool.failed':
        update((t) => {
          const tool = toolsOf(t).find((x) => x.id === payload.tool_call_id);
          const state = event === 'tool.failed' ? 'failed' : 'completed';
          if (tool) Object.assign(tool, { state, preview: payload.preview ?? tool.preview });
          else {
            const id = payload.tool_call_id ?? '';
            const ended: ToolCall = { id, name: payload.tool_name ?? 'tool', preview: payload.preview ?? null, state };
            t.parts.push({ kind: 'tool', tool: ended });
          }
        });
        break;
      case 'approval.request':
        update((t) => {
          t.parts.push({ kind: 'approval', request: payload as unknown as ApprovalRequest });
        });
        break;
      case 'assistant.completed':
        update((t) => {
          // The whole answer: shown as is when no delta came (else the deltas already spell it out).
          if (typeof payload.content === 'string' && payload.content && !textOf(t)) appendText(t, payload.content);
        });
        break;
      case 'run.completed':
      case 'run.failed':
      case 'run.cancelled':
        update((t) => {
          t.state = event.slice(4);
          t.error = payload.error ?? null;
        });
        break;
      case 'error':
        update((t) => {
          t.state = 'failed';
          t.error = payload.message ?? 'The stream failed.';
        });
        break;
    }
  };

  const send = async (event: Event) => {
    event.preventDefault();
    const message = input.trim();
    if (!message || busy) return;
    setBusy(true);
    setError(null);
    try {
      let id = sessionId;
      if (!id) {
        const session = await api.call<Schemas['SessionEnvelope']>('POST', '/api/sessions', { body: {} });
        id = session.session.id;
        created.current = id;
        onSession(id);
      }
      const user = turn('user', message, 'sent');
      const reply = turn('assistant', '', 'streaming');
      current.current = reply;
      setTurns((all) => [...all, user, reply]);
      setInput('');
      await api.stream(
        'POST',
        `/api/sessions/${seg(id)}/chat/stream`,
        { body: { message, ...(model ? { model } : {}) } },
        onEvent,
      );
      update((t) => {
        if (t.state === 'streaming') t.state = 'completed';
      });
    } catch (failure) {
      setError(failure);
      update((t) => {
        t.state = 'failed';
      });
    } finally {
      current.current = null;
      setRunId(null);
      setBusy(false);
    }
  };

  const stop = async () => {
    if (!runId) return;
    try {
      await api.call('POST', `/v1/runs/${seg(runId)}/stop`);
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section class="view chat" aria-labelledby="chat-title">
      <div class="toolbar">
        <h2 id="chat-title">Chat</h2>
        <label>
          Model{' '}
          <select value={model} onChange={(e) => setModel(e.currentTarget.value)} disabled={busy}>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <span class="session-id">
          {sessionId ? (
            <>
              Session <code>{sessionId}</code>
            </>
          ) : (
            'New session'
          )}
        </span>
        <button type="button" onClick={() => onSession(null)} disabled={busy}>
          New chat
        </button>
      </div>
      <div class="transcript" ref={log} aria-live="polite" aria-busy={busy}>
        {turns.length === 0 ? (
          <p class="hint">Send a message to start. The reply streams in as the agent writes it.</p>
        ) : null}
        {turns.map((t) => (
          <TurnView key={t.key} turn={t} api={api} />
        ))}
      </div>
      <ErrorNote error={error} />
      <form class="composer" onSubmit={send}>
        <label for="chat-input" class="visually-hidden">
          Message
        </label>
        <textarea
          id="chat-input"
          rows={3}
          value={input}
          placeholder="Message the agent (Ctrl+Enter sends)"
          onInput={(e) => setInput(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send(e);
          }}
        />
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy || !input.trim()}>
            Send
          </button>
          <button type="button" class="danger" onClick={stop} disabled={!runId}>
            Stop
          </button>
        </div>
      </form>
    </section>
  );
}

function TurnView({ turn: t, api }: { turn: Turn; api: Api }) {
  const who = t.role === 'user' ? 'You' : 'Agent';
  return (
    <article class={`turn turn-${t.role} turn-${t.state}`} aria-label={`${who} message`}>
      <header>
        <strong>{who}</strong>
        {t.role === 'assistant' && t.state !== 'history' ? <span class="turn-state">{t.state}</span> : null}
      </header>
      {t.reasoning ? (
        <details class="reasoning">
          <summary>Reasoning</summary>
          <pre>{t.reasoning}</pre>
        </details>
      ) : null}
      {t.parts.map((part, i) => (
        // Parts are only appended, so their position is a stable key.
        <PartView key={i} part={part} turn={t} api={api} />
      ))}
      {t.state === 'streaming' && t.parts.length === 0 ? <div class="text">…</div> : null}
      {t.error ? (
        <p class="error" role="alert">
          {t.error}
        </p>
      ) : null}
    </article>
  );
}

function PartView({ part, turn: t, api }: { part: Part; turn: Turn; api: Api }) {
  if (part.kind === 'text') return <div class="text">{part.text}</div>;
  if (part.kind === 'tool') {
    return (
      <div class={`tool tool-${part.tool.state}`}>
        <span class="label">Tool</span> <code>{part.tool.name}</code> <span class="tool-state">{part.tool.state}</span>
        {part.tool.preview ? <pre>{part.tool.preview}</pre> : null}
      </div>
    );
  }
  return (
    <ApprovalCard
      api={api}
      runId={part.request.run_id ?? t.runId ?? ''}
      request={part.request}
      answered={t.state !== 'streaming' ? 'expired' : null}
    />
  );
}
