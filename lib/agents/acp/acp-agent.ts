// The gateway's Agent over ACP (SDK 2.4.0): a pool of agent processes, sessions on them, one prompt
// at a time per session. Everything ACP-specific stays in this folder.
import { resolve } from 'node:path';
import * as acp from '@agentclientprotocol/sdk/unstable';
import type { EngineEvent } from '../../engine/port/engine-event.js';
import type { AgentConfig } from '../../generated/config.gen.js';
import type { Logger } from '../../log.js';
import type {
  Agent,
  AgentCapabilities,
  AgentDescription,
  AgentHealth,
  AgentSessionHandle,
  NewSessionOptions,
  PromptBlock,
  PromptOptions,
} from '../../engine/port/agent.js';
import { AgentProcess, errorMessage, type SpawnSpec } from './agent-process.js';
import { commandName } from './command-name.js';
import { type OpenSessionSettings, openSession } from './open-session.js';
import { ProcessPool } from './process-pool.js';
import { promptBlocksToContent, UnsupportedContentError } from './prompt-blocks.js';
import { PromptTurn } from './prompt-turn.js';
import { SessionQueue } from './session-queue.js';

const DEFAULT_CANCEL_TIMEOUT_S = 5;
const INITIALIZE_TIMEOUT_MS = 30_000;
/** newSession waits this long for a ready process while one restarts. */
const READY_WAIT_MS = 15_000;
/** Gateway secrets an agent has no business reading. */
const WITHHELD_ENV = ['API_SERVER_KEY', 'GATEWAY_UPSTREAM_KEY'];

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

  constructor(
    private readonly config: AgentConfig,
    logger: Logger,
  ) {
    this.baseLogger = logger;
    this.logger = logger.child({ agent: this.id });
    this.cwd = resolve(config.cwd ?? process.cwd());
    const spec: SpawnSpec = { command: config.command, args: config.args ?? [], cwd: this.cwd, env: agentEnv(config) };
    const label = (init: acp.InitializeResponse | null) => agentIdOf(config, init);
    this.pool = new ProcessPool(
      config.poolSize ?? 1,
      (key) => new AgentProcess(key, spec, logger, label, INITIALIZE_TIMEOUT_MS),
      () => this.logger,
      (proc) => this.onProcessReady(proc),
    );
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
    const proc = await this.pool.acquire(READY_WAIT_MS);
    const settings: OpenSessionSettings = {
      cwd: this.cwd,
      authMethodId: this.config.authMethodId,
      modelSelection: this.config.modelSelection ?? 'auto',
      agentId: this.id,
    };
    const sessionId = await openSession(proc, options, settings, this.logger.child({ process: proc.key }));
    return { agentId: this.id, sessionId, processKey: proc.key };
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

    const release = await this.queue.acquire(handle.sessionId, options.signal);
    if (!release) {
      // Cancelled while an earlier prompt on the session still ran: this one never reached the agent.
      yield {
        type: 'end',
        stopReason: 'cancelled',
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, estimated: true },
      };
      return;
    }
    // The process may have died while this prompt waited its turn.
    if (!this.isAlive(handle)) {
      release();
      yield sessionLost(handle);
      return;
    }

    const turn = new PromptTurn({
      process: proc,
      sessionId: handle.sessionId,
      content,
      onPermission: options.onPermission,
      cancelTimeoutMs: (this.config.cancelTimeoutSeconds ?? DEFAULT_CANCEL_TIMEOUT_S) * 1000,
      promptTimeoutMs: this.config.promptTimeoutSeconds ? this.config.promptTimeoutSeconds * 1000 : null,
      logger: this.logger.child({ process: proc.key, sessionId: handle.sessionId }),
      onWedged: (wedged, end) => this.pool.recycle(wedged, end),
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
    if (!proc?.sessions.delete(handle.sessionId)) return;
    if (!this.describe().capabilities.closeSession) return;
    try {
      await proc.rpc.request(acp.methods.agent.session.close, { sessionId: handle.sessionId });
    } catch (error) {
      this.logger.warn({ sessionId: handle.sessionId, err: errorMessage(error) }, 'session/close failed');
    }
  }

  stop(): Promise<void> {
    return this.pool.stop();
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
