// One agent child process and its ACP connection: spawn, initialize once, route inbound traffic to
// the turn running on each session, forward stderr to the log, notice when it dies, kill it.
// Knows nothing of pools or restarts.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type Readable, Writable } from 'node:stream';
// The /unstable entry point: the gateway relies on unstable fields (PromptResponse.usage,
// session/new systemPrompt, sessionCapabilities.systemPrompt) and accepts every variant it types.
import * as acp from '@agentclientprotocol/sdk/unstable';
import type { Logger } from '../../log.js';
import { CANCELLED } from './permission-bridge.js';
import { UpdateLane } from './update-lane.js';

/** Where one session's inbound traffic goes while a prompt runs on it. */
export interface TurnRoute {
  onUpdate(update: acp.SessionUpdate): void;
  onPermission(params: acp.RequestPermissionRequest, signal: AbortSignal): Promise<acp.RequestPermissionResponse>;
}

/** Why a process is gone, in the terms of the engine's `error` event. */
export interface ProcessEnd {
  code: 'agent_crashed' | 'agent_unavailable';
  message: string;
}

export interface SpawnSpec {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export type ProcessState = 'starting' | 'ready' | 'dead';

/** Sees every session/update before it is routed (bookkeeping: advertised commands, titles). */
export type UpdateObserver = (sessionId: string, update: acp.SessionUpdate) => void;

/** Claims an update for a side request on the session (true: consumed, the turn never sees it). */
export type UpdateTap = (update: acp.SessionUpdate) => boolean;

const KILL_GRACE_MS = 2_000;
/** A request no agent implements (ACP reserves `_`-prefixed methods for extensions): its error reply is a pong. */
const PING_METHOD = '_agent_gateway/ping';
/** After the connection closed, how long the child may take to exit on its own. */
const EXIT_WAIT_MS = 1_000;
const CLIENT_INFO: acp.Implementation = { name: 'agent-gateway', version: process.env.npm_package_version ?? '0.0.0' };

export class AgentProcess {
  state: ProcessState = 'starting';
  /** Sessions created on this process and not closed. */
  readonly sessions = new Set<string>();
  initializeResponse: acp.InitializeResponse | null = null;
  readyAt: number | null = null;
  /** Resolves once the child is gone (exited, or never spawned). */
  readonly exited: Promise<ProcessEnd>;

  private child: ChildProcess | null = null;
  private connection: acp.ClientConnection | null = null;
  private readonly routes = new Map<string, TurnRoute>();
  private readonly taps = new Map<string, Set<UpdateTap>>();
  private end: ProcessEnd | null = null;
  private resolveExited!: (end: ProcessEnd) => void;
  private logger: Logger;

  constructor(
    readonly key: string,
    private readonly spec: SpawnSpec,
    private readonly parentLogger: Logger,
    /** The agent's name for the log, from what is known: the agent names itself only in `initialize`. */
    private readonly agentLabel: (init: acp.InitializeResponse | null) => string,
    private readonly initializeTimeoutMs: number,
    private readonly observe: UpdateObserver = () => {},
  ) {
    this.logger = parentLogger.child({ agent: agentLabel(null), process: key });
    this.exited = new Promise((resolve) => {
      this.resolveExited = resolve;
    });
  }

  /** Being replaced (it stopped answering): no new session is opened on it. */
  retiring = false;

  get isReady(): boolean {
    return this.state === 'ready' && !this.retiring;
  }

