// The runs this instance executes (reference §6): submission, the turn's events into the journal, status
// transitions (queued, running, waiting_for_approval, stopping), stop, steer, settling, and shutdown. Status records
// go to the store through RunStatusStore; what the journal entries say is the injected encoder's business.
//
// Steer (reference §6.8): text goes live into the running turn when the agent can take it (Agent.steer, hermes'
// `/steer`); otherwise it waits as the run's `pending_steer` and runs as the next turn of the run's session once
// the current turn ends cleanly. Text that never reached the agent (the run was stopped, failed or shut down)
// stays in the settled record and terminal event as `pending_steer`.
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { RunIdempotencyRepo } from '../../store/run-idempotency-repo.js';
import type { ApprovalRegistry } from '../approval-registry.js';
import type { Agent } from '../port/agent.js';
import type { EngineEvent, PermissionRequest } from '../port/engine-event.js';
import { SessionStartRefusal } from '../session-start-refusal.js';
import type { Turn, TurnRequest, TurnRunner } from '../turn-runner.js';
import { emptySummary, hasText, joinSummaries, type TurnSummary } from '../turn-summary.js';
import type { SteerResult, StopResult } from './run-commands.js';
import type { RunEncoder, RunEncoderFactory } from './run-encoder.js';
import type { RunEventPayload, RunJournal } from './run-journal.js';
import {
  interruptedOutcome,
  isTerminal,
  type RunOutcome,
  type RunRecord,
  type RunStatus,
  SHUTDOWN_ERROR,
  settledFields,
  summaryToOutcome,
} from './run-record.js';
import type { RunStatusStore } from './run-status-store.js';

export interface RunSubmission {
  runId: string;
  scope: string;
  sessionId: string;
  model: string;
  turn: Omit<TurnRequest, 'signal' | 'approver' | 'admitted'>;
  /** The admission slot taken at submission; freed when the run settles. */
  admitted: () => void;
  idempotency?: { scope: string; key: string };
}

export interface RunLifecycleOptions {
  /** This gateway instance, written into every record so others know where the run executes. */
  instance: string;
  turns: TurnRunner;
  approvals: ApprovalRegistry;
  journal: RunJournal;
  statuses: RunStatusStore;
  idempotency: RunIdempotencyRepo;
  encoderFor: RunEncoderFactory;
  /** After a stop, how long the turn may take to end before the run is settled cancelled regardless. */
  stopTimeoutMs: number;
  /** The agents by id, to steer a running turn live; without them steer text always waits for the next turn. */
  agents?: { get(id: string): Agent | undefined };
  logger: Logger;
  now: () => number;
}

interface LiveRun {
  record: RunRecord;
  controller: AbortController;
  stopRequested: boolean;
  pending: PermissionRequest[];
  idempotency?: { scope: string; key: string };
  settled: boolean;
  /** The turn running now; null between turns. */
  turn: Turn | null;
  /** Steer texts accepted and not yet given to the agent, oldest first. */
  pendingSteer: string[];
  /** Steers being answered now: the run settles only after them, so each lands in the journal or pending_steer. */
  steering: Set<Promise<unknown>>;
  encoder: RunEncoder | null;
  done: Promise<void>;
  /** Settles the run with this outcome if the turn has not settled it yet. */
  force(outcome: RunOutcome): Promise<void>;
}

const SHUTDOWN_WAIT_MS = 3000;

export class RunLifecycle {
  private readonly live = new Map<string, LiveRun>();
  private shuttingDown = false;

  constructor(private readonly options: RunLifecycleOptions) {}

  isLive(runId: string): boolean {
    return this.live.has(runId);
  }

  /** A copy of the live run's record; undefined when the run does not execute here (any more). */
  snapshot(runId: string): RunRecord | undefined {
    const run = this.live.get(runId);
    return run ? { ...run.record } : undefined;
  }

