// The gateway's Prometheus metrics (prom-client) on a registry of its own, never the global default one: two
// gateways in one process (tests, library use) each count their own traffic. Built once by the composition root
// and handed to the layers that count (the door, the engine through a small interface). Labels are bounded values
// only — operation ids, agent and upstream names, status codes, reasons — never a key, a key name, a model or a path.
// prom-client (CommonJS) is required when the first metric is counted: an idle gateway does not hold it.
import { createRequire } from 'node:module';
import type { Counter, Gauge, Histogram, Registry } from 'prom-client';

const promClient = () => createRequire(import.meta.url)('prom-client') as typeof import('prom-client');

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
  private instruments: Instruments | null = null;

  /** `registry`: where the metrics are registered (a new registry by default). */
  constructor(private readonly ownRegistry?: Registry) {}

  /** Built on first use: prom-client is loaded when the gateway first counts something, not at start-up. */
  private get m(): Instruments {
    this.instruments ??= instruments(this.ownRegistry);
    return this.instruments;
  }

  get registry(): Registry {
    return this.m.registry;
  }

  request(operation: string | null, status: number, seconds: number): void {
    const op = operation ?? 'none';
    const statusClass = `${Math.floor(status / 100)}xx`;
    this.m.httpRequests.inc({ operation: op, status_class: statusClass, status: String(status) });
    this.m.httpDuration.observe({ operation: op, status_class: statusClass }, seconds);
  }

  sessionOpened(agent: string, mode: SessionMode): void {
    this.m.sessionModes.inc({ agent, mode });
  }

  sessionTurnForwarded(outcome: ForwardOutcome): void {
    this.m.sessionForwards.inc({ outcome });
  }

  sessionTakenOver(reason: TakeoverReason): void {
    this.m.sessionTakeovers.inc({ reason });
  }

  turnStarted(agent: string): TurnObserver {
    const started = performance.now();
    let first = false;
    let ended = false;
    this.m.activeTurns.inc({ agent });
    return {
      firstDelta: () => {
        if (first || ended) return;
        first = true;
        this.m.firstDeltaSeconds.observe({ agent }, (performance.now() - started) / 1000);
      },
      end: (outcome) => {
        if (ended) return;
        ended = true;
        this.m.activeTurns.dec({ agent });
        this.m.turns.inc({ agent, outcome });
        this.m.turnDuration.observe({ agent, outcome }, (performance.now() - started) / 1000);
      },
    };
  }

  /** A response turned into a stream (the request context calls it once per response). */
  streamOpened(kind: StreamKind): void {
    this.m.openStreams.inc({ kind });
  }

  /** That response closed. */
  streamClosed(kind: StreamKind): void {
    this.m.openStreams.dec({ kind });
  }

  upstream(name: string, status: number | 'error', seconds: number): void {
    this.m.upstreamRequests.inc({ upstream: name, status: String(status) });
    this.m.upstreamDuration.observe({ upstream: name }, seconds);
  }

  rejected(reason: Rejection): void {
    this.m.rejections.inc({ reason });
  }

  jobFired(outcome: JobFiringOutcome): void {
    this.m.jobsFired.inc({ outcome });
  }

  get contentType(): string {
    return this.m.registry.contentType;
  }

  /** The exposition text: this gateway's metrics, then the process's (shared by every gateway of the process). */
  async render(): Promise<string> {
    const [own, process] = await Promise.all([this.m.registry.metrics(), processRegistry().metrics()]);
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
  const { Registry, collectDefaultMetrics } = promClient();
  processMetrics = new Registry();
  collectDefaultMetrics({ register: processMetrics });
  return processMetrics;
}

interface Instruments {
  registry: Registry;
  httpRequests: Counter<'operation' | 'status_class' | 'status'>;
  httpDuration: Histogram<'operation' | 'status_class'>;
  turns: Counter<'agent' | 'outcome'>;
  sessionModes: Counter<'agent' | 'mode'>;
  turnDuration: Histogram<'agent' | 'outcome'>;
  firstDeltaSeconds: Histogram<'agent'>;
  activeTurns: Gauge<'agent'>;
  openStreams: Gauge<'kind'>;
  upstreamRequests: Counter<'upstream' | 'status'>;
  upstreamDuration: Histogram<'upstream'>;
  rejections: Counter<'reason'>;
  jobsFired: Counter<'outcome'>;
  sessionForwards: Counter<'outcome'>;
  sessionTakeovers: Counter<'reason'>;
}

