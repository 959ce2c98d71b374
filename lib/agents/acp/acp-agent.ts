// The gateway's Agent over ACP (SDK 2.4.0): a pool of agent processes, sessions on them, one prompt
// at a time per session. Everything ACP-specific stays in this folder.
import { resolve } from 'node:path';
import * as acp from '@agentclientprotocol/sdk/unstable';
import type { EngineEvent } from '../../engine/port/engine-event.js';
import type { AgentConfig } from '../../generated/config.gen.js';
import type { Logger } from '../../log.js';
import { AgentError } from '../../engine/port/agent-error.js';
import type {
  Agent,
  AgentCapabilities,
  AgentCommand,
  AgentDescription,
  AgentHealth,
  AgentSessionHandle,
  AgentToolset,
  NewSessionOptions,
  PromptBlock,
  PromptOptions,
  ReopenedSession,
} from '../../engine/port/agent.js';
import { ToolsetCatalog } from '../mcp/toolset-catalog.js';
import { AgentProcess, errorMessage, type ProcessEnd, type SpawnSpec } from './agent-process.js';
import { commandName } from './command-name.js';
import { forkSession, type OpenSessionSettings, openSession, reopenSession, toAcpMcpServers } from './open-session.js';
import { ProcessPool } from './process-pool.js';
import { promptBlocksToContent, UnsupportedContentError } from './prompt-blocks.js';
import { PromptTurn } from './prompt-turn.js';
import { SessionBookkeeping } from './session-bookkeeping.js';
import { SessionQueue } from './session-queue.js';
import { sendSteer } from './steer.js';

const DEFAULT_CANCEL_TIMEOUT_S = 5;
/**
 * How long a process may take to initialize, and how long a request waits for a ready one while a process starts or
 * restarts (`startTimeoutSeconds`): a request that arrives then waits instead of failing at once.
 */
const DEFAULT_START_TIMEOUT_S = 30;
/** A turn whose agent says nothing for this long ends with an error (`idleTimeoutSeconds`): generous, tools run long. */
const DEFAULT_IDLE_TIMEOUT_S = 1800;
/** Gateway secrets an agent has no business reading. */
const WITHHELD_ENV = ['API_SERVER_KEY', 'GATEWAY_UPSTREAM_KEY'];
/** How long a `/steer` may take to be answered (hermes answers at once, from its slash-command handler). */
const STEER_TIMEOUT_MS = 10_000;
/** How long listCommands waits for a probe session's available_commands_update. */
const COMMANDS_WAIT_MS = 2_000;
/** An agent that advertised nothing to a probe is asked again after this long, not on every listing. */
const COMMANDS_PROBE_INTERVAL_MS = 60_000;

export function createAcpAgent(config: AgentConfig, logger: Logger): AcpAgent {
  return new AcpAgent(config, logger);
}

export class AcpAgent implements Agent {
  private readonly pool: ProcessPool;
  private readonly queue = new SessionQueue();
  private readonly baseLogger: Logger;
  private logger: Logger;
  private readonly cwd: string;
  private initializeResponse: acp.InitializeResponse | null = null;
  private readonly bookkeeping = new SessionBookkeeping();
  /** `/steer` prompts in flight by session: the session's next prompt waits for them (one prompt at a time). */
  private readonly sideRequests = new Map<string, Promise<unknown>>();
  private commandsProbe: Promise<AgentCommand[]> | null = null;
  private lastProbeAt = Number.NEGATIVE_INFINITY;
  private readonly mcpServers: acp.McpServer[];
  private readonly toolsets: ToolsetCatalog;

  constructor(
    private readonly config: AgentConfig,
    logger: Logger,
  ) {
    this.baseLogger = logger;
    this.logger = logger.child({ agent: this.id });
    this.cwd = resolve(config.cwd ?? process.cwd());
    this.mcpServers = toAcpMcpServers(config.mcpServers);
    this.toolsets = new ToolsetCatalog(config.mcpServers ?? [], {
      cwd: this.cwd,
      log: () => this.logger,
    });
    const spec: SpawnSpec = { command: config.command, args: config.args ?? [], cwd: this.cwd, env: agentEnv(config) };
    const label = (init: acp.InitializeResponse | null) => agentIdOf(config, init);
    this.pool = new ProcessPool(
      config.poolSize ?? 1,
      (key) =>
        new AgentProcess(key, spec, logger, label, this.startTimeoutMs, (sessionId, update) =>
          this.bookkeeping.observe(key, sessionId, update),
        ),
      () => this.logger,
      (proc) => this.onProcessReady(proc),
    );
  }

