// Runs one agent turn for a conversation: admission, session reuse or seeding, the event stream, the transcript.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import type { Agent, AgentSessionHandle, NewSessionOptions, PromptBlock, ReopenedSession } from './port/agent.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { SessionMode, TurnMetrics, TurnObserver } from '../metrics.js';
import type { Admission } from './admission.js';
import type { AgentRegistry } from './agent-registry.js';
import type { Approver } from './approvals.js';
import type { ConversationRef, Conversations, MessageRange, SessionRow } from './conversations.js';
import type { EngineEvent, PermissionOutcome, PermissionRequest } from './port/engine-event.js';
import { AsyncQueue } from '../async-queue.js';
import { KeyedMutex } from './keyed-mutex.js';
import { decideByPolicy, type PermissionPolicy } from './permission-policy.js';
import { SessionStartRefusal } from './session-start-refusal.js';
import { sessionKeyOf } from '../store/session-store.js';
import { systemPromptBlock, type TranscriptMessage, transcriptToSeed } from './transcript.js';
import { applyEvent, summaryWithText, type TurnSummary } from './turn-summary.js';
import { TurnText } from './turn-text.js';

export interface TurnRequest {
  /** The agent the request was routed to (the routing decision at the door chose it). */
  agentId: string;
  /** The conversation: an explicit session id or one derived from the first messages, and its owner. */
  session: ConversationRef;
  /** The model name the client asked for, recorded on the session. */
  model?: string | null;
  /** X-Hermes-Session-Key as sent: the end user's memory scope, handed to the agent as `_meta` of a new session. */
  memoryScope?: string | null;
  /** The history a stateless client sent; null when the gateway's own record is the history (explicit session). */
  clientHistory: TranscriptMessage[] | null;
  /**
   * A richer rendering of `clientHistory` (same turns, tool calls spelled out) for seeding a new session.
   * Matching against the recorded transcript and recording still use `clientHistory`.
   */
  seedHistory?: TranscriptMessage[];
  systemPrompt: string | null;
  /** The new message, as prompt blocks and as transcript text. */
  input: PromptBlock[];
  inputText: string;
  /** Aborting cancels the agent turn. */
  signal: AbortSignal;
  /** Decides permission requests; without one, the configured policy answers. */
  approver?: Approver;
  /** An admission slot the caller already holds (runs take theirs at submission). */
  admitted?: () => void;
}

export interface Turn extends AsyncIterable<EngineEvent> {
  readonly agentId: string;
  readonly sessionKey: string;
  /** Resolves when the turn ended and was recorded, with everything it produced. Never rejects. */
  readonly done: Promise<TurnSummary>;
  /**
   * Resolves as soon as the agent's turn is over, before it is recorded (with `replyBeforeRecord`; else with `done`):
   * a reply that needs nothing of the record (a chat completion) goes out here. The session's next turn and its
   * reads still wait for the record. Never rejects.
   */
  readonly ended: Promise<TurnSummary>;
  /**
   * How the session was set up: the live one reused, the agent's own session resumed or loaded (it kept it across
   * a restart, or another instance ran the last turn), or a new one (seeded when the conversation had history).
   */
  readonly session: SessionMode;
  /** The agent session the turn runs on (a live steer goes to it). */
  readonly handle: AgentSessionHandle;
  /** Where the turn's messages went in its session, once recorded (before `done` resolves); null when not. */
  readonly messages: MessageRange | null;
}

export interface TurnRunnerOptions {
  agents: AgentRegistry;
  admission: Admission;
  conversations: Conversations;
  policy: PermissionPolicy;
  logger: Logger;
  now?: () => number;
  /** Counts turns: active, by outcome, their duration and time to first delta. */
  metrics?: TurnMetrics;
  /**
   * `ended` resolves before the record is written (a chat reply does not wait for it). Only for a store no other
   * instance reads: on a shared one another instance may take the conversation over right after the reply, and
   * must find the turn recorded.
   */
  replyBeforeRecord?: boolean;
  /** Where a turn's text that outgrows memory waits for its record (see TurnText); default: the OS temp dir. */
  textDir?: string;
}

/** The `_meta` key a new agent session receives the caller's X-Hermes-Session-Key under. */
export const MEMORY_SCOPE_META = 'hermes/sessionKey';

interface PreparedTurn {
  key: string;
  handle: AgentSessionHandle;
  blocks: PromptBlock[];
  mode: SessionMode;
}

const NO_OBSERVER: TurnObserver = { firstDelta() {}, end() {} };

export class TurnRunner {
  private readonly locks = new KeyedMutex();
  private readonly now: () => number;