/** The metrics themselves, on `registry` (a new one by default). */
function instruments(registry: Registry = new (promClient().Registry)()): Instruments {
  const prom = promClient();
  const registers = [registry];
  const httpRequests = new prom.Counter({
    name: 'gateway_http_requests_total',
    help: 'HTTP requests answered, by operation (operationId, or "none") and status.',
    labelNames: ['operation', 'status_class', 'status'],
    registers,
  });
  const httpDuration = new prom.Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'Time from a request arriving to its response finishing (or the client leaving), by operation.',
    labelNames: ['operation', 'status_class'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const turns = new prom.Counter({
    name: 'gateway_agent_turns_total',
    help: 'Agent turns ended, by agent and outcome (the stop reason, or "error").',
    labelNames: ['agent', 'outcome'],
    registers,
  });
  const sessionModes = new prom.Counter({
    name: 'gateway_agent_session_continuations_total',
    help: 'Agent turns by how their session was set up: reused (live), resumed, loaded, new, seeded.',
    labelNames: ['agent', 'mode'],
    registers,
  });
  const turnDuration = new prom.Histogram({
    name: 'gateway_agent_turn_duration_seconds',
    help: 'Duration of agent turns, from admission to their end.',
    labelNames: ['agent', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const firstDeltaSeconds = new prom.Histogram({
    name: 'gateway_agent_time_to_first_delta_seconds',
    help: 'Time from a turn starting to its first text delta.',
    labelNames: ['agent'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const activeTurns = new prom.Gauge({
    name: 'gateway_active_turns',
    help: 'Agent turns running now.',
    labelNames: ['agent'],
    registers,
  });
  const openStreams = new prom.Gauge({
    name: 'gateway_open_streams',
    help: 'Streamed (SSE) responses open now: the gateway’s own (agent) or forwarded from an upstream.',
    labelNames: ['kind'],
    registers,
  });
  const upstreamRequests = new prom.Counter({
    name: 'gateway_upstream_requests_total',
    help: 'Requests forwarded to upstreams, by upstream and status ("error" when no response came).',
    labelNames: ['upstream', 'status'],
    registers,
  });
  const upstreamDuration = new prom.Histogram({
    name: 'gateway_upstream_request_duration_seconds',
    help: 'Time a forwarded request took, to the end of the upstream response.',
    labelNames: ['upstream'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const rejections = new prom.Counter({
    name: 'gateway_rejections_total',
    help: 'Requests refused with 429 by a per-key rate limit or the concurrency cap, by reason.',
    labelNames: ['reason'],
    registers,
  });
  const jobsFired = new prom.Counter({
    name: 'gateway_jobs_fired_total',
    help: 'Due job occurrences handled by this instance, by outcome (started, skipped, failed).',
    labelNames: ['outcome'],
    registers,
  });
  const sessionForwards = new prom.Counter({
    name: 'gateway_session_turns_forwarded_total',
    help: 'Turns forwarded to the instance holding their conversation’s live agent session, by outcome (relayed, lost).',
    labelNames: ['outcome'],
    registers,
  });
  const sessionTakeovers = new prom.Counter({
    name: 'gateway_session_takeovers_total',
    help: 'Conversations this instance took over from their owner instance, by reason (gone, unreachable, timeout, refused).',
    labelNames: ['reason'],
    registers,
  });
  for (const kind of ['agent', 'upstream'] as const) openStreams.set({ kind }, 0);
  return {
    registry,
    httpRequests,
    httpDuration,
    turns,
    sessionModes,
    turnDuration,
    firstDeltaSeconds,
    activeTurns,
    openStreams,
    upstreamRequests,
    upstreamDuration,
    rejections,
    jobsFired,
    sessionForwards,
    sessionTakeovers,
  };
}
