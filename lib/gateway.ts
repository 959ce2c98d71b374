// The composition root: assembles a gateway from a config (store, agents, engine, operations, the pipeline) and
// its shutdown. `createGateway` gives the handler to mount in any node:http server or express app; `startGateway`
// also listens.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Agent } from './engine/port/agent.js';
import { createOperations, type OperationTable } from './api/operations.js';
import type { Services } from './api/services.js';
import type { GatewayConfig, ProfileConfig } from './config/config.js';
import { checkProfiles } from './config/load-config.js';
import { type Admission, createAdmission } from './engine/admission.js';
import { AgentRegistry } from './engine/agent-registry.js';
import { ApprovalRegistry } from './engine/approval-registry.js';
import { retentionOf } from './config/retention.js';
import { Conversations } from './engine/conversations.js';
import { createRunCommandChannel } from './engine/runs/create-run-command-channel.js';
import { createRunJournal } from './engine/runs/create-run-journal.js';
import { RunRegistry } from './engine/runs/run-registry.js';
import { JobScheduler } from './engine/jobs/job-scheduler.js';
import { Jobs } from './engine/jobs/jobs.js';
import { checkTimeZone } from './engine/jobs/time-zone.js';
import { TurnRunner } from './engine/turn-runner.js';
import { LocalSessionOwnership, type SessionOwnership } from './engine/session-ownership.js';
import { RedisSessionOwnership } from './engine/session-ownership-redis.js';
import { PeerForwarder } from './http/peer-forward.js';
import { rateLimit } from './http/rate-limit.js';
import { MemoryRateLimitStore, RedisRateLimitStore } from './http/rate-limit-store.js';
import { type Contract, loadContract } from './http/contract.js';
import type { ResponseViolation } from './http/response-check.js';
import type { Logger } from './log.js';
import { GatewayMetrics } from './metrics.js';
import { answerNotFound, createPipeline, type GatewayHandler } from './http/pipeline.js';
import { handleClientErrors } from './http/client-error.js';
import { streamLimits } from './sse.js';
import { ModelRouter } from './http/routing.js';
import { createStore, type Store } from './store/keyv.js';
import { createRunIdempotencyRepo } from './store/run-idempotency-repo.js';
import { createJobStore } from './store/job-store.js';
import { newId } from './api/ids.js';
import type { SessionStore } from './store/session-store.js';
import { RunEventEncoder } from './api/runs/run-event-encoder.js';
import { answerFor } from './api/runs/respond-run-approval.js';

export interface GatewayOptions {
  logger: Logger;
  /** Builds the agent adapters for the configured agents (ACP by default). */
  createAgents?: (config: GatewayConfig, logger: Logger) => Agent[];
  onResponseViolation?: (violation: ResponseViolation) => void;
  /** Another layout for the session store (benchmarks compare layouts through the whole gateway). */
  createSessionStore?: (store: Store) => SessionStore;
  /** Tests: the jobs scheduler's clock, its Redis key prefix, and a hook between claiming an occurrence and starting it. */
  jobs?: {
    now?: () => number;
    redisPrefix?: string;
    afterClaim?: (jobId: string, due: number) => void | Promise<void>;
  };
}

export interface Gateway {
  /**
   * Answers every request it is given: a node:http request listener, and an express-compatible handler
   * (`app.use('/agents', gateway.handler)`; paths are read relative to the mount point).
   */
  handler: GatewayHandler;
  services: Services;
  contract: Contract;
  operations: OperationTable;
  /** The profiles (`/p/<name>/…`), each a gateway of its own: keys, agents, state. */
  profiles: ReadonlyMap<string, Gateway>;
  /**
   * Starts the background work (the jobs scheduler). startGateway calls it once listening; a host that mounts
   * `handler` in its own server calls it when it serves. Calling it again does nothing.
   */
  start(): void;
  /** Refuses new work (503) and settles runs; then releases agents, upstreams and the store. */
  close(): Promise<void>;
}

export interface RunningGateway extends Omit<Gateway, 'close'> {
  url: string;
  server: Server;
  /** Refuses new work (503), waits for in-flight requests up to `graceMs`, then releases everything. */
  close(graceMs?: number): Promise<void>;
}

