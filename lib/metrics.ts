// The gateway's Prometheus metrics (prom-client) on a registry of its own, never the global default one: two
// gateways in one process (tests, library use) each count their own traffic. Built once by the composition root
// and handed to the layers that count (the door, the engine through a small interface). Labels are bounded values
// only — operation ids, agent and upstream names, status codes, reasons — never a key, a key name, a model or a path.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a turn reports while it runs (engine side; see TurnRunner). */
export interface TurnObserver {
  /** The first text delta of the turn arrived. */
  firstDelta(): void;
  /** The turn ended: `outcome` is the stop reason, or `error`. Idempotent. */
  end(outcome: string): void;
}

/**
 * How a turn got its agent session: the live one continued, the agent's own session resumed or loaded (after a
 * restart, or from another instance), a new one (first turn), or a new one seeded with the stored history.
 */
export type SessionMode = 'reused' | 'resumed' | 'loaded' | 'new' | 'seeded';

/** What the engine needs: one observer per agent turn, and how its session was set up. */
export interface TurnMetrics {
  turnStarted(agent: string): TurnObserver;
  sessionOpened(agent: string, mode: SessionMode): void;
}

/** Why a request was refused before any work: the per-key limits and the concurrency cap. */
export type Rejection = 'requests_per_minute' | 'concurrent_requests' | 'concurrency_cap';

/**
 * What became of a due job occurrence on this instance: its run started, it was skipped (missed beyond the grace
 * window), or it fired but its run could not start (no agent serves the job's model, the store refused the run).
 */
export type JobFiringOutcome = 'started' | 'skipped' | 'failed';

/** What the jobs scheduler counts (engine side; see JobScheduler). */
export interface JobMetrics {
  jobFired(outcome: JobFiringOutcome): void;
}

/** Where an open stream is served from. */
export type StreamKind = 'agent' | 'upstream';

/** How a turn forwarded to the instance owning its conversation ended: answered there, or the owner went away. */
export type ForwardOutcome = 'relayed' | 'lost';

/**
 * Why this instance took a conversation over from its owner: its heartbeat was gone, or it did not take a forwarded
 * turn (connection failed, no acknowledgement in time, refused while draining).
 */