  private get startTimeoutMs(): number {
    return (this.config.startTimeoutSeconds ?? DEFAULT_START_TIMEOUT_S) * 1000;
  }

  /** config.name, else the agent's own name once known, else the command's name (interpreter skipped). */
  get id(): string {
    return agentIdOf(this.config, this.initializeResponse);
  }

  start(): Promise<void> {
    return this.pool.start();
  }

  describe(): AgentDescription {
    const info = this.initializeResponse?.agentInfo ?? null;
    return {
      id: this.id,
      agentName: info?.name ?? null,
      agentVersion: info?.version ?? null,
      capabilities: initializeToCapabilities(this.initializeResponse),
      commands: [...(this.bookkeeping.commands ?? [])],
    };
  }

  health(): AgentHealth {
    const pool = this.pool.health();
    let status: AgentHealth['status'] = 'down';
    if (pool.ready > 0) status = 'up';
    else if (this.pool.isStarted && pool.starting) status = 'starting';
    return {
      id: this.id,
      status,
      processes: pool.processes,
      ready: pool.ready,
      restarts: pool.restarts,
      lastError: pool.lastError,
    };
  }

  async newSession(options: NewSessionOptions): Promise<AgentSessionHandle> {
    // Start lazily, so a caller that skipped start() still gets a session.
    if (!this.pool.isStarted) await this.start().catch(() => {}); // acquire() below reports the failure
    const deadline = Date.now() + this.startTimeoutMs;
    for (;;) {
      const proc = await this.pool.acquire(Math.max(0, deadline - Date.now()));
      try {
        const logger = this.logger.child({ process: proc.key });
        const sessionId = await openSession(proc, options, this.openSettings(), logger);
        return { agentId: this.id, sessionId, processKey: proc.key };
      } catch (error) {
        // The process went (or is being replaced) under session/new: wait for its successor, within the deadline.
        if (proc.isReady || Date.now() >= deadline) throw error;
        this.logger.info(
          { process: proc.key, err: errorMessage(error) },
          'session/new hit a process that went; retrying',
        );
      }
    }
  }

  /** The fork lives in the source's process: the agent holds the source's state there. */
  async forkSession(handle: AgentSessionHandle): Promise<AgentSessionHandle> {
    if (!this.describe().capabilities.fork) throw AgentError.failed(`the agent ${this.id} cannot fork sessions`);
    const proc = this.pool.find(handle.processKey);
    if (!proc?.sessions.has(handle.sessionId)) {
      throw new AgentError('session_lost', `session ${handle.sessionId} is gone: its agent process ended`);
    }
    const sessionId = await forkSession(proc, handle.sessionId, this.openSettings());
    return { agentId: this.id, sessionId, processKey: proc.key };
  }

  async reopenSession(sessionId: string, options: NewSessionOptions): Promise<ReopenedSession> {
    if (!this.pool.isStarted) await this.start().catch(() => {}); // acquire() below reports the failure
    const caps = this.describe().capabilities;
    if (this.initializeResponse && !caps.loadSession && !caps.resumeSession) {
      throw AgentError.failed(`the agent ${this.id} can neither load nor resume sessions`);
    }
    const proc = await this.pool.acquire(this.startTimeoutMs);
    const via = await reopenSession(
      proc,
      sessionId,
      options,
      this.openSettings(),
      this.logger.child({ process: proc.key }),
    );
    return { handle: { agentId: this.id, sessionId, processKey: proc.key }, via };
  }

  isAlive(handle: AgentSessionHandle): boolean {
    return this.pool.find(handle.processKey)?.sessions.has(handle.sessionId) ?? false;
  }

