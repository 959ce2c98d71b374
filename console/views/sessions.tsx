// Sessions: the key's sessions (search by title, pinned first, archived on request); one session with its messages
// in pages, rename, pin, archive, fork, delete, and continue it in Chat.
import { useEffect, useState } from 'preact/hooks';
import { type Api, type Schemas, seg } from '../api.js';
import { ErrorNote, formatTime } from '../ui.js';

type Session = Schemas['Session'];
type Message = Schemas['SessionMessage'];

const PAGE = 20;

export function SessionsView({
  api,
  selected,
  onSelect,
  onContinue,
}: {
  api: Api;
  selected: string | null;
  onSelect: (id: string | null) => void;
  onContinue: (id: string) => void;
}) {
  const [title, setTitle] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const [sessions, setSessions] = useState<Session[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const query = new URLSearchParams({ limit: '200' });
      if (title.trim()) query.set('title', title.trim());
      api
        .call<Schemas['SessionList']>('GET', `/api/sessions?${query}`, { signal: controller.signal })
        .then((list) => {
          setSessions(list.data);
          setError(null);
        })
        .catch((failure) => controller.signal.aborted || setError(failure));
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [title, version]);

  const shown = sessions.filter((s) => showArchived || !s.archived);
  const changed = (id: string | null) => {
    setVersion((v) => v + 1);
    if (id !== selected) onSelect(id);
  };

  return (
    <section class="view sessions" aria-labelledby="sessions-title">
      <div class="toolbar">
        <h2 id="sessions-title">Sessions</h2>
        <label>
          Search titles <input type="search" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.currentTarget.checked)} />{' '}
          Show archived
        </label>
      </div>
      <ErrorNote error={error} />
      <div class="split">
        <ul class="list" aria-label="Sessions">
          {shown.length === 0 ? <li class="hint">No sessions.</li> : null}
          {shown.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                class="row"
                aria-current={s.id === selected ? 'true' : undefined}
                onClick={() => onSelect(s.id)}
              >
                <span class="session-title">
                  {s.pinned ? (
                    <span title="pinned">
                      ★<span class="visually-hidden">pinned</span>{' '}
                    </span>
                  ) : null}
                  {s.title || <em>untitled</em>}
                  {s.archived ? <span class="muted"> (archived)</span> : null}
                </span>
                <span class="muted">
                  {s.message_count ?? 0} messages · {formatTime(s.last_active ?? s.started_at)}
                </span>
                {s.preview ? <span class="preview">{s.preview}</span> : null}
              </button>
            </li>
          ))}
        </ul>
        {selected ? (
          <SessionDetail key={selected} api={api} id={selected} onChanged={changed} onContinue={onContinue} />
        ) : null}
      </div>
    </section>
  );
}

function SessionDetail({
  api,
  id,
  onChanged,
  onContinue,
}: {
  api: Api;
  id: string;
  /** The list changed; the id to show now (a fork's child, or null once deleted). */
  onChanged: (id: string | null) => void;
  onContinue: (id: string) => void;
}) {
  const [session, setSession] = useState<Session | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [more, setMore] = useState(false);
  const [name, setName] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const path = `/api/sessions/${seg(id)}`;

  const load = async () => {
    const { session: s } = await api.call<Schemas['SessionEnvelope']>('GET', path);
    setSession(s);
    setName(s.title ?? '');
  };
  /** A page of messages before the ones shown (`latest` pages back from the newest; each page reads oldest first). */
  const loadPage = async (offset: number) => {
    const page = await api.call<Schemas['SessionMessageList']>(
      'GET',
      `${path}/messages?limit=${PAGE}&offset=${offset}&order=latest`,
    );
    setMessages((shown) => (offset === 0 ? page.data : [...page.data, ...shown]));
    setMore(page.data.length === PAGE);
  };
  useEffect(() => {
    Promise.all([load(), loadPage(0)]).catch(setError);
  }, [id]);

  /** Runs one change, then reloads; `next`: the session to show after it. */
  const act = async (change: () => Promise<string | null | undefined>) => {
    setBusy(true);
    setError(null);
    try {
      const next = await change();
      if (next === undefined) await load();
      onChanged(next === undefined ? id : next);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const patch = (body: Record<string, unknown>) =>
    act(async () => {
      await api.call('PATCH', path, { body });
      return undefined;
    });

  if (!session) {
    return (
      <article class="detail">
        <ErrorNote error={error} />
      </article>
    );
  }
  return (
    <article class="detail session-detail" aria-label={`Session ${id}`}>
      <header class="toolbar">
        <h3>{session.title || <em>untitled</em>}</h3>
        <code class="muted">{session.id}</code>
      </header>
      {session.parent_session_id ? (
        <p class="muted">
          Forked from <code>{session.parent_session_id}</code>
        </p>
      ) : null}
      {session.end_reason ? <p class="muted">Ended: {session.end_reason}</p> : null}
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void patch({ title: name.trim() === '' ? null : name.trim() });
        }}
      >
        <label>
          Title <input value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={200} />
        </label>
        <button type="submit" disabled={busy}>
          Rename
        </button>
      </form>
      <div class="buttons">
        <button type="button" class="primary" onClick={() => onContinue(id)}>
          Continue in chat
        </button>
        <button type="button" disabled={busy} onClick={() => void patch({ pinned: !session.pinned })}>
          {session.pinned ? 'Unpin' : 'Pin'}
        </button>
        <button type="button" disabled={busy} onClick={() => void patch({ archived: !session.archived })}>
          {session.archived ? 'Unarchive' : 'Archive'}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              const child = await api.call<Schemas['SessionEnvelope']>('POST', `${path}/fork`, { body: {} });
              return child.session.id;
            })
          }
        >
          Fork
        </button>
        {confirmDelete ? (
          <>
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  await api.call('DELETE', path);
                  return null;
                })
              }
            >
              Confirm delete
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        )}
      </div>
      <ErrorNote error={error} />
      <h4>Messages ({session.message_count ?? messages.length})</h4>
      {more ? (
        <button type="button" onClick={() => void loadPage(messages.length).catch(setError)}>
          Load older messages
        </button>
      ) : null}
      <ol class="messages">
        {messages.map((m, i) => (
          <li key={m.id ?? i} class={`message message-${m.role}`}>
            <span class="label">{m.role}</span>
            {m.tool_name ? <code> {m.tool_name}</code> : null}
            <div class="text">{messageText(m)}</div>
          </li>
        ))}
      </ol>
    </article>
  );
}

function messageText(message: Message): string {
  if (typeof message.content === 'string' && message.content) return message.content;
  if (Array.isArray(message.content)) {
    return message.content
      .map((part) => (part as { text?: unknown } | null)?.text)
      .filter((text) => typeof text === 'string')
      .join('');
  }
  const calls = message.tool_calls as Array<{ function?: { name?: string } }> | null | undefined;
  return calls?.length ? `calls ${calls.map((c) => c.function?.name ?? 'a tool').join(', ')}` : '';
}