export type TakeoverReason = 'gone' | 'unreachable' | 'timeout' | 'refused';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export class GatewayMetrics implements TurnMetrics, JobMetrics {
  readonly registry: Registry;
  private readonly httpRequests: Counter<'operation' | 'status_class' | 'status'>;
  private readonly httpDuration: Histogram<'operation' | 'status_class'>;
  private readonly turns: Counter<'agent' | 'outcome'>;
  private readonly sessionModes: Counter<'agent' | 'mode'>;
  private readonly turnDuration: Histogram<'agent' | 'outcome'>;
  private readonly firstDeltaSeconds: Histogram<'agent'>;
  private readonly activeTurns: Gauge<'agent'>;
  private readonly openStreams: Gauge<'kind'>;
  private readonly upstreamRequests: Counter<'upstream' | 'status'>;
  private readonly upstreamDuration: Histogram<'upstream'>;
  private readonly rejections: Counter<'reason'>;
  private readonly jobsFired: Counter<'outcome'>;
  private readonly sessionForwards: Counter<'outcome'>;
  private readonly sessionTakeovers: Counter<'reason'>;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.httpRequests = new Counter({
      name: 'gateway_http_requests_total',
      help: 'HTTP requests answered, by operation (operationId, or "none") and status.',
      labelNames: ['operation', 'status_class', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'gateway_http_request_duration_seconds',
      help: 'Time from a request arriving to its response finishing (or the client leaving), by operation.',
      labelNames: ['operation', 'status_class'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.turns = new Counter({
      name: 'gateway_agent_turns_total',
      help: 'Agent turns ended, by agent and outcome (the stop reason, or "error").',
      labelNames: ['agent', 'outcome'],
      registers,
    });
    this.sessionModes = new Counter({
      name: 'gateway_agent_session_continuations_total',
      help: 'Agent turns by how their session was set up: reused (live), resumed, loaded, new, seeded.',
      labelNames: ['agent', 'mode'],
      registers,
    });
    this.turnDuration = new Histogram({
      name: 'gateway_agent_turn_duration_seconds',
      help: 'Duration of agent turns, from admission to their end.',
      labelNames: ['agent', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.firstDeltaSeconds = new Histogram({
      name: 'gateway_agent_time_to_first_delta_seconds',
      help: 'Time from a turn starting to its first text delta.',
      labelNames: ['agent'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.activeTurns = new Gauge({
      name: 'gateway_active_turns',
      help: 'Agent turns running now.',
      labelNames: ['agent'],
      registers,
    });
    this.openStreams = new Gauge({
      name: 'gateway_open_streams',
      help: 'Streamed (SSE) responses open now: the gateway’s own (agent) or forwarded from an upstream.',
      labelNames: ['kind'],
      registers,
    });
    this.upstreamRequests = new Counter({
      name: 'gateway_upstream_requests_total',
      help: 'Requests forwarded to upstreams, by upstream and status ("error" when no response came).',
      labelNames: ['upstream', 'status'],
      registers,
    });
    this.upstreamDuration = new Histogram({
      name: 'gateway_upstream_request_duration_seconds',
      help: 'Time a forwarded request took, to the end of the upstream response.',
      labelNames: ['upstream'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.rejections = new Counter({
      name: 'gateway_rejections_total',
      help: 'Requests refused with 429 by a per-key rate limit or the concurrency cap, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.jobsFired = new Counter({
      name: 'gateway_jobs_fired_total',
      help: 'Due job occurrences handled by this instance, by outcome (started, skipped, failed).',
      labelNames: ['outcome'],
      registers,
    });
    this.sessionForwards = new Counter({
      name: 'gateway_session_turns_forwarded_total',
      help: 'Turns forwarded to the instance holding their conversation’s live agent session, by outcome (relayed, lost).',
      labelNames: ['outcome'],
      registers,
    });
    this.sessionTakeovers = new Counter({
      name: 'gateway_session_takeovers_total',
      help: 'Conversations this instance took over from their owner instance, by reason (gone, unreachable, timeout, refused).',
      labelNames: ['reason'],
      registers,
    });
    for (const kind of ['agent', 'upstream'] as const) this.openStreams.set({ kind }, 0);
  }

  request(operation: string | null, status: number, seconds: number): void {
    const op = operation ?? 'none';
    const statusClass = `${Math.floor(status / 100)}xx`;
    this.httpRequests.inc({ operation: op, status_class: statusClass, status: String(status) });
    this.httpDuration.observe({ operation: op, status_class: statusClass }, seconds);
  }

  sessionOpened(agent: string, mode: SessionMode): void {
    this.sessionModes.inc({ agent, mode });
  }

  sessionTurnForwarded(outcome: ForwardOutcome): void {
    this.sessionForwards.inc({ outcome });
  }

  sessionTakenOver(reason: TakeoverReason): void {
    this.sessionTakeovers.inc({ reason });
  }

  turnStarted(agent: string): TurnObserver {
    const started = performance.now();
    let first = false;
    let ended = false;
    this.activeTurns.inc({ agent });
    return {
      firstDelta: () => {
        if (first || ended) return;
        first = true;
        this.firstDeltaSeconds.observe({ agent }, (performance.now() - started) / 1000);
      },
      end: (outcome) => {
        if (ended) return;
        ended = true;
        this.activeTurns.dec({ agent });
        this.turns.inc({ agent, outcome });
        this.turnDuration.observe({ agent, outcome }, (performance.now() - started) / 1000);
      },
    };
  }

  /** A response turned into a stream (the request context calls it once per response). */
  streamOpened(kind: StreamKind): void {
    this.openStreams.inc({ kind });
  }

  /** That response closed. */
  streamClosed(kind: StreamKind): void {
    this.openStreams.dec({ kind });
  }

  upstream(name: string, status: number | 'error', seconds: number): void {
    this.upstreamRequests.inc({ upstream: name, status: String(status) });
    this.upstreamDuration.observe({ upstream: name }, seconds);
  }

  rejected(reason: Rejection): void {
    this.rejections.inc({ reason });
  }

  jobFired(outcome: JobFiringOutcome): void {
    this.jobsFired.inc({ outcome });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text: this gateway's metrics, then the process's (shared by every gateway of the process). */
  async render(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processRegistry().metrics()]);
    return `${own}${process}`;
  }
}

let processMetrics: Registry | null = null;

/**
 * The default process metrics (CPU, memory, event loop lag, GC, handles), collected once per process on a registry
 * of their own: collectDefaultMetrics starts an event-loop monitor and a GC observer that cannot be stopped, so one
 * set per gateway would pile up in a process that builds many gateways.
 */
function processRegistry(): Registry {
  if (processMetrics) return processMetrics;
  processMetrics = new Registry();
  collectDefaultMetrics({ register: processMetrics });
  return processMetrics;
}
