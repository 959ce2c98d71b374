// The console's frame: the key gate (a key is checked with GET /v1/models before it is kept), the sections, and what
// they share (the models, the session Chat continues, the run Runs shows).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, ApiError, type Schemas } from './api.js';
import { forgetKey, readKey, saveKey } from './key.js';
import { ErrorNote } from './ui.js';
import { ChatView } from './views/chat.js';
import { JobsView } from './views/jobs.js';
import { RunsView } from './views/runs.js';
import { SessionsView } from './views/sessions.js';
import { StatusView } from './views/status.js';

const TABS = ['chat', 'sessions', 'runs', 'jobs', 'status'] as const;
type Tab = (typeof TABS)[number];
const TITLES: Record<Tab, string> = {
  chat: 'Chat',
  sessions: 'Sessions',
  runs: 'Runs',
  jobs: 'Jobs',
  status: 'Status',
};

const tabOfHash = (): Tab => {
  const name = location.hash.replace(/^#\/?/, '');
  return (TABS as readonly string[]).includes(name) ? (name as Tab) : 'chat';
};

/** Checks a key against the gateway; resolves with the model ids it may use. */
async function modelsFor(api: Api): Promise<string[]> {
  const list = await api.call<Schemas['ModelList']>('GET', '/v1/models');
  return list.data.map((model) => model.id);
}

export function App({ base }: { base: string }) {
  const [key, setKey] = useState<string | null>(readKey);
  const [models, setModels] = useState<string[] | null>(null);
  const [keyError, setKeyError] = useState<unknown>(null);
  const [tab, setTab] = useState<Tab>(tabOfHash);
  const [chatSession, setChatSession] = useState<string | null>(null);
  const [session, setSession] = useState<string | null>(null);
  const [run, setRun] = useState<string | null>(null);
  const api = useMemo(() => (key ? new Api(base, key) : null), [key]);

  useEffect(() => {
    const onHash = () => setTab(tabOfHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  // A key kept from earlier in this tab is checked again: it may have been revoked since.
  useEffect(() => {
    if (!api || models) return;
    modelsFor(api)
      .then(setModels)
      .catch((error) => {
        setKeyError(error);
        if (error instanceof ApiError && error.unauthorized) {
          forgetKey();
          setKey(null);
        }
      });
  }, [api]);

  const connect = async (candidate: string) => {
    setKeyError(null);
    try {
      const found = await modelsFor(new Api(base, candidate));
      saveKey(candidate);
      setModels(found);
      setKey(candidate);
    } catch (error) {
      setKeyError(error);
    }
  };
  const signOut = () => {
    forgetKey();
    setKey(null);
    setModels(null);
    setKeyError(null);
  };
  const show = (next: Tab) => {
    history.replaceState(null, '', `#${next}`);
    setTab(next);
  };

  if (!api || !models) {
    return (
      <main class="gate">
        <h1>agent-gateway console</h1>
        {api && !keyError ? <p role="status">Checking the key…</p> : <KeyForm onKey={connect} error={keyError} />}
      </main>
    );
  }
  return (
    <div class="shell">
      <header class="top">
        <h1>agent-gateway</h1>
        <nav aria-label="Console sections">
          <ul>
            {TABS.map((name) => (
              <li key={name}>
                <a
                  href={`#${name}`}
                  aria-current={tab === name ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    show(name);
                  }}
                >
                  {TITLES[name]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="quiet" onClick={signOut}>
          Forget key
        </button>
      </header>
      <main>
        {/* Chat stays mounted: a reply keeps streaming while another section is shown. */}
        <div hidden={tab !== 'chat'}>
          <ChatView api={api} models={models} sessionId={chatSession} onSession={setChatSession} />
        </div>
        {tab === 'sessions' ? (
          <SessionsView
            api={api}
            selected={session}
            onSelect={setSession}
            onContinue={(id) => {
              setChatSession(id);
              show('chat');
            }}
          />
        ) : null}
        {tab === 'runs' ? <RunsView api={api} models={models} selected={run} onSelect={setRun} /> : null}
        {tab === 'jobs' ? (
          <JobsView
            api={api}
            models={models}
            onOpenRun={(id) => {
              setRun(id);
              show('runs');
            }}
          />
        ) : null}
        {tab === 'status' ? <StatusView api={api} /> : null}
      </main>
    </div>
  );
}

function KeyForm({ onKey, error }: { onKey: (key: string) => Promise<void>; error: unknown }) {
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="stack key-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!value.trim()) return;
        setBusy(true);
        await onKey(value.trim());
        setBusy(false);
      }}
    >
      <p>
        Paste an API key of this gateway. It is kept in this browser tab only (sessionStorage) and sent only in the
        <code> Authorization</code> header.
      </p>
      <label for="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        autocomplete="off"
        spellcheck={false}
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
      />
      <button type="submit" class="primary" disabled={busy || !value.trim()}>
        Open the console
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
