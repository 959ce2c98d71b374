// Status: the models this key may use, what the gateway can do (/v1/capabilities) and its readiness
// (/health/detailed), in a readable form.
import { useState } from 'preact/hooks';
import type { Api, Schemas } from '../api.js';
import { ErrorNote, StatusBadge, usePoll } from '../ui.js';

type Health = Schemas['HealthDetailed'];
type Capabilities = { version?: string; features?: Record<string, unknown> };
/** One readiness check (store, agents, disk, runs): the fields shown. */
interface Check {
  status?: string;
  backend?: string;
  latency_ms?: number;
  error?: string;
  free_bytes?: number;
  used_percent?: number;
  active_runs?: number;
  max_concurrent_runs?: number;
  agents?: Array<{ id?: string; name?: string; status?: string }>;
}

export function StatusView({ api }: { api: Api }) {
  const [models, setModels] = useState<Schemas['ModelList'] | null>(null);
  const [capabilities, setCapabilities] = useState<Capabilities | null>(null);
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<unknown>(null);

  usePoll(
    async () => {
      try {
        const [m, c, h] = await Promise.all([
          api.call<Schemas['ModelList']>('GET', '/v1/models'),
          api.call<Capabilities>('GET', '/v1/capabilities'),
          api.call<Health>('GET', '/health/detailed'),
        ]);
        setModels(m);
        setCapabilities(c);
        setHealth(h);
        setError(null);
      } catch (failure) {
        setError(failure);
      }
    },
    10_000,
    [api],
  );

  const checks = (health?.readiness?.checks ?? {}) as Record<string, Check>;
  const features = (capabilities?.features ?? {}) as Record<string, unknown>;
  return (
    <section class="view status" aria-labelledby="status-title">
      <div class="toolbar">
        <h2 id="status-title">Status</h2>
        {health ? <StatusBadge status={health.status} /> : null}
        {capabilities ? <span class="muted">agent-gateway {capabilities.version}</span> : null}
      </div>
      <ErrorNote error={error} />
      <div class="grid">
        <section class="card" aria-labelledby="models-title">
          <h3 id="models-title">Models</h3>
          <ul>
            {(models?.data ?? []).map((m) => (
              <li key={m.id}>
                <code>{m.id}</code> <span class="muted">{m.owned_by}</span>
              </li>
            ))}
          </ul>
        </section>
        <section class="card" aria-labelledby="health-title">
          <h3 id="health-title">Readiness</h3>
          <dl>
            {Object.entries(checks).map(([name, check]) => (
              <div key={name} class="pair">
                <dt>{name}</dt>
                <dd>
                  <StatusBadge status={String(check.status)} /> <CheckDetail name={name} check={check} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
        <section class="card" aria-labelledby="features-title">
          <h3 id="features-title">Capabilities</h3>
          <ul class="features">
            {Object.entries(features).map(([name, value]) => (
              <li key={name}>
                <span aria-hidden="true">{enabled(value) ? '✓' : '·'}</span> {name.replace(/_/g, ' ')}
                {typeof value === 'string' ? (
                  <>
                    : <code>{value}</code>
                  </>
                ) : (
                  <span class="visually-hidden">{enabled(value) ? ': yes' : ': no'}</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </section>
  );
}

const enabled = (value: unknown) =>
  value === true ||
  (typeof value === 'string' && value !== '') ||
  (typeof value === 'object' && value !== null && (value as { supported?: unknown }).supported === true);

function CheckDetail({ name, check }: { name: string; check: Check }) {
  switch (name) {
    case 'store':
      return (
        <span>
          {check.backend}
          {typeof check.latency_ms === 'number' ? `, ${check.latency_ms} ms` : ''}
          {check.error ? ` — ${check.error}` : ''}
        </span>
      );
    case 'disk':
      return (
        <span>
          {Math.round(Number(check.free_bytes ?? 0) / 1024 ** 3)} GiB free, {check.used_percent}% used
        </span>
      );
    case 'runs':
      return (
        <span>
          {check.active_runs} of {check.max_concurrent_runs} run slots in use
        </span>
      );
    case 'agents':
      return <span>{(check.agents ?? []).map((a) => `${a.id ?? a.name}: ${a.status}`).join(', ') || 'no agents'}</span>;
    default:
      return null;
  }
}