  /** Records the run as queued, opens its journal and starts it in the background. */
  async submit(submission: RunSubmission): Promise<RunRecord> {
    const at = this.options.now();
    const record: RunRecord = {
      runId: submission.runId,
      scope: submission.scope,
      instance: this.options.instance,
      status: 'queued',
      createdAt: at,
      updatedAt: at,
      sessionId: submission.sessionId,
      model: submission.model,
      lastEvent: null,
      output: null,
      usage: null,
      error: null,
      approval: null,
    };
    let resolveDone!: () => void;
    const run: LiveRun = {
      record,
      controller: new AbortController(),
      stopRequested: false,
      pending: [],
      idempotency: submission.idempotency,
      settled: false,
      turn: null,
      pendingSteer: [],
      steering: new Set(),
      encoder: null,
      done: new Promise<void>((resolve) => {
        resolveDone = resolve;
      }),
      force: async () => {},
    };
    this.live.set(record.runId, run);
    try {
      await this.options.journal.open(record.runId);
      await this.options.statuses.save(record);
      // The run is recorded: its Idempotency-Key reservation becomes the 24 h record (until now it expires in seconds).
      const { idempotency } = submission;
      if (idempotency) {
        await this.options.idempotency.updateStatus(idempotency.scope, idempotency.key, record.runId, record.status);
      }
    } catch (error) {
      this.live.delete(record.runId);
      submission.admitted();
      throw error;
    }
    void this.execute(run, submission).finally(resolveDone);
    return { ...record };
  }

  /**
   * reference §6.7: marks the run stopping and cancels its turn; the run settles when the turn ends.
   * Undefined when no run of `scope` executes here.
   */
  async stop(runId: string, scope: string): Promise<StopResult | undefined> {
    const run = this.live.get(runId);
    if (!run || run.record.scope !== scope) return undefined;
    if (run.settled || isTerminal(run.record.status)) return { outcome: 'terminal', record: { ...run.record } };
    if (!run.stopRequested) {
      run.stopRequested = true;
      await this.setStatus(run, 'stopping', { approval: null, pendingApprovals: [] });
      run.controller.abort(new Error('Stop requested via API'));
      const backstop = setTimeout(() => {
        void run.force({
          status: 'cancelled',
          output: run.record.output ?? '',
          usage: null,
          error: null,
          completed: false,
          partial: true,
          interrupted: true,
          note: `The agent did not end its turn within ${this.options.stopTimeoutMs / 1000} s of the stop request.`,
        });
      }, this.options.stopTimeoutMs);
      backstop.unref();
      void run.done.then(() => clearTimeout(backstop));
    }
    return { outcome: 'stopping' };
  }

  /**
   * reference §6.8: accepts steer text for a running run of `scope` (live into its turn when the agent can take it,
   * else for its next turn). Undefined when no run of `scope` executes here. Checks the status before the text,
   * in the reference's order: 409 run_not_accepting_steer, then 400 invalid_steer_input.
   */
  async steer(runId: string, scope: string, text: string): Promise<SteerResult | undefined> {
    const run = this.live.get(runId);
    if (!run || run.record.scope !== scope) return undefined;
    if (run.settled || run.record.status !== 'running') throw GatewayError.runNotAcceptingSteer(runId);
    if (!text) throw GatewayError.invalidSteerInput();
    const accepting = this.accept(run, text);
    run.steering.add(accepting);
    try {
      return await accepting;
    } finally {
      run.steering.delete(accepting);
    }
  }

  private async accept(run: LiveRun, text: string): Promise<SteerResult> {
    const delivered = await this.deliverLive(run, text);
    // Only a forced settle (stop backstop, shutdown) does not wait for a steer: undelivered text has nowhere to go.
    if (run.settled && !delivered) throw GatewayError.runNotAcceptingSteer(run.record.runId);
    if (!delivered) run.pendingSteer.push(text);
    if (!run.settled) {
      // reference §6.8: the status says `last_event: run.steered`, so the event goes first, then the record.
      await this.emit(run, run.encoder?.steered?.(delivered) ?? []);
      await this.patchRecord(run, { pendingSteer: pendingText(run) });
    }
    return { delivered };
  }