  constructor(private readonly options: TurnRunnerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True while a turn runs (or waits to run) on the conversation: its session must not be deleted or forked. */
  isBusy(key: string): boolean {
    return this.locks.isHeld(key);
  }

  /**
   * Prepares and starts a turn. Everything that can be refused (429, unknown model, images the agent
   * cannot take, agent down) throws here, before any response byte is written.
   */
  async start(request: TurnRequest): Promise<Turn> {
    const key = sessionKeyOf(request.session.owner, request.session.id);
    const agent = this.options.agents.get(request.agentId);
    if (!agent) throw GatewayError.agentUnavailable(`no agent ${request.agentId} is configured`);
    if (!agent.describe().capabilities.image && request.input.some((b) => b.type !== 'text')) {
      throw GatewayError.unsupportedContent(`The agent '${agent.id}' does not accept images.`, 'messages');
    }
    const release = request.admitted ?? (await this.options.admission.acquire());
    let unlock: (() => void) | null = null;
    const observer = this.options.metrics?.turnStarted(agent.id) ?? NO_OBSERVER;
    try {
      unlock = await this.locks.acquire(key);
      if (request.signal.aborted) throw GatewayError.invalid('The client went away.', null, 'client_closed');
      const prepared = await this.prepare(agent, request, key);
      const unhold = this.options.conversations.holdLive(key);
      return this.run(agent, request, prepared, observer, () => {
        unhold();
        unlock?.();
        release();
      });
    } catch (error) {
      unlock?.();
      release();
      observer.end(error instanceof GatewayError && error.code === 'client_closed' ? 'cancelled' : 'error');
      throw error;
    }
  }

  private async prepare(agent: Agent, request: TurnRequest, key: string) {
    const { conversations } = this.options;
    const row = await conversations.get(key);
    const live = conversations.liveSession(key);
    const reusable =
      live !== undefined &&
      live.handle.agentId === agent.id &&
      agent.isAlive(live.handle) &&
      live.systemPrompt === request.systemPrompt &&
      row !== undefined &&
      // Another instance (shared Redis) may have moved the conversation on without this agent session.
      row.revision !== null &&
      live.revision === row.revision &&
      (request.clientHistory === null || conversations.matches(row, request.clientHistory));
    if (reusable) return this.opened(agent, { key, handle: live.handle, blocks: request.input, mode: 'reused' });

    const reopened = row && (await this.reopen(agent, request, row));
    if (reopened) {
      conversations.setLive(key, {
        handle: reopened.handle,
        systemPrompt: request.systemPrompt,
        revision: row.revision,
      });
      const mode = reopened.via === 'resume' ? 'resumed' : 'loaded';
      return this.opened(agent, { key, handle: reopened.handle, blocks: request.input, mode });
    }

    // Only a new agent session needs the history: the stored messages are read here, never on a reused session.
    const history = request.clientHistory ?? (row ? await conversations.transcript(row) : []);
    const native = agent.describe().capabilities.systemPrompt;
    let handle: AgentSessionHandle;
    try {
      handle = await agent.newSession(this.sessionOptions(agent, request));
    } catch (error) {
      throw new SessionStartRefusal(error);
    }
    conversations.setLive(key, { handle, systemPrompt: request.systemPrompt, revision: null });
    const blocks: PromptBlock[] = [];
    if (request.systemPrompt && !native) blocks.push({ type: 'text', text: systemPromptBlock(request.systemPrompt) });
    if (history.length > 0) blocks.push({ type: 'text', text: transcriptToSeed(request.seedHistory ?? history) });
    blocks.push(...request.input);
    return this.opened(agent, { key, handle, blocks, mode: history.length > 0 ? 'seeded' : 'new' });
  }

  private opened(agent: Agent, prepared: PreparedTurn): PreparedTurn {
    this.options.metrics?.sessionOpened(agent.id, prepared.mode);
    return prepared;
  }

  /**
   * Continues the agent's own session of the conversation when it has none live here: after a restart, an
   * eviction, or a turn another instance ran. Only a session that holds exactly the recorded conversation under
   * the same system prompt qualifies; null (and the conversation is seeded) when the agent can neither resume
   * nor load, or the attempt fails — the reason is logged.
   */
  private async reopen(agent: Agent, request: TurnRequest, row: SessionRow): Promise<ReopenedSession | null> {
    const caps = agent.describe().capabilities;
    if (!row.agentSessionId || row.agentId !== agent.id || !(caps.resumeSession || caps.loadSession)) return null;
    if ((row.systemPrompt ?? null) !== request.systemPrompt) return null;
    if (request.clientHistory !== null && !this.options.conversations.matches(row, request.clientHistory)) return null;
    try {
      return await agent.reopenSession(row.agentSessionId, this.sessionOptions(agent, request));
    } catch (error) {
      this.options.logger.info(
        { agent: agent.id, agentSession: row.agentSessionId, reason: (error as Error).message },
        'could not reopen the agent session; seeding a new one',
      );
      return null;
    }
  }

  private sessionOptions(agent: Agent, request: TurnRequest): NewSessionOptions {
    const native = agent.describe().capabilities.systemPrompt;
    return {
      systemPrompt: (native && request.systemPrompt) || undefined,
      ...(request.memoryScope ? { meta: { [MEMORY_SCOPE_META]: request.memoryScope } } : {}),
    };
  }

  private run(
    agent: Agent,
    request: TurnRequest,
    prepared: PreparedTurn,
    observer: TurnObserver,
    finish: () => void,
  ): Turn {
    const channel = new AsyncQueue<EngineEvent>();
    const summary = summaryWithText(new TurnText(this.options.textDir ?? tmpdir()));
    const emit = (event: EngineEvent) => {
      applyEvent(summary, event, this.now());
      if (event.type === 'text') observer.firstDelta();
      channel.push(event);
    };
    const onPermission = (permission: PermissionRequest, signal: AbortSignal) =>
      this.decide(permission, signal, request.approver, emit);

    let messages: MessageRange | null = null;
    let endTurn!: (summary: TurnSummary) => void;
    const ended = new Promise<TurnSummary>((resolve) => {
      endTurn = resolve;
    });
    const done = (async () => {
      let recorded = () => {};
      try {
        for await (const event of agent.prompt(prepared.handle, prepared.blocks, {
          signal: request.signal,
          onPermission,
        })) {
          emit(event);
        }
        if (!summary.stopReason && !summary.error)
          emit({ type: 'error', code: 'agent_error', message: 'The agent ended the turn without a result.' });
        if (this.options.replyBeforeRecord) {
          // Reads of the session wait for the record from here on; the turn's readers need not.
          recorded = this.options.conversations.recordingStarted(prepared.key);
          channel.end();
          endTurn(summary);
        }
        messages = await this.record(agent, request, prepared, summary);
      } catch (error) {
        this.options.logger.error({ err: error, agent: agent.id }, 'turn failed');
        // A turn the record lacks must not be continued by the live agent session that has it.
        this.options.conversations.dropLive(prepared.key);
        if (!summary.stopReason && !summary.error)
          emit({ type: 'error', code: 'agent_error', message: (error as Error).message });
      } finally {
        observer.end(summary.error ? 'error' : (summary.stopReason ?? 'error'));
        finish();
        recorded();
        channel.end();
        endTurn(summary);
      }
      return summary;
    })();

    return {
      agentId: agent.id,
      sessionKey: prepared.key,
      session: prepared.mode,
      handle: prepared.handle,
      done,
      ended,
      get messages() {
        return messages;
      },
      [Symbol.asyncIterator]: () => channel[Symbol.asyncIterator](),
    };
  }

  private async decide(
    permission: PermissionRequest,
    signal: AbortSignal,
    approver: Approver | undefined,
    emit: (event: EngineEvent) => void,
  ): Promise<PermissionOutcome> {
    if (!approver) return decideByPolicy(this.options.policy, permission);
    emit({ type: 'approval_request', request: permission });
    const { outcome, choice, timedOut } = await approver.decide(permission, signal);
    emit({
      type: 'approval_resolved',
      requestId: permission.requestId,
      choice,
      optionId: outcome.outcome === 'selected' ? outcome.optionId : undefined,
      ...(timedOut ? { timedOut } : {}),
    });
    return outcome;
  }

  /** A clean turn is appended to its session; any other end leaves the agent out of step, so the session is dropped. */
  private async record(
    agent: Agent,
    request: TurnRequest,
    prepared: { key: string; handle: AgentSessionHandle },
    summary: TurnSummary,
  ): Promise<MessageRange | null> {
    const { conversations } = this.options;
    if (summary.error || summary.stopReason === 'cancelled' || summary.stopReason === null) {
      conversations.dropLive(prepared.key);
      return null;
    }
    const revision = randomUUID();
    const { range } = await conversations.recordTurn({
      ref: request.session,
      agentId: agent.id,
      model: request.model ?? null,
      systemPrompt: request.systemPrompt,
      clientHistory: request.clientHistory,
      inputText: request.inputText,
      summary,
      // Agents may title a session after the turn answered (hermes does): the latest title the adapter saw.
      title: summary.title ?? agent.sessionTitle(prepared.handle),
      revision,
      agentSessionId: prepared.handle.sessionId,
      now: this.now(),
    });
    const live = conversations.liveSession(prepared.key);
    if (live?.handle === prepared.handle) live.revision = revision;
    return range;
  }
}
