// Runs one agent turn for a conversation: admission, session reuse or seeding, the event stream, the transcript.
import { randomUUID } from 'node:crypto';
import type { Agent, AgentSessionHandle, PromptBlock } from './port/agent.js';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { TurnMetrics, TurnObserver } from '../metrics.js';
import type { Admission } from './admission.js';
import type { AgentRegistry } from './agent-registry.js';
import type { Approver } from './approvals.js';
import type { ConversationRecord, Conversations } from './conversations.js';
import type { EngineEvent, PermissionOutcome, PermissionRequest } from './port/engine-event.js';
import { AsyncQueue } from '../async-queue.js';
import { KeyedMutex } from './keyed-mutex.js';
import { decideByPolicy, type PermissionPolicy } from './permission-policy.js';
import { SessionStartRefusal } from './session-start-refusal.js';
import { sameTranscript, systemPromptBlock, type TranscriptMessage, transcriptToSeed } from './transcript.js';
import { applyEvent, emptySummary, type TurnSummary } from './turn-summary.js';

export interface TurnRequest {
  /** The agent the request was routed to (the routing decision at the door chose it). */
  agentId: string;
  /** Conversation key: explicit session id or one derived from the first messages. */
  sessionKey: string;
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
  /** Resolves when the turn ended, with everything it produced. Never rejects. */
  readonly done: Promise<TurnSummary>;
  /** How the session was set up: reused live session, or a new one (seeded when it had history). */
  readonly session: 'reused' | 'new' | 'seeded';
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
}

const NO_OBSERVER: TurnObserver = { firstDelta() {}, end() {} };

export class TurnRunner {
  private readonly locks = new KeyedMutex();
  private readonly now: () => number;

  constructor(private readonly options: TurnRunnerOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Prepares and starts a turn. Everything that can be refused (429, unknown model, images the agent
   * cannot take, agent down) throws here, before any response byte is written.
   */
  async start(request: TurnRequest): Promise<Turn> {
    const agent = this.options.agents.get(request.agentId);
    if (!agent) throw GatewayError.agentUnavailable(`no agent ${request.agentId} is configured`);
    if (!agent.describe().capabilities.image && request.input.some((b) => b.type !== 'text')) {
      throw GatewayError.unsupportedContent(`The agent '${agent.id}' does not accept images.`, 'messages');
    }
    const release = request.admitted ?? (await this.options.admission.acquire());
    let unlock: (() => void) | null = null;
    const observer = this.options.metrics?.turnStarted(agent.id) ?? NO_OBSERVER;
    try {
      unlock = await this.locks.acquire(request.sessionKey);
      if (request.signal.aborted) throw GatewayError.invalid('The client went away.', null, 'client_closed');
      const prepared = await this.prepare(agent, request);
      const unhold = this.options.conversations.holdLive(request.sessionKey);
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

  private async prepare(agent: Agent, request: TurnRequest) {
    const { conversations } = this.options;
    const record = await conversations.get(request.sessionKey);
    const history = request.clientHistory ?? (record?.agentId === agent.id ? record.transcript : []);
    const live = conversations.liveSession(request.sessionKey);
    const reusable =
      live !== undefined &&
      live.handle.agentId === agent.id &&
      agent.isAlive(live.handle) &&
      live.systemPrompt === request.systemPrompt &&
      record !== undefined &&
      // Another instance (shared Redis) may have moved the conversation on without this agent session.
      record.revision !== undefined &&
      live.revision === record.revision &&
      sameTranscript(history, record.transcript);
    if (reusable) return { handle: live.handle, blocks: request.input, history, mode: 'reused' as const };

    const native = agent.describe().capabilities.systemPrompt;
    let handle: AgentSessionHandle;
    try {
      handle = await agent.newSession({ systemPrompt: (native && request.systemPrompt) || undefined });
    } catch (error) {
      throw new SessionStartRefusal(error);
    }
    conversations.setLive(request.sessionKey, { handle, systemPrompt: request.systemPrompt, revision: null });
    const blocks: PromptBlock[] = [];
    if (request.systemPrompt && !native) blocks.push({ type: 'text', text: systemPromptBlock(request.systemPrompt) });
    if (history.length > 0) blocks.push({ type: 'text', text: transcriptToSeed(request.seedHistory ?? history) });
    blocks.push(...request.input);
    return { handle, blocks, history, mode: history.length > 0 ? ('seeded' as const) : ('new' as const) };
  }

  private run(
    agent: Agent,
    request: TurnRequest,
    prepared: {
      handle: AgentSessionHandle;
      blocks: PromptBlock[];
      history: TranscriptMessage[];
      mode: Turn['session'];
    },
    observer: TurnObserver,
    finish: () => void,
  ): Turn {
    const channel = new AsyncQueue<EngineEvent>();
    const summary = emptySummary();
    const emit = (event: EngineEvent) => {
      applyEvent(summary, event, this.now());
      if (event.type === 'text') observer.firstDelta();
      channel.push(event);
    };
    const onPermission = (permission: PermissionRequest, signal: AbortSignal) =>
      this.decide(permission, signal, request.approver, emit);

    const done = (async () => {
      try {
        for await (const event of agent.prompt(prepared.handle, prepared.blocks, {
          signal: request.signal,
          onPermission,
        })) {
          emit(event);
        }
        if (!summary.stopReason && !summary.error)
          emit({ type: 'error', code: 'agent_error', message: 'The agent ended the turn without a result.' });
        await this.record(agent, request, prepared, summary);
      } catch (error) {
        this.options.logger.error({ err: error, agent: agent.id }, 'turn failed');
        if (!summary.stopReason && !summary.error)
          emit({ type: 'error', code: 'agent_error', message: (error as Error).message });
      } finally {
        observer.end(summary.error ? 'error' : (summary.stopReason ?? 'error'));
        finish();
        channel.end();
      }
      return summary;
    })();

    return {
      agentId: agent.id,
      sessionKey: request.sessionKey,
      session: prepared.mode,
      done,
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

  /** A clean turn extends the transcript; any other end leaves the agent out of step, so the session is dropped. */
  private async record(
    agent: Agent,
    request: TurnRequest,
    prepared: { history: TranscriptMessage[]; handle: AgentSessionHandle },
    summary: TurnSummary,
  ): Promise<void> {
    const { conversations } = this.options;
    if (summary.error || summary.stopReason === 'cancelled' || summary.stopReason === null) {
      conversations.dropLive(request.sessionKey);
      return;
    }
    const record: ConversationRecord = {
      agentId: agent.id,
      systemPrompt: request.systemPrompt,
      transcript: [
        ...prepared.history,
        { role: 'user', content: request.inputText },
        { role: 'assistant', content: summary.text },
      ],
      updatedAt: this.now(),
      revision: randomUUID(),
    };
    await conversations.save(request.sessionKey, record);
    const live = conversations.liveSession(request.sessionKey);
    if (live?.handle === prepared.handle) live.revision = record.revision!;
  }
}
