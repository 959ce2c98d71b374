// One session/prompt, from request to its single closing event: routes the session's updates into an
// event queue as they arrive, answers permissions through the bridge, cancels on request, ends a turn whose agent
// went silent (idle timeout) and abandons a session whose agent ignores the cancel (its other sessions go on).
// Ends with exactly one `end` or `error` event.
import * as acp from '@agentclientprotocol/sdk/unstable';
import type { EngineEvent, StopReason } from '../../engine/port/engine-event.js';
import type { Logger } from '../../log.js';
import type { PromptOptions } from '../../engine/port/agent.js';
import { type AgentProcess, errorMessage, type ProcessEnd } from './agent-process.js';
import { AsyncQueue } from '../../async-queue.js';
import { codeOf } from './open-session.js';
import { PermissionBridge } from './permission-bridge.js';
import { sessionUpdateToEvents, toolStartEvent } from './session-update-to-events.js';
import { estimateTurnUsage, promptUsageToTurnUsage, type TurnChars } from './turn-usage.js';

type ErrorEvent = Extract<EngineEvent, { type: 'error' }>;

const REQUEST_CANCELLED = -32800;
const RESOURCE_NOT_FOUND = -32002;
const STOP_REASONS: ReadonlySet<string> = new Set<StopReason>([
  'end_turn',
  'max_tokens',
  'max_turn_requests',
  'refusal',
  'cancelled',
]);
/** How long to wait for the exit status of a process whose connection just closed. */
const EXIT_GRACE_MS = 500;

export interface PromptTurnOptions {
  process: AgentProcess;
  sessionId: string;
  content: acp.ContentBlock[];
  onPermission: PromptOptions['onPermission'];
  cancelTimeoutMs: number;
  /** Cancel the turn after this long; null for no limit. */
  promptTimeoutMs: number | null;
  /** End the turn when the agent sends nothing for this long (a pending permission request aside); null: never. */
  idleTimeoutMs: number | null;
  logger: Logger;
  /**
   * The agent ignored a cancel: the turn has ended and stopped waiting for the prompt's reply. The session is the
   * caller's to close, and the process's to be checked (it may still serve its other sessions).
   */
  onAbandoned(proc: AgentProcess, sessionId: string, end: ProcessEnd): void;
}

export class PromptTurn {
  readonly events = new AsyncQueue<EngineEvent>();
  private finished = false;
  private cancelRequested = false;
  /** Made at the turn's first permission request (most turns have none; its logger is made on first use too). */
  private bridge: PermissionBridge | null = null;
  private readonly startedTools = new Set<string>();
  /** Tool calls the agent described only in a permission request (hermes' synthetic perm-check ids). */
  private readonly askedTools = new Map<string, acp.ToolCallUpdate>();
  private readonly chars: TurnChars;
  private readonly timers = new Set<NodeJS.Timeout>();
  private idleTimer: NodeJS.Timeout | null = null;
  private cancelTimer: NodeJS.Timeout | null = null;
  /** Permission requests waiting for an answer: the agent is silent because it waits for us. */
  private waitingOnUs = 0;
  private abandon: () => void = () => {};
  private readonly abandoned = new Promise<void>((resolve) => {
    this.abandon = resolve;
  });

  constructor(private readonly options: PromptTurnOptions) {
    const prompt = options.content.reduce((sum, block) => sum + (block.type === 'text' ? block.text.length : 0), 0);
    this.chars = { prompt, text: 0, reasoning: 0 };
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Sends the prompt and resolves once the agent answered or its process is gone; never rejects. */
  async run(): Promise<void> {
    const { process: proc, sessionId } = this.options;
    let detach = () => {};
    try {
      detach = proc.attachTurn(sessionId, {
        onUpdate: (update) => {
          this.heard();
          this.onUpdate(update);
        },
        onPermission: (params, signal) => {
          this.askedTools.set(params.toolCall.toolCallId, params.toolCall);
          this.waitingOnUs++;
          this.heard();
          this.bridge ??= new PermissionBridge(this.options.onPermission, this.options.logger);
          return this.bridge.request(params, signal).finally(() => {
            this.waitingOnUs--;
            this.heard();
          });
        },
      });
      if (this.options.promptTimeoutMs !== null) this.startPromptTimer(this.options.promptTimeoutMs);
      this.heard();
      const request = proc.rpc.request(acp.methods.agent.session.prompt, {
        sessionId,
        prompt: this.options.content,
      });
      request.catch(() => undefined); // abandoned: its late rejection (the process went) is nobody's to handle
      const response = await Promise.race([request, this.abandoned.then(() => null)]);
      if (response === null) return; // abandoned: the turn ended already, the lane is free
      // Every update the agent sent before its reply is in the queue already: update-lane.ts routes updates as they
      // arrive, while the reply takes the SDK's asynchronous path.
      this.finish(this.endEvent(response));
    } catch (error) {
      this.finish(await this.errorEvent(error));
    } finally {
      detach();
      this.bridge?.cancelAll('the turn ended');
      this.clearTimers();
    }
  }

  /**
   * Cancels the turn: session/cancel, then every pending permission is answered `cancelled` (in that
   * order, so the agent knows why). The turn still ends with the agent's own reply, unless the agent
   * has not replied within cancelTimeoutMs: then the turn fails and its session is abandoned (onAbandoned).
   */
  cancel(reason: string): void {
    if (this.finished || this.cancelRequested) return;
    this.cancelRequested = true;
    const { process: proc, sessionId, logger, cancelTimeoutMs } = this.options;
    logger.debug({ sessionId, reason }, 'cancelling turn');
    proc.rpc.notify(acp.methods.agent.session.cancel, { sessionId }).catch((error: unknown) => {
      logger.debug({ sessionId, err: error }, 'session/cancel not sent; the process is going away');
    });
    this.bridge?.cancelAll(reason);
    // After the cancel timeout the session is wedged: the turn ends and the session is abandoned. Not the process:
    // its other sessions may be streaming right now (the pool restarts it only once it answers nothing at all).
    const wedged = setTimeout(() => {
      const end: ProcessEnd = {
        code: 'agent_crashed',
        message: `cancel timed out after ${cancelTimeoutMs / 1000} s; the agent session was abandoned`,
      };
      this.finish({ type: 'error', code: end.code, message: end.message });
      this.abandon();
      this.options.onAbandoned(proc, sessionId, end);
    }, cancelTimeoutMs);
    this.cancelTimer = wedged;
  }

  /** Anything from the agent (or a permission request opened or answered): the idle clock starts over. */
  private heard(): void {
    const { idleTimeoutMs } = this.options;
    if (idleTimeoutMs === null || this.finished || this.cancelRequested) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.waitingOnUs > 0) return; // silent because it waits for an approval: not idle
    this.idleTimer = setTimeout(() => {
      const message = `the agent sent nothing for ${idleTimeoutMs / 1000} s; the turn was ended (agents[].idleTimeoutSeconds)`;
      this.options.logger.warn({ idleTimeoutMs }, 'agent idle timeout; ending the turn');
      this.cancel('idle timeout'); // first: a finished turn sends no cancel (the agent is told, then we stop waiting)
      this.finish({ type: 'error', code: 'agent_error', message });
    }, idleTimeoutMs);
  }

