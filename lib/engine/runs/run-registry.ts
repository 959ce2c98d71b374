// Background runs (reference §6), as the runs surface sees them: where each request is answered. A run that
// executes here goes to RunLifecycle; one another live instance executes is forwarded there (RunCommandRelay:
// stop, approval and steer alike);
// a stored run nobody executes any more is settled by RestartRecovery; an approval for a streaming completion
// another instance holds is forwarded by StreamApprovalOwners. Knows no wire format: the runs surface injects the
// encoder, and how a choice answers a request.
import { randomBytes } from 'node:crypto';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/keyv.js';
import type { RunIdempotencyRepo } from '../../store/run-idempotency-repo.js';
import type { ApprovalRegistry, ChoiceResolver } from '../approval-registry.js';
import type { Agent } from '../port/agent.js';
import type { TurnRunner } from '../turn-runner.js';
import { InstancePresence } from './instance-presence.js';
import { RestartRecovery } from './restart-recovery.js';
import { RunCommandRelay } from './run-command-relay.js';
import {
  type ApprovalAnswer,
  type ApprovalResult,
  approveCommand,
  type RunCommandChannel,
  type SteerResult,
  type StopResult,
} from './run-commands.js';
import type { RunEncoderFactory } from './run-encoder.js';
import type { RunJournal } from './run-journal.js';
import { RunLifecycle, type RunSubmission } from './run-lifecycle.js';
import { isTerminal, type RunRecord } from './run-record.js';
import { RunStatusStore } from './run-status-store.js';
import { StreamApprovalOwners, type StreamWait } from './stream-approval-owners.js';

export type { ApprovalAnswer, ApprovalResult, RunSubmission, SteerResult, StopResult, StreamWait };

export interface RunRegistryOptions {
  turns: TurnRunner;
  approvals: ApprovalRegistry;
  journal: RunJournal;
  store: Store;
  idempotency: RunIdempotencyRepo;
  /** Engine events of one run -> journal payloads (implemented by the runs surface). */
  encoderFor: RunEncoderFactory;
  /** How a human choice (once, session, always, deny) answers a request (implemented by the runs surface). */
  answerFor(choice: string): ChoiceResolver;
  /** Reaches the instance that executes a run (stop, approve). */
  commands: RunCommandChannel;
  /** How long a forwarded command may wait for the owner's reply before the answer is 503. */
  commandTimeoutMs?: number;
  statusTtlMs: number;
  /** After a stop, how long the turn may take to end before the run is settled cancelled regardless. */
  stopTimeoutMs: number;
  /** Whether other gateway instances may share the store (Redis): their runs are theirs, if they are alive. */
  shared: boolean;
  /** How long an instance counts as alive after its last heartbeat (default 20 s; instances.ownershipTtlSeconds). */
  presenceTtlMs?: number;
  /** The agents by id, to steer a running turn live (reference §6.8); without them steer text waits for a next turn. */
  agents?: { get(id: string): Agent | undefined };
  logger: Logger;
  now?: () => number;
}

const COMMAND_TIMEOUT_MS = 5000;

export class RunRegistry {
  readonly instance = randomBytes(8).toString('hex');
  private readonly lifecycle: RunLifecycle;
  private readonly statuses: RunStatusStore;
  /** This instance's heartbeat, and whether others still beat (session ownership reads it too). */
  readonly presence: InstancePresence;
  private readonly recovery: RestartRecovery;
  private readonly relay: RunCommandRelay;
  private readonly streams: StreamApprovalOwners;

  constructor(private readonly options: RunRegistryOptions) {
    const { instance } = this;
    const now = options.now ?? Date.now;
    const { store, shared, journal, encoderFor, approvals, logger } = options;
    this.statuses = new RunStatusStore(store, options.statusTtlMs);
    this.presence = new InstancePresence(store, instance, logger, now, options.presenceTtlMs);
    this.lifecycle = new RunLifecycle({
      instance,
      turns: options.turns,
      approvals,
      journal,
      statuses: this.statuses,
      idempotency: options.idempotency,
      encoderFor,
      stopTimeoutMs: options.stopTimeoutMs,
      agents: options.agents,
      logger,
      now,
    });
    const { presence, statuses } = this;
    this.recovery = new RestartRecovery({ instance, shared, presence, statuses, journal, encoderFor, now });
    this.relay = new RunCommandRelay({
      channel: options.commands,
      timeoutMs: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS,
      logger,
    });
    this.streams = new StreamApprovalOwners({
      store,
      instance,
      shared,
      approvals,
      isRun: (ownerId) => this.lifecycle.isLive(ownerId),
      presence,
      relay: this.relay,
      logger,
    });
  }

  /**
   * Answers commands for this instance's runs, and announces the instance as alive (shared stores only),
   * so other instances leave its runs alone.
   */
  async start(): Promise<void> {
    await this.relay.serve(this.instance, {
      stop: (command) => this.stopRun(command.runId, command.scope, true),
      approve: (command) => this.respond(command.runId, command.scope, command, true),
      steer: (command) => this.steerRun(command.runId, command.scope, command.text, true),
    });
    if (this.options.shared) await this.presence.announce();
  }