export async function createGateway(config: GatewayConfig, options: GatewayOptions): Promise<Gateway> {
  checkProfiles(config);
  // One registry for the gateway and its profiles (not prom-client's global one: two gateways in a process never
  // clash); /metrics of any profile shows it.
  const metrics = new GatewayMetrics();
  const base = await assemble(config, options, metrics);
  const profiles = new Map<string, Gateway>();
  try {
    for (const profile of config.profiles ?? []) {
      const logger = options.logger.child({ profile: profile.name });
      const scoped = profileConfig(config, profile);
      profiles.set(profile.name, await assemble(scoped, { ...options, logger }, metrics, `profile:${profile.name}:`));
    }
  } catch (error) {
    await Promise.allSettled([base, ...profiles.values()].map((gateway) => gateway.close()));
    throw error;
  }
  if (profiles.size === 0) return base; // no profiles: the one gateway, as it always was

  const notFound = answerNotFound({ corsOrigins: config.corsOrigins, logger: options.logger, metrics });
  // `/p/<name>/rest` is `/rest` to that profile's own pipeline (its keys, agents and state); any other name is 404.
  const handler: GatewayHandler = (req, res, next) => {
    const url = req.url ?? '/';
    if (!url.startsWith('/p/')) return base.handler(req, res, next);
    const end = url.slice(3).search(/[/?#]/);
    const name = end < 0 ? url.slice(3) : url.slice(3, 3 + end);
    const profile = profiles.get(name);
    if (!profile) return notFound(req, res);
    const rest = end < 0 ? '' : url.slice(3 + end);
    const carrier = req as typeof req & { originalUrl?: string };
    carrier.originalUrl ??= url;
    req.url = rest.startsWith('/') ? rest : `/${rest}`;
    profile.handler(req, res, next);
  };
  const all = [base, ...profiles.values()].map((gateway) => (gateway as WithLifecycle)[LIFECYCLE]);
  const drain = async () => void (await Promise.all(all.map((lifecycle) => lifecycle.drain())));
  const release = async () => void (await Promise.allSettled(all.map((lifecycle) => lifecycle.release())));
  const start = () => {
    for (const lifecycle of all) lifecycle.start();
  };
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= drain().then(release);
    return closing;
  };
  return { ...base, handler, profiles, start, close, [LIFECYCLE]: { start, drain, release } } as Gateway;
}

/** A profile's config: the top level with the profile's keys, agents, upstreams and routes, and its own state. */
function profileConfig(config: GatewayConfig, profile: ProfileConfig): GatewayConfig {
  const { profiles: _, modelName, ...shared } = config;
  // Its own data dir under the gateway's; SQLite state in a file of its own there, memory in its own maps.
  const dataDir = join(config.dataDir, 'profiles', profile.name);
  const store = config.store.startsWith('sqlite://') ? `sqlite://${join(dataDir, 'gateway.sqlite')}` : config.store;
  const name = profile.modelName ?? (profile.agents ? undefined : modelName);
  return {
    ...shared,
    dataDir,
    store,
    keys: profile.keys,
    agents: profile.agents ?? config.agents,
    upstreams: profile.upstreams ?? config.upstreams,
    routes: profile.routes ?? config.routes,
    ...(name ? { modelName: name } : {}),
  };
}

async function assemble(
  config: GatewayConfig,
  options: GatewayOptions,
  metrics: GatewayMetrics,
  storePrefix?: string,
): Promise<Gateway> {
  const { logger } = options;
  const contract = loadContract();
  const store = await createStore(config.store, {
    dataDir: config.dataDir,
    logger,
    namespacePrefix: storePrefix,
    connectTimeoutMs: (config.storeConnectTimeoutSeconds ?? 10) * 1000,
  });
  const agentList = options.createAgents?.(config, logger) ?? [];
  await Promise.all(
    agentList.map((agent) =>
      agent
        .start()
        .catch((error: Error) => logger.error({ agent: agent.id, err: error.message }, 'agent failed to start')),
    ),
  );
  let draining = false;
  const agents = new AgentRegistry(agentList);
  const router = new ModelRouter(config, { logger, agentIds: () => agents.ids() });
  // The jobs scheduler waits on the cap without counting its retries as refusals.
  const sharedAdmission = createAdmission(
    config.maxConcurrentRuns,
    store.redis,
    logger.child({ component: 'admission' }),
  );
  const admission = countingRefusals(sharedAdmission, metrics);
  const retention = retentionOf(config);
  // Several instances on one Redis: the one holding a conversation's live session owns its turns (issue 18).
  const instances = sharedInstances(config, store, logger);
  let ownership: SessionOwnership = new LocalSessionOwnership();
  const conversations = new Conversations(
    store,
    {
      max: config.liveSessions.max,
      idleMs: config.liveSessions.idleSeconds * 1000,
      onEvict: (handle) => void agents.get(handle.agentId)?.closeSession(handle),
      // A live session opened here makes the conversation this instance's, unless another instance took it over
      // meanwhile (this one was stopped and woke up to a turn it had been too slow for).
      onHeld: (key, held) => {
        if (!held) return ownership.release(key);
        ownership.renew(key).catch((error: Error) => logger.warn({ err: error.message }, 'session claim failed'));
      },
    },
    options.createSessionStore?.(store),
    {
      idleMs: retention.sessionIdleMs,
      onError: (error) => logger.warn({ err: error.message }, 'retention sweep failed'),
    },
  );
  const turns = new TurnRunner({
    agents,
    admission,
    conversations,
    policy: config.approvals.policy,
    logger,
    metrics,
    replyBeforeRecord: store.redis === null,
    textDir: config.dataDir,
  });
  const approvals = new ApprovalRegistry({ timeoutMs: config.approvals.timeoutSeconds * 1000 });
  const runJournal = createRunJournal(
    store,
    {
      maxEvents: config.runs.journalMaxEvents,
      ttlMs: retention.runJournalMs,
    },
    logger,
  );
  const runIdempotency = createRunIdempotencyRepo(store, retention.runIdempotencyMs);
  const runCommands = createRunCommandChannel(store, logger.child({ component: 'runs' }));
  const runs = new RunRegistry({
    turns,
    approvals,
    journal: runJournal,
    store,
    idempotency: runIdempotency,
    encoderFor: (meta) => new RunEventEncoder({ ...meta, now: Date.now }),
    answerFor,
    commands: runCommands,
    statusTtlMs: retention.runStatusMs,
    stopTimeoutMs: config.runs.stopTimeoutSeconds * 1000,
    shared: store.backend === 'redis',
    ...(instances ? { presenceTtlMs: instances.ttlMs } : {}),
    agents,
    logger: logger.child({ component: 'runs' }),
  });
  await runs.start();
  if (instances && store.redis) {
    ownership = new RedisSessionOwnership({
      redis: store.redis,
      prefix: store.prefix,
      instance: runs.instance,
      isAlive: (instance) => runs.presence.isAlive(instance),
      // A claim outlives its live session's idle eviction; each turn renews it.
      claimTtlMs: config.liveSessions.idleSeconds * 1000 + instances.ttlMs,
      logger: logger.child({ component: 'instances' }),
    });
    if (!instances.url.includes('{port}')) ownership.advertise(instances.url);
  }
  const peers = instances ? new PeerForwarder({ secret: instances.secret, timeoutMs: instances.timeoutMs }) : null;
  const jobsConfig = config.jobs ?? {};
  const timeZone = jobsConfig.timezone ?? 'UTC';
  // UTC is always known; checking it would build an Intl formatter, which pages in megabytes of ICU data that a
  // gateway with no jobs never needs.
  if (timeZone !== 'UTC') checkTimeZone(timeZone);
  const jobStore = createJobStore(store, {
    redisPrefix: `${storePrefix ?? ''}${options.jobs?.redisPrefix ?? 'agw:jobs'}`,
  });
  const jobsNow = options.jobs?.now ?? Date.now;
  const jobs = new Jobs({ store: jobStore, runs, timeZone, now: jobsNow });
  const scheduler = new JobScheduler({
    store: jobStore,
    runs,
    admission: sharedAdmission,
    instance: runs.instance,
    timeZone,
    now: jobsNow,
    tickMs: (jobsConfig.tickSeconds ?? 1) * 1000,
    graceMs: (jobsConfig.graceWindowSeconds ?? 600) * 1000,
    leaseMs: (jobsConfig.claimLeaseSeconds ?? 15) * 1000,
    maxExecutions: jobsConfig.maxExecutions ?? 20,
    resolveAgent: (model) => {
      const target = router.decide(model, null, true);
      if (target.kind !== 'agent') throw new Error(`no agent serves ${model}`);
      return target.agentId;
    },
    newRunId: newId.run,
    logger: logger.child({ component: 'jobs' }),
    metrics,
    afterClaim: options.jobs?.afterClaim,
  });
  const services: Services = {
    config,
    store,
    logger,
    agents,
    admission,
    conversations,
    turns,
    approvals,
    runs,
    runJournal,
    runIdempotency,
    jobs,
    router,
    metrics,
    sessionOwnership: ownership,
    peers,
    startedAt: Date.now(),
    isDraining: () => draining,
  };
  const operations = createOperations(services, contract);
  const rateLimits = rateLimit({
    keys: config.keys,
    store: store.redis ? new RedisRateLimitStore(store.redis) : new MemoryRateLimitStore(),
    logger,
    metrics,
  });
  const handler = createPipeline({
    contract,
    handlers: operations,
    router,
    keys: config.keys,
    corsOrigins: config.corsOrigins,
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
    isDraining: () => draining,
    // A turn another instance forwarded here was counted there: its per-key limits are not taken twice.
    afterAuth: !rateLimits
      ? []
      : peers
        ? [(res, ctx) => (peers.isForwarded(res.req.headers) ? undefined : rateLimits(res, ctx))]
        : [rateLimits],
    onResponseViolation: options.onResponseViolation,
    metrics,
    publicOperations: new Set(config.metrics?.public ? ['getMetrics'] : []),
    streamLimits: streamLimits(config.streams, config.dataDir),
  });

  let closing: Promise<void> | null = null;
  const drain = async () => {
    draining = true;
    // Other instances stop forwarding turns here: conversations owned here are taken over where they arrive.
    await ownership.withdraw();
    // No new firings; a firing still waiting for a slot gives its occurrence up (another instance may take it).
    await scheduler.stop();
    // Runs settle first (their journals close, so event streams end) while the store is still open.
    await runs.shutdown().catch((error: Error) => logger.error({ err: error.message }, 'runs did not shut down'));
    // The jobs record how their executions ended (interrupted, for runs the shutdown cut short).
    await scheduler.idle(3000);
  };
  const release = async () => {
    // Chat turns that replied before their record are written before the agents and the store go.
    await conversations.recordsSettled();
    await Promise.allSettled(agentList.map((agent) => agent.stop()));
    router.close();
    peers?.close();
    await runJournal.dispose();
    await runCommands.dispose();
    await admission.dispose();
    conversations.dispose();
    await store.close();
  };
  const close = () => {
    closing ??= drain().then(release);
    return closing;
  };
  const start = () => scheduler.start();
  const profiles = new Map<string, Gateway>();
  return {
    handler,
    services,
    contract,
    operations,
    profiles,
    start,
    close,
    [LIFECYCLE]: { start, drain, release },
  } as Gateway;
}

interface SharedInstances {
  /** The advertised URL, `{port}` still in it when the listening port decides. */
  url: string;
  secret: string;
  /** How long an instance counts as alive after its last heartbeat (its conversations and runs stay its own). */
  ttlMs: number;
  /** How long a forwarded turn waits for the owner to take it. */
  timeoutMs: number;
}

/** Whether turns may be forwarded between instances: a Redis store, an advertised URL and the internal secret. */
function sharedInstances(config: GatewayConfig, store: Store, logger: Logger): SharedInstances | null {
  const instances = config.instances ?? {};
  const { advertisedUrl: url, internalSecret: secret, ownershipTtlSeconds, forwardTimeoutSeconds } = instances;
  if (!url || !secret) {
    if (url || secret) logger.warn('instances: advertisedUrl and internalSecret go together; turns are not forwarded');
    return null;
  }
  if (!store.redis) {
    logger.warn('instances: forwarding turns between instances needs a redis:// store; turns are not forwarded');
    return null;
  }
  return { url, secret, ttlMs: (ownershipTtlSeconds ?? 15) * 1000, timeoutMs: (forwardTimeoutSeconds ?? 5) * 1000 };
}

/** The admission, with its 429 refusals (the concurrency cap) counted. */
function countingRefusals(admission: Admission, metrics: GatewayMetrics): Admission {
  return {
    get max() {
      return admission.max;
    },
    acquire: () =>
      admission.acquire().catch((error: unknown) => {
        if ((error as { status?: number }).status === 429) metrics.rejected('concurrency_cap');
        throw error;
      }),
    active: () => admission.active(),
    dispose: () => admission.dispose(),
  };
}

/** How startGateway interleaves the server's shutdown between draining and releasing. */
const LIFECYCLE = Symbol('lifecycle');
type Lifecycle = { start(): void; drain(): Promise<void>; release(): Promise<void> };
type WithLifecycle = Gateway & { [LIFECYCLE]: Lifecycle };

export async function startGateway(config: GatewayConfig, options: GatewayOptions): Promise<RunningGateway> {
  const gateway = await createGateway(config, options);
  const { start, drain, release } = (gateway as WithLifecycle)[LIFECYCLE];
  const server = createServer((req, res) => gateway.handler(req, res));
  handleClientErrors(server, options.logger); // malformed HTTP: the envelope and the gateway head, then close
  server.keepAliveTimeout = 65_000; // longer than common proxies' idle timeout, so they never reuse a closed socket
  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  start(); // the jobs scheduler, once the gateway serves
  // An advertised URL written with `{port}` (port 0) is known now: the gateway and each profile advertise it.
  const advertised = config.instances?.advertisedUrl;
  if (advertised?.includes('{port}')) {
    const url = advertised.replaceAll('{port}', String(port));
    for (const each of [gateway, ...gateway.profiles.values()]) each.services.sessionOwnership.advertise(url);
  }

  let closing: Promise<void> | null = null;
  const close = (graceMs = 30_000) => {
    closing ??= (async () => {
      await drain();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets turn idle as their in-flight responses finish; close each as soon as it does.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearInterval(sweep);
      clearTimeout(timer);
      await release();
    })();
    return closing;
  };
  const { handler, services, contract, operations, profiles } = gateway;
  return { url: `http://${host}:${port}`, server, handler, services, contract, operations, profiles, start, close };
}