  private onUpdate(update: acp.SessionUpdate): void {
    if (this.finished) {
      this.options.logger.debug({ variant: update.sessionUpdate }, 'update after the turn ended; dropped');
      return;
    }
    for (const event of sessionUpdateToEvents(update)) {
      if (event.type === 'tool_start') {
        if (this.startedTools.has(event.toolCallId)) continue; // a repeated announcement
        this.startedTools.add(event.toolCallId);
      } else if (event.type === 'tool_end' && !this.startedTools.has(event.toolCallId)) {
        // Finished without an announcement (e.g. hermes' synthetic permission ids): announce it first,
        // so every tool_end has its tool_start, described by its permission request when there was one.
        this.startedTools.add(event.toolCallId);
        if (update.sessionUpdate === 'tool_call_update') {
          this.events.push(toolStartEvent(mergeDefined(this.askedTools.get(update.toolCallId), update)));
        }
      } else if (event.type === 'text') {
        this.chars.text += event.delta.length;
      } else if (event.type === 'reasoning') {
        this.chars.reasoning += event.delta.length;
      }
      this.events.push(event);
    }
  }

  private endEvent(response: acp.PromptResponse): EngineEvent {
    let stopReason = response.stopReason as string;
    if (!STOP_REASONS.has(stopReason)) {
      this.options.logger.warn({ stopReason }, 'unknown stop reason; reporting end_turn');
      stopReason = 'end_turn';
    }
    const usage = promptUsageToTurnUsage(response.usage) ?? estimateTurnUsage(this.chars);
    return { type: 'end', stopReason: stopReason as StopReason, usage };
  }

  private async errorEvent(error: unknown): Promise<EngineEvent> {
    const code = codeOf(error);
    if (code === REQUEST_CANCELLED && this.cancelRequested) {
      // Some agents answer a cancel with a -32800 error instead of stopReason "cancelled".
      return { type: 'end', stopReason: 'cancelled', usage: estimateTurnUsage(this.chars) };
    }
    if (code === RESOURCE_NOT_FOUND) return { type: 'error', code: 'session_lost', message: errorMessage(error) };
    if (code !== undefined) return { type: 'error', code: 'agent_error', message: errorMessage(error) };
    return this.crashEvent(error);
  }

  /**
   * No JSON-RPC reply: usually the connection closed under the turn. Say why the process went, once
   * its exit status is in; a process still alive after the grace period failed some other way.
   */
  private async crashEvent(error: unknown): Promise<ErrorEvent> {
    const proc = this.options.process;
    const end = await Promise.race([proc.exited, delay(EXIT_GRACE_MS).then(() => proc.endReason)]);
    if (!end) return { type: 'error', code: 'agent_error', message: errorMessage(error) };
    return { type: 'error', code: end.code, message: end.message };
  }

  private finish(event: EngineEvent): void {
    if (this.finished) return;
    this.finished = true;
    this.clearTimers(false);
    this.events.push(event);
    this.events.end();
  }

  private startPromptTimer(timeoutMs: number): void {
    this.after(timeoutMs, () => {
      this.events.push({
        type: 'notice',
        severity: 'warning',
        text: `the turn ran past ${timeoutMs / 1000} s; cancelling it`,
      });
      this.cancel('prompt timeout');
    });
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.finished) action();
    }, ms);
    this.timers.add(timer);
  }

  /** `all`: the cancel's timer too (the prompt answered); a finished turn still waits for its cancel's answer. */
  private clearTimers(all = true): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (all && this.cancelTimer) clearTimeout(this.cancelTimer);
  }
}

/** `base` overlaid with the fields `over` actually carries. */
function mergeDefined(base: acp.ToolCallUpdate | undefined, over: acp.ToolCallUpdate): acp.ToolCallUpdate {
  if (!base) return over;
  const defined = Object.entries(over).filter(([, value]) => value !== undefined && value !== null);
  return { ...base, ...Object.fromEntries(defined) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