  /** Records the run as queued, opens its journal and starts it in the background. */
  submit(submission: RunSubmission): Promise<RunRecord> {
    return this.lifecycle.submit(submission);
  }

  /** The run's status as `scope` may see it; undefined for unknown runs and other keys' runs. */
  async get(runId: string, scope: string): Promise<RunRecord | undefined> {
    const live = this.lifecycle.snapshot(runId);
    if (live) return live.scope === scope ? live : undefined;
    const stored = await this.statuses.get(runId);
    if (!stored || stored.scope !== scope) return undefined;
    return this.recovery.reconcile(stored);
  }

  /** The scope's newest runs that still have a status, newest first (GET /v1/runs). */
  async list(scope: string, limit: number): Promise<RunRecord[]> {
    const ids = await this.statuses.recent(scope, limit);
    const records = await Promise.all(ids.map((runId) => this.get(runId, scope)));
    return records.filter((record): record is RunRecord => record !== undefined);
  }

  /**
   * A streaming chat completion or response of `scope` waiting for approval, by its id, here or on another live
   * instance; undefined when `streamId` is no such stream (or waits for nothing at the moment).
   */
  streamWaiting(streamId: string, scope: string): Promise<StreamWait | undefined> {
    return this.streams.waiting(streamId, scope);
  }

  /**
   * reference §6.7: marks the run stopping and cancels its turn; the run settles when the turn ends. A run
   * of another live instance is stopped there; its answer is ours.
   */
  stop(runId: string, scope: string): Promise<StopResult> {
    return this.stopRun(runId, scope, false);
  }

  /**
   * reference §6.6: answers pending permission requests of a run, or of a streaming completion by its id.
   * Approvals are keyed per id, so one run never resolves another's. A run of another live instance is
   * answered there, once its status record shows something pending.
   */
  respondApproval(ownerId: string, scope: string, answer: ApprovalAnswer): Promise<ApprovalResult> {
    return this.respond(ownerId, scope, answer, false);
  }

  /**
   * reference §6.8: steer text for a running run, here or on the instance that executes it. 404 for unknown and
   * other keys' runs, 409 run_not_accepting_steer unless the run is running, then 400 invalid_steer_input.
   */
  steer(runId: string, scope: string, text: string): Promise<SteerResult> {
    return this.steerRun(runId, scope, text, false);
  }

  /** Settles every live run as interrupted by the shutdown, then stops the heartbeat. */
  async shutdown(): Promise<void> {
    await this.lifecycle.shutdown();
    if (this.options.shared) await this.presence.withdraw();
  }

  /** `forwarded`: another instance sent the command here, so it is answered here or not at all. */
  private async stopRun(runId: string, scope: string, forwarded: boolean): Promise<StopResult> {
    const local = await this.lifecycle.stop(runId, scope);
    if (local) return local;
    const record = await this.get(runId, scope);
    if (!record) throw GatewayError.runNotFound(runId);
    if (isTerminal(record.status)) return { outcome: 'terminal', record };
    if (!forwarded && this.runsElsewhere(record)) {
      return this.relay.forward(record, { kind: 'stop', runId, scope });
    }
    throw GatewayError.runNotActive(runId);
  }

  private async steerRun(runId: string, scope: string, text: string, forwarded: boolean): Promise<SteerResult> {
    const local = await this.lifecycle.steer(runId, scope, text);
    if (local) return local;
    const record = await this.get(runId, scope);
    if (!record) throw GatewayError.runNotFound(runId);
    if (record.status !== 'running' || forwarded || !this.runsElsewhere(record)) {
      throw GatewayError.runNotAcceptingSteer(runId);
    }
    return this.relay.forward(record, { kind: 'steer', runId, scope, text });
  }

  private async respond(
    ownerId: string,
    scope: string,
    answer: ApprovalAnswer,
    forwarded: boolean,
  ): Promise<ApprovalResult> {
    const result = this.options.approvals.respond(ownerId, scope, this.options.answerFor(answer.choice), {
      requestId: answer.requestId,
      all: answer.all,
    });
    if (result.outcome === 'resolved') return { resolved: result.resolved };
    if (result.outcome === 'not_pending') throw GatewayError.approvalNotPending(ownerId);
    const record = await this.get(ownerId, scope);
    if (!record) {
      // No run of that id: a streaming chat completion or response another live instance holds, or 404.
      if (forwarded) throw GatewayError.runNotFound(ownerId);
      return this.streams.forwardAnswer(ownerId, scope, answer);
    }
    if (isTerminal(record.status)) throw GatewayError.approvalNotActive(ownerId);
    if (forwarded || !this.runsElsewhere(record)) throw GatewayError.approvalNotPending(ownerId);
    const pending = record.pendingApprovals ?? [];
    if (pending.length === 0 || (answer.requestId !== undefined && !pending.includes(answer.requestId))) {
      throw GatewayError.approvalNotPending(ownerId);
    }
    return this.relay.forward(record, approveCommand(ownerId, scope, answer));
  }

  /** Whether another gateway instance executes the run (get() has checked that it is alive). */
  private runsElsewhere(record: RunRecord): boolean {
    return this.options.shared && record.instance !== this.instance;
  }
}