  /**
   * Lazy, like any async generator: the prompt joins its session's queue when iteration starts.
   * Leaving the loop early cancels the turn (session/cancel); the session stays busy until the agent
   * has answered that cancel.
   */
  async *prompt(handle: AgentSessionHandle, blocks: PromptBlock[], options: PromptOptions): AsyncIterable<EngineEvent> {
    const proc = this.pool.find(handle.processKey);
    if (!proc?.sessions.has(handle.sessionId)) {
      yield sessionLost(handle);
      return;
    }
    let content: acp.ContentBlock[];
    try {
      const image = this.describe().capabilities.image;
      content = promptBlocksToContent(blocks, { slashCommandGuard: this.config.slashCommandGuard ?? false, image });
    } catch (error) {
      if (!(error instanceof UnsupportedContentError)) throw error;
      yield { type: 'error', code: 'agent_error', message: error.message };
      return;
    }

    // A free session is taken without yielding: the prompt should reach the agent before the caller goes on to
    // open its response (every await here lets that work run first).
    const release =
      this.queue.tryAcquire(handle.sessionId, options.signal) ??
      (await this.queue.acquire(handle.sessionId, options.signal));
    if (!release) {
      // Cancelled while an earlier prompt on the session still ran: this one never reached the agent.
      yield {
        type: 'end',
        stopReason: 'cancelled',
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, estimated: true },
      };
      return;
    }
    // A `/steer` the agent may have taken as a prompt of its own (the turn ended as it arrived) must end first.
    const sideRequest = this.sideRequests.get(handle.sessionId);
    if (sideRequest) await sideRequest;
    // The process may have died while this prompt waited its turn.
    if (!this.isAlive(handle)) {
      release();
      yield sessionLost(handle);
      return;
    }