  /** Settles every live run as interrupted by the shutdown (reference §6.4: `interrupted`, never `failed`). */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    const runs = [...this.live.values()];
    for (const run of runs) run.controller.abort(new Error('gateway shutdown'));
    const waited = await Promise.race([
      Promise.all(runs.map((run) => run.done)).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_WAIT_MS).unref()),
    ]);
    if (waited) return;
    await Promise.allSettled(runs.map((run) => run.force(interruptedOutcome(run.record.output ?? '', SHUTDOWN_ERROR))));
  }

  private async execute(run: LiveRun, submission: RunSubmission): Promise<void> {
    const { runId } = run.record;
    const encoder = this.options.encoderFor({ runId, sessionId: run.record.sessionId, model: run.record.model });
    run.encoder = encoder;
    let summary: TurnSummary = emptySummary();
    let outcome: RunOutcome | null = null;
    const settle = async (result: RunOutcome) => {
      if (run.settled) return;
      run.settled = true;
      await this.settle(run, encoder, result);
    };
    run.force = settle;
    const context = () => ({ stopRequested: run.stopRequested, shuttingDown: this.shuttingDown });
    const approver = this.options.approvals.approverFor(runId, run.record.scope);
    try {
      let turn = await this.options.turns.start({
        ...submission.turn,
        signal: run.controller.signal,
        approver,
        admitted: submission.admitted,
      });
      if (!run.stopRequested) await this.setStatus(run, 'running', {});
      await this.emit(run, encoder.started());
      for (let first = true; ; first = false) {
        run.turn = turn;
        if (!first) await this.relay(run, encoder, { type: 'text', delta: '\n\n' }, hasText(summary));
        for await (const event of turn) await this.relay(run, encoder, event);
        run.turn = null;
        summary = first ? await turn.done : joinSummaries(summary, await turn.done);
        await Promise.allSettled(run.steering);
        const steer = this.takeSteer(run, summary);
        if (steer === null) break;
        await this.patchRecord(run, { pendingSteer: null });
        try {
          // The run's session continues with the steer text as its next turn; the record is now its history.
          turn = await this.options.turns.start({
            ...submission.turn,
            clientHistory: null,
            seedHistory: undefined,
            input: [{ type: 'text', text: steer }],
            inputText: steer,
            signal: run.controller.signal,
            approver,
          });
        } catch (error) {
          this.options.logger.warn({ err: error, runId }, 'the steer turn could not start; the text stays pending');
          run.pendingSteer.unshift(steer);
          break;
        }
      }
      outcome = summaryToOutcome(summary, context());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof GatewayError)) this.options.logger.error({ err: error, runId }, 'run failed');
      // A session the agent could not open keeps the agent's own code; anything else failed the run itself.
      summary.error = { code: error instanceof SessionStartRefusal ? error.agentCode : 'agent_error', message };
      outcome = summaryToOutcome(summary, context());
      if (run.stopRequested) outcome = { ...outcome, note: undefined };
    } finally {
      submission.admitted(); // idempotent; covers a start that failed before taking the slot over
    }
    try {
      await settle(outcome);
    } catch (error) {
      this.options.logger.error({ err: error, runId }, 'run could not be settled');
    }
  }

  /** One event of a turn into the record and the journal (quietly dropped once a stop backstop or shutdown settled). */
  private async relay(run: LiveRun, encoder: RunEncoder, event: EngineEvent, when = true): Promise<void> {
    if (run.settled || !when) return;
    await this.onEvent(run, event);
    await this.emit(run, encoder.push(event));
  }

  /** The pending steer text to run as the next turn, when the turn just ended cleanly and nobody stopped the run. */
  private takeSteer(run: LiveRun, summary: TurnSummary): string | null {
    if (run.pendingSteer.length === 0 || run.settled || run.stopRequested || this.shuttingDown) return null;
    if (summary.error || summary.stopReason !== 'end_turn') return null;
    const text = run.pendingSteer.join('\n\n');
    run.pendingSteer = [];
    return text;
  }

  /** Into the running turn through the agent's own steer command, when the agent has one. */
  private async deliverLive(run: LiveRun, text: string): Promise<boolean> {
    const turn = run.turn;
    const agent = turn ? this.options.agents?.get(turn.agentId) : undefined;
    if (!turn || !agent) return false;
    try {
      return await agent.steer(turn.handle, text);
    } catch (error) {
      this.options.logger.warn({ err: error, runId: run.record.runId }, 'steer not delivered');
      return false;
    }
  }

  /** What an event changes in the record: the output so far, and the approvals it waits for. */
  private async onEvent(run: LiveRun, event: EngineEvent): Promise<void> {
    if (event.type === 'text') {
      if (event.delta) run.record.output = (run.record.output ?? '') + event.delta;
    } else if (event.type === 'approval_request') {
      run.pending.push(event.request);
      if (!run.stopRequested) await this.setStatus(run, 'waiting_for_approval', this.pendingPatch(run));
    } else if (event.type === 'approval_resolved') {
      run.pending = run.pending.filter((p) => p.requestId !== event.requestId);
      if (run.stopRequested) return;
      if (run.pending.length > 0) await this.setStatus(run, 'waiting_for_approval', this.pendingPatch(run));
      else await this.setStatus(run, 'running', { approval: null, pendingApprovals: [] });
    }
  }

  private pendingPatch(run: LiveRun): Partial<RunRecord> {
    return { approval: run.pending[0], pendingApprovals: run.pending.map((p) => p.requestId) };
  }

  /** Journals the encoder's payloads; the record's last event is the name of the last one. */
  private async emit(run: LiveRun, payloads: RunEventPayload[]): Promise<void> {
    for (const payload of payloads) {
      run.record.lastEvent = payload.event;
      await this.options.journal.append(run.record.runId, payload);
    }
  }

  private async settle(run: LiveRun, encoder: RunEncoder, settledWith: RunOutcome): Promise<void> {
    const { record } = run;
    const { runId } = record;
    const pendingSteer = pendingText(run);
    const outcome: RunOutcome = pendingSteer ? { ...settledWith, pendingSteer } : settledWith;
    Object.assign(record, {
      ...settledFields(outcome, this.options.now()),
      output: outcome.output,
      usage: outcome.usage,
      ...(outcome.turnExitReason ? { turnExitReason: outcome.turnExitReason } : {}),
      ...(outcome.note ? { note: outcome.note } : {}),
      ...(pendingSteer ? { pendingSteer } : {}),
    } satisfies Partial<RunRecord>);
    this.options.approvals.forget(runId);
    try {
      await this.emit(run, encoder.finish(outcome));
      // The status first: a reader on another instance that sees the stream close then asks for the status
      // finds it terminal.
      await this.options.statuses.save(record);
      await this.options.journal.close(runId);
      if (run.idempotency) {
        await this.options.idempotency.updateStatus(run.idempotency.scope, run.idempotency.key, runId, record.status);
      }
    } finally {
      this.live.delete(runId);
    }
  }

  /** Changes record fields other than the status (which may have moved on while the caller waited). */
  private async patchRecord(run: LiveRun, patch: Partial<RunRecord>): Promise<void> {
    if (run.settled) return;
    await this.setStatus(run, run.record.status, patch);
  }

  private async setStatus(run: LiveRun, status: RunStatus, patch: Partial<RunRecord>): Promise<void> {
    if (run.settled) return;
    Object.assign(run.record, patch, { status, updatedAt: this.options.now() });
    await this.options.statuses
      .save(run.record)
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error, runId: run.record.runId }, 'run status not persisted'),
      );
  }
}

/** The steer texts a run holds, as the one string `pending_steer` shows; null when there are none. */
function pendingText(run: LiveRun): string | null {
  return run.pendingSteer.length > 0 ? run.pendingSteer.join('\n\n') : null;
}