  /**
   * Whether the process still answers at all: any JSON-RPC reply to a request it does not know (ACP agents answer
   * -32601 to an unknown `_` extension method) within `timeoutMs`. A wedged session does not make a wedged process.
   */
  async answers(timeoutMs: number): Promise<boolean> {
    if (this.state !== 'ready' || !this.connection) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const reply = this.connection.agent.request<unknown>(PING_METHOD, {}).then(
      () => true,
      (error: unknown) => error instanceof acp.RequestError, // an error reply is an answer; a closed connection is not
    );
    try {
      return await Promise.race([reply, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The reason the process ended (or is being ended), once known. */
  get endReason(): ProcessEnd | null {
    return this.end;
  }

  /** Calls into the agent. Only valid after start(). */
  get rpc(): acp.ClientContext {
    if (!this.connection) throw new Error(`agent process ${this.key} was not started`);
    return this.connection.agent;
  }

  /** Spawns the child and runs `initialize`; on failure the child is killed and the promise rejects. */
  async start(): Promise<acp.InitializeResponse> {
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    const spawnFailed = new Promise<never>((_resolve, reject) => {
      child.once('error', (error) => {
        this.markDead({ code: 'agent_unavailable', message: `cannot run ${this.spec.command}: ${error.message}` });
        reject(error);
      });
    });
    spawnFailed.catch(() => {}); // observed through start()'s race below, or not at all once running
    child.once('exit', (code, signal) => this.markDead({ code: 'agent_crashed', message: exitMessage(code, signal) }));
    // EPIPE when the child dies while we write; the exit handler reports the death itself.
    child.stdin!.on('error', (error) => this.logger.debug({ err: error }, 'agent stdin closed'));
    this.forwardStderr(child);
    this.logger.info({ pid: child.pid, command: this.spec.command }, 'agent process spawned');

    const input = this.splitStdout(child.stdout!);
    const output = Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>;
    const connection = acp
      .client({ name: 'agent-gateway' })
      .onNotification(acp.methods.client.session.update, ({ params }) => this.routeUpdate(params))
      .onRequest(acp.methods.client.session.requestPermission, ({ params, signal }) =>
        this.routePermission(params, signal),
      )
      .connect(acp.ndJsonStream(output, input));
    this.connection = connection;
    // The connection closes first when the child dies (stdout ends before 'exit' fires); give the
    // exit status a moment to arrive. A connection that failed on its own (oversized message, broken
    // stream) leaves a live but useless process: that one is killed.
    connection.signal.addEventListener('abort', () => {
      const reap = setTimeout(() => {
        if (this.state !== 'dead') void this.kill({ code: 'agent_crashed', message: 'agent connection closed' });
      }, EXIT_WAIT_MS);
      reap.unref();
    });

    try {
      const init = await Promise.race([this.initialize(connection), spawnFailed]);
      this.initializeResponse = init;
      this.logger = this.parentLogger.child({ agent: this.agentLabel(init), process: this.key });
      this.state = 'ready';
      this.readyAt = Date.now();
      this.logger.info({ agentInfo: init.agentInfo ?? null, pid: child.pid }, 'agent process ready');
      return init;
    } catch (error) {
      await this.kill({ code: 'agent_unavailable', message: `agent failed to start: ${errorMessage(error)}` });
      throw error;
    }
  }

  /** Routes a session's updates and permission requests to its running turn; returns the detach function. */
  attachTurn(sessionId: string, route: TurnRoute): () => void {
    if (this.routes.has(sessionId)) throw new Error(`a turn is already running on session ${sessionId}`);
    this.routes.set(sessionId, route);
    return () => {
      if (this.routes.get(sessionId) === route) this.routes.delete(sessionId);
    };
  }

  /** True while a turn is attached to the session (a prompt is in flight). */
  hasTurn(sessionId: string): boolean {
    return this.routes.has(sessionId);
  }

  /**
   * Puts a tap in front of the session's turn, for a request sent beside it (a `/steer`): the updates the tap
   * claims never reach the turn. Returns the removal function.
   */
  tapSession(sessionId: string, tap: UpdateTap): () => void {
    let taps = this.taps.get(sessionId);
    if (!taps) {
      taps = new Set();
      this.taps.set(sessionId, taps);
    }
    taps.add(tap);
    return () => {
      taps.delete(tap);
      if (taps.size === 0 && this.taps.get(sessionId) === taps) this.taps.delete(sessionId);
    };
  }

  /** SIGTERM, then SIGKILL after 2 s; resolves when the child is gone. `end` names why, for the turns. */
  async kill(end: ProcessEnd): Promise<void> {
    this.end ??= end;
    const child = this.child;
    if (!child || this.state === 'dead' || child.exitCode !== null || child.signalCode !== null) {
      this.markDead(end);
      return;
    }
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    force.unref();
    await this.exited;
    clearTimeout(force);
  }

  private async initialize(connection: acp.ClientConnection): Promise<acp.InitializeResponse> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`initialize timed out after ${this.initializeTimeoutMs} ms`)),
        this.initializeTimeoutMs,
      );
    });
    try {
      const request = connection.agent.request(acp.methods.agent.initialize, {
        protocolVersion: acp.PROTOCOL_VERSION,
        clientCapabilities: {},
        clientInfo: CLIENT_INFO,
      });
      const init = await Promise.race([request, timeout]);
      if (init.protocolVersion !== acp.PROTOCOL_VERSION) {
        throw new Error(`agent speaks ACP version ${init.protocolVersion}, the gateway speaks ${acp.PROTOCOL_VERSION}`);
      }
      return init;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * session/update lines are routed here as they arrive (update-lane.ts); the SDK reads the rest. stdout is read in
   * flowing mode: what a turn cannot pass on at once waits in that turn's queue, never in the pipe, so one session's
   * slow reader does not hold up the agent's other sessions.
   */
  private splitStdout(stdout: Readable): ReadableStream<Uint8Array> {
    let toSdk!: ReadableStreamDefaultController<Uint8Array>;
    let open = true; // until stdout ends or fails, or the SDK closes the connection (cancel)
    const sdkInput = new ReadableStream<Uint8Array>({
      start(controller) {
        toSdk = controller;
      },
      cancel() {
        open = false;
      },
    });
    const lane = new UpdateLane(
      {
        update: (notification) => this.routeUpdate(notification),
        sdk: (bytes) => {
          if (open) toSdk.enqueue(bytes);
        },
      },
      this.logger,
    );
    // The first update of each read goes out at once; the rest of the read follows on the next macrotask, with
    // stdout paused meanwhile so that nothing overtakes it.
    const read = (chunk: Buffer, eager: boolean) => {
      const rest = lane.push(chunk, eager);
      if (!rest) return;
      stdout.pause();
      setImmediate(() => {
        read(rest, false);
        stdout.resume();
      });
    };
    stdout.on('data', (chunk: Buffer) => read(chunk, true));
    stdout.once('end', () => {
      lane.end();
      if (open) toSdk.close();
      open = false;
    });
    stdout.once('error', (error) => {
      if (open) toSdk.error(error);
      open = false;
    });
    return sdkInput;
  }

  private routeUpdate(params: acp.SessionNotification): void {
    this.observe(params.sessionId, params.update);
    for (const tap of this.taps.get(params.sessionId) ?? []) if (tap(params.update)) return;
    const route = this.routes.get(params.sessionId);
    if (route) {
      route.onUpdate(params.update);
      return;
    }
    // Between turns agents send bookkeeping (available commands, usage, titles); nobody is listening.
    this.logger.debug(
      { sessionId: params.sessionId, variant: params.update.sessionUpdate },
      'session/update outside a turn',
    );
  }

  private routePermission(
    params: acp.RequestPermissionRequest,
    signal: AbortSignal,
  ): Promise<acp.RequestPermissionResponse> | acp.RequestPermissionResponse {
    const route = this.routes.get(params.sessionId);
    if (route) return route.onPermission(params, signal);
    this.logger.warn({ sessionId: params.sessionId }, 'permission request outside a turn; answering cancelled');
    return CANCELLED;
  }

  private forwardStderr(child: ChildProcess): void {
    const lines = createInterface({ input: child.stderr!, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => {
      if (line.trim()) this.logger.info({ stream: 'stderr', pid: child.pid }, line);
    });
  }

  private markDead(end: ProcessEnd): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    this.end ??= end;
    this.connection?.close(new Error(this.end.message));
    const level = this.end.code === 'agent_crashed' && this.readyAt !== null ? 'warn' : 'info';
    this.logger[level]({ reason: this.end.message, sessions: this.sessions.size }, 'agent process ended');
    this.resolveExited(this.end);
  }
}

function exitMessage(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `agent process was killed by ${signal}` : `agent process exited with code ${code}`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