    let logger: Logger | undefined;
    const parent = this.logger;
    const turn = new PromptTurn({
      process: proc,
      sessionId: handle.sessionId,
      content,
      onPermission: options.onPermission,
      cancelTimeoutMs: (this.config.cancelTimeoutSeconds ?? DEFAULT_CANCEL_TIMEOUT_S) * 1000,
      promptTimeoutMs: this.config.promptTimeoutSeconds ? this.config.promptTimeoutSeconds * 1000 : null,
      idleTimeoutMs: (this.config.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_S) * 1000,
      // Made when the turn first logs (most never do): a pino child per prompt showed in the turn's profile.
      get logger() {
        logger ??= parent.child({ process: proc.key, sessionId: handle.sessionId });
        return logger;
      },
      onAbandoned: (wedged, sessionId, end) => void this.abandonSession(wedged, sessionId, end),
    });
    // The lane stays taken until the agent has answered, even if our reader leaves early.
    void turn.run().finally(release);
    const onAbort = () => turn.cancel('the caller aborted the turn');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    try {
      yield* turn.events;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (!turn.isFinished) turn.cancel('the reader stopped reading');
    }
  }

  async closeSession(handle: AgentSessionHandle): Promise<void> {
    const proc = this.pool.find(handle.processKey);
    this.bookkeeping.forget(handle.processKey, handle.sessionId);
    if (!proc?.sessions.delete(handle.sessionId)) return;
    if (!this.describe().capabilities.closeSession) return;
    try {
      await proc.rpc.request(acp.methods.agent.session.close, { sessionId: handle.sessionId });
    } catch (error) {
      this.logger.warn({ sessionId: handle.sessionId, err: errorMessage(error) }, 'session/close failed');
    }
  }

  /** hermes' `/steer`, sent beside the running turn (steer.ts); only while a turn runs on the session. */
  async steer(handle: AgentSessionHandle, text: string): Promise<boolean> {
    if (!this.describe().commands.some((command) => command.name === 'steer')) return false;
    const proc = this.pool.find(handle.processKey);
    if (!proc?.sessions.has(handle.sessionId) || !proc.hasTurn(handle.sessionId)) return false;
    const logger = this.logger.child({ process: proc.key, sessionId: handle.sessionId });
    const sent = sendSteer(proc, handle.sessionId, text, STEER_TIMEOUT_MS, logger);
    const settled = sent.finally(() => {
      if (this.sideRequests.get(handle.sessionId) === settled) this.sideRequests.delete(handle.sessionId);
    });
    this.sideRequests.set(handle.sessionId, settled);
    return sent;
  }

  sessionTitle(handle: AgentSessionHandle): string | null {
    return this.bookkeeping.title(handle.processKey, handle.sessionId);
  }

  /**
   * Agents advertise commands per session: until one did, a probe session (closed again) asks for them, at most
   * once a minute, and only of a ready agent (a down one answers [] at once instead of waiting for a restart).
   */
  listCommands(timeoutMs = COMMANDS_WAIT_MS): Promise<AgentCommand[]> {
    const known = this.bookkeeping.commands;
    if (known) return Promise.resolve([...known]);
    if (this.commandsProbe) return this.commandsProbe;
    if (this.pool.health().ready === 0 || Date.now() - this.lastProbeAt < COMMANDS_PROBE_INTERVAL_MS) {
      return Promise.resolve([]);
    }
    this.lastProbeAt = Date.now();
    this.commandsProbe = this.probeCommands(timeoutMs).finally(() => {
      this.commandsProbe = null;
    });
    return this.commandsProbe;
  }

  listToolsets(options: { refresh?: boolean } = {}): Promise<AgentToolset[]> {
    return this.toolsets.list(options.refresh ?? false);
  }

  stop(): Promise<void> {
    return this.pool.stop();
  }

  private async probeCommands(timeoutMs: number): Promise<AgentCommand[]> {
    let probe: AgentSessionHandle | null = null;
    try {
      probe = await this.newSession({});
      return [...((await this.bookkeeping.waitForCommands(timeoutMs)) ?? [])];
    } catch (error) {
      this.logger.warn({ err: errorMessage(error) }, 'could not open a session to learn the agent commands');
      return [];
    } finally {
      if (probe) await this.closeSession(probe);
    }
  }

  /**
   * A session whose agent ignored a cancel is closed and forgotten (its conversation is seeded again on a fresh one
   * next time). Its process is replaced only if it no longer answers at all: its other sessions' turns go on.
   */
  private async abandonSession(proc: AgentProcess, sessionId: string, end: ProcessEnd): Promise<void> {
    const logger = this.logger.child({ process: proc.key, sessionId });
    logger.warn({ reason: end.message }, 'abandoning a wedged agent session');
    this.bookkeeping.forget(proc.key, sessionId);
    if (proc.sessions.delete(sessionId) && this.describe().capabilities.closeSession) {
      // Not awaited: an agent wedged on this session may never answer the close either.
      proc.rpc
        .request(acp.methods.agent.session.close, { sessionId })
        .catch((error: unknown) =>
          logger.debug({ err: errorMessage(error) }, 'session/close of a wedged session failed'),
        );
    }
    const cancelTimeoutMs = (this.config.cancelTimeoutSeconds ?? DEFAULT_CANCEL_TIMEOUT_S) * 1000;
    if (await proc.answers(cancelTimeoutMs)) return;
    if (proc.state === 'dead') return; // it went on its own; the pool restarts it
    this.pool.recycle(proc, {
      code: 'agent_crashed',
      message: `the agent process stopped answering (${end.message}); restarting it`,
    });
  }

  private openSettings(): OpenSessionSettings {
    return {
      cwd: this.cwd,
      authMethodId: this.config.authMethodId,
      modelSelection: this.config.modelSelection ?? 'auto',
      agentId: this.id,
      mcpServers: this.mcpServers,
    };
  }

  private onProcessReady(proc: AgentProcess): void {
    const before = this.id;
    this.initializeResponse = proc.initializeResponse;
    if (this.id !== before) this.logger = this.baseLogger.child({ agent: this.id });
  }
}

function agentIdOf(config: AgentConfig, init: acp.InitializeResponse | null): string {
  return config.name ?? init?.agentInfo?.name ?? commandName(config.command, config.args);
}

export function initializeToCapabilities(init: acp.InitializeResponse | null): AgentCapabilities {
  const caps = init?.agentCapabilities;
  const session = caps?.sessionCapabilities;
  return {
    image: caps?.promptCapabilities?.image === true,
    systemPrompt: Boolean(session?.systemPrompt),
    loadSession: caps?.loadSession === true,
    resumeSession: Boolean(session?.resume),
    listSessions: Boolean(session?.list),
    closeSession: Boolean(session?.close),
    fork: Boolean(session?.fork),
  };
}

function sessionLost(handle: AgentSessionHandle): EngineEvent {
  return {
    type: 'error',
    code: 'session_lost',
    message: `session ${handle.sessionId} is gone: its agent process ended`,
  };
}

function agentEnv(config: AgentConfig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...config.env };
  for (const name of WITHHELD_ENV) if (!config.env?.[name]) delete env[name];
  return env;
}
