// Background runs (reference §6): submission, the status record in the store, the turn's events into the
// journal, stop, approvals, settling, and what a restart leaves behind. Knows no wire format: the runs
// surface hands in an encoder that turns engine events into journal payloads, and how a choice answers.
// Stop and approval of a run another instance executes go to that instance over the command channel.
import { randomBytes } from 'node:crypto';
import { type ErrorType, GatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/keyv.js';
import { Repository } from '../../store/repository.js';
import { InstancePresence } from './instance-presence.js';
import type { RunIdempotencyRepo } from '../../store/run-idempotency-repo.js';
import type { ApprovalRegistry, ChoiceResolver } from '../approval-registry.js';
import type { EngineEvent, PermissionRequest } from '../port/engine-event.js';
import type { TurnRequest, TurnRunner } from '../turn-runner.js';
import { emptySummary, type TurnSummary } from '../turn-summary.js';
import type { RelayedError, RunCommand, RunCommandChannel, RunCommandReply } from './run-commands.js';
import type { RunEventPayload, RunJournal } from './run-journal.js';
import {
  isTerminal,
  RESTARTED_ERROR,
  type RunOutcome,
  type RunRecord,
  type RunStatus,
  summaryToOutcome,
} from './run-record.js';

/** Engine events of one run -> journal payloads (implemented by the runs surface). */
export interface RunEncoder {
  started(): RunEventPayload[];
  push(event: EngineEvent): RunEventPayload[];
  finish(outcome: RunOutcome): RunEventPayload[];
}

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

export interface RunRegistryOptions {
  turns: TurnRunner;
  approvals: ApprovalRegistry;
  journal: RunJournal;
  store: Store;
  idempotency: RunIdempotencyRepo;
  encoderFor(meta: { runId: string; sessionId: string; model: string }): RunEncoder;
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
  logger: Logger;
  now?: () => number;
}

export type StopResult = { outcome: 'stopping' } | { outcome: 'terminal'; record: RunRecord };

/** reference §6.6: a choice for the oldest pending request, one request, or all of them. */
export interface ApprovalAnswer {
  choice: string;
  requestId?: string;
  all?: boolean;
}

interface LiveRun {
  record: RunRecord;
  controller: AbortController;
  stopRequested: boolean;
  pending: PermissionRequest[];
  idempotency?: { scope: string; key: string };
  settled: boolean;
  done: Promise<void>;
  /** Settles the run with this outcome if the turn has not settled it yet. */
  force(outcome: RunOutcome): Promise<void>;
}

/**
 * Where a streaming chat completion or response waits for approvals (shared stores only): another instance that
 * receives `POST /v1/runs/{its id}/approval` forwards the answer there, as for a run.
 */
interface StreamOwner {
  scope: string;
  instance: string;
  /** The request ids waiting for an answer. */
  pending: string[];
}

/** A stream owner record outlives no approval: the longest wait is the approval timeout (240 s by default). */
const STREAM_OWNER_TTL_MS = 3600 * 1000;

/** A run that never settles (a dead instance's) is still reported, then forgotten, after a day. */
const LIVE_RECORD_TTL_MS = 24 * 3600 * 1000;
const SHUTDOWN_WAIT_MS = 3000;
const COMMAND_TIMEOUT_MS = 5000;

export class RunRegistry {
  readonly instance = randomBytes(8).toString('hex');
  private readonly live = new Map<string, LiveRun>();
  private readonly records: Repository<RunRecord>;
  private readonly streamOwners: Repository<StreamOwner>;
  /** The last write of each stream owner record: writes of one owner are applied in order. */
  private readonly streamWrites = new Map<string, Promise<void>>();
  private readonly presence: InstancePresence;
  private readonly now: () => number;
  private shuttingDown = false;

  constructor(private readonly options: RunRegistryOptions) {
    this.now = options.now ?? Date.now;
    this.records = new Repository<RunRecord>(options.store, 'runs');
    this.presence = new InstancePresence(options.store, this.instance, options.logger, this.now);
    this.streamOwners = new Repository<StreamOwner>(options.store, 'approval-owners', STREAM_OWNER_TTL_MS);
    if (options.shared) options.approvals.watch((ownerId, scope, pending) => this.noteStream(ownerId, scope, pending));
  }

  /** A stream's pending approvals changed: record (or clear) that this instance holds them. Runs have records. */
  private noteStream(ownerId: string, scope: string, pending: string[]): void {
    if (this.live.has(ownerId)) return;
    const write = () =>
      pending.length > 0
        ? this.streamOwners.set(ownerId, { scope, instance: this.instance, pending })
        : this.streamOwners.delete(ownerId).then(() => undefined);
    const previous = this.streamWrites.get(ownerId) ?? Promise.resolve();
    const next = previous.then(write).catch((error: unknown) => {
      this.options.logger.warn({ err: error, ownerId }, 'could not record a stream awaiting approval');
    });
    this.streamWrites.set(ownerId, next);
    void next.then(() => {
      if (this.streamWrites.get(ownerId) === next) this.streamWrites.delete(ownerId);
    });
  }

  /**
   * Answers commands for this instance's runs, and announces the instance as alive (shared stores only),
   * so other instances leave its runs alone.
   */
  async start(): Promise<void> {
    await this.options.commands.serve(this.instance, (command) => this.serveCommand(command));
    if (this.options.shared) await this.presence.announce();
  }

  activeCount(): number {
    return this.live.size;
  }

  isLive(runId: string): boolean {
    return this.live.has(runId);
  }

  /** Records the run as queued, opens its journal and starts it in the background. */
  async submit(submission: RunSubmission): Promise<RunRecord> {
    const at = this.now();
    const record: RunRecord = {
      runId: submission.runId,
      scope: submission.scope,
      instance: this.instance,
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
      done: new Promise<void>((resolve) => {
        resolveDone = resolve;
      }),
      force: async () => {},
    };
    this.live.set(record.runId, run);
    try {
      await this.options.journal.open(record.runId);
      await this.persist(record);
    } catch (error) {
      this.live.delete(record.runId);
      submission.admitted();
      throw error;
    }
    void this.execute(run, submission).finally(resolveDone);
    return { ...record };
  }

  /** The run's status as `scope` may see it; undefined for unknown runs and other keys' runs. */
  async get(runId: string, scope: string): Promise<RunRecord | undefined> {
    const run = this.live.get(runId);
    if (run) return run.record.scope === scope ? { ...run.record } : undefined;
    const stored = await this.records.get(runId);
    if (!stored || stored.scope !== scope) return undefined;
    if (isTerminal(stored.status) || (await this.ownerAlive(stored))) return stored;
    return this.markRestarted(stored);
  }

  /**
   * reference §6.7: marks the run stopping and cancels its turn; the run settles when the turn ends. A run
   * of another live instance is stopped there; its answer is ours.
   */
  stop(runId: string, scope: string): Promise<StopResult> {
    return this.stopHere(runId, scope, false);
  }

  /**
   * reference §6.6: answers pending permission requests of a run, or of a streaming completion by its id.
   * Approvals are keyed per id, so one run never resolves another's. A run of another live instance is
   * answered there, once its status record shows something pending.
   */
  respondApproval(ownerId: string, scope: string, answer: ApprovalAnswer): Promise<{ resolved: number }> {
    return this.respondHere(ownerId, scope, answer, false);
  }

  private async stopHere(runId: string, scope: string, forwarded: boolean): Promise<StopResult> {
    const run = this.live.get(runId);
    if (!run || run.record.scope !== scope) {
      const record = await this.get(runId, scope);
      if (!record) throw GatewayError.runNotFound(runId);
      if (isTerminal(record.status)) return { outcome: 'terminal', record };
      if (!forwarded && this.runsElsewhere(record)) {
        return (await this.forward(record, { kind: 'stop', runId, scope })) as StopResult;
      }
      throw GatewayError.runNotActive(runId);
    }
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

  private async respondHere(
    ownerId: string,
    scope: string,
    answer: ApprovalAnswer,
    forwarded: boolean,
  ): Promise<{ resolved: number }> {
    const result = this.options.approvals.respond(ownerId, scope, this.options.answerFor(answer.choice), {
      requestId: answer.requestId,
      all: answer.all,
    });
    if (result.outcome === 'resolved') return { resolved: result.resolved };
    if (result.outcome === 'not_pending') throw GatewayError.approvalNotPending(ownerId);
    const record = await this.get(ownerId, scope);
    if (!record) return this.respondForStream(ownerId, scope, answer, forwarded);
    if (isTerminal(record.status)) throw GatewayError.approvalNotActive(ownerId);
    if (forwarded || !this.runsElsewhere(record)) throw GatewayError.approvalNotPending(ownerId);
    const pending = record.pendingApprovals ?? [];
    if (pending.length === 0 || (answer.requestId !== undefined && !pending.includes(answer.requestId))) {
      throw GatewayError.approvalNotPending(ownerId);
    }
    return (await this.forward(record, approveCommand(ownerId, scope, answer))) as { resolved: number };
  }

  /** No run of that id: a streaming chat completion or response another live instance holds, or 404. */
  private async respondForStream(
    ownerId: string,
    scope: string,
    answer: ApprovalAnswer,
    forwarded: boolean,
  ): Promise<{ resolved: number }> {
    const owner = this.options.shared && !forwarded ? await this.streamOwners.get(ownerId) : undefined;
    if (!owner || owner.scope !== scope || owner.instance === this.instance) throw GatewayError.runNotFound(ownerId);
    if (!(await this.presence.isAlive(owner.instance))) throw GatewayError.runNotFound(ownerId);
    if (answer.requestId !== undefined && !owner.pending.includes(answer.requestId)) {
      throw GatewayError.approvalNotPending(ownerId);
    }
    const command = approveCommand(ownerId, scope, answer);
    return (await this.forward({ runId: ownerId, instance: owner.instance }, command)) as { resolved: number };
  }

  /** Whether another gateway instance executes the run (get() has checked that it is alive). */
  private runsElsewhere(record: RunRecord): boolean {
    return this.options.shared && record.instance !== this.instance;
  }

  /** Sends a command to the run's owner and returns its answer, or throws the HTTP error it answered. */
  private async forward(record: Pick<RunRecord, 'runId' | 'instance'>, command: RunCommand): Promise<unknown> {
    let reply: RunCommandReply;
    try {
      reply = await this.options.commands.send(
        record.instance,
        command,
        this.options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS,
      );
    } catch (error) {
      this.options.logger.warn({ err: error, runId: record.runId, owner: record.instance }, 'run owner unreachable');
      throw GatewayError.runOwnerUnreachable(record.runId);
    }
    if (reply.ok) return reply.value;
    if (!reply.error) throw new Error(`run command ${command.kind} failed on instance ${record.instance}`);
    const { status, type, code, message, param, headers } = reply.error;
    throw new GatewayError(status, type as ErrorType, code, message, param, headers);
  }

  /** A command from another instance, about a run it found ours in the store: answered as if asked here. */
  private async serveCommand(command: RunCommand): Promise<RunCommandReply> {
    try {
      const value =
        command.kind === 'stop'
          ? await this.stopHere(command.runId, command.scope, true)
          : await this.respondHere(command.runId, command.scope, command, true);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof GatewayError) return { ok: false, error: relayed(error) };
      this.options.logger.error({ err: error, command }, 'run command failed');
      return { ok: false, error: null };
    }
  }

  /** Settles every live run as interrupted by the shutdown, then stops the heartbeat. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    const runs = [...this.live.values()];
    for (const run of runs) run.controller.abort(new Error('gateway shutdown'));
    const waited = await Promise.race([
      Promise.all(runs.map((run) => run.done)).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_WAIT_MS).unref()),
    ]);
    if (!waited) {
      await Promise.allSettled(
        runs.map((run) =>
          run.force({
            status: 'failed',
            output: run.record.output ?? '',
            usage: null,
            error: 'Gateway shutdown interrupted the run.',
            completed: false,
            partial: true,
            interrupted: true,
          }),
        ),
      );
    }
    if (this.options.shared) await this.presence.withdraw();
  }

  private async execute(run: LiveRun, submission: RunSubmission): Promise<void> {
    const { runId } = run.record;
    const encoder = this.options.encoderFor({ runId, sessionId: run.record.sessionId, model: run.record.model });
    let summary: TurnSummary = emptySummary();
    let outcome: RunOutcome | null = null;
    const settle = async (result: RunOutcome) => {
      if (run.settled) return;
      run.settled = true;
      await this.settle(run, encoder, result);
    };
    run.force = settle;
    try {
      const turn = await this.options.turns.start({
        ...submission.turn,
        signal: run.controller.signal,
        approver: this.options.approvals.approverFor(runId, run.record.scope),
        admitted: submission.admitted,
      });
      if (!run.stopRequested) await this.setStatus(run, 'running', {});
      await this.emit(run, encoder.started());
      for await (const event of turn) {
        if (run.settled) continue; // forced (stop backstop, shutdown): drain quietly
        await this.onEvent(run, event);
        await this.emit(run, encoder.push(event));
      }
      summary = await turn.done;
      outcome = summaryToOutcome(summary, { stopRequested: run.stopRequested, shuttingDown: this.shuttingDown });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof GatewayError)) this.options.logger.error({ err: error, runId }, 'run failed');
      summary.error = { code: 'agent_error', message };
      outcome = summaryToOutcome(summary, { stopRequested: run.stopRequested, shuttingDown: this.shuttingDown });
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

  private async onEvent(run: LiveRun, event: EngineEvent): Promise<void> {
    if (event.type === 'approval_request') {
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

  private async emit(run: LiveRun, payloads: RunEventPayload[]): Promise<void> {
    for (const payload of payloads) {
      run.record.lastEvent = payload.event;
      if (payload.event === 'message.delta') run.record.output = (run.record.output ?? '') + String(payload.delta);
      await this.options.journal.append(run.record.runId, payload);
    }
  }

  private async settle(run: LiveRun, encoder: RunEncoder, outcome: RunOutcome): Promise<void> {
    const { record } = run;
    const { runId } = record;
    Object.assign(record, {
      status: outcome.status,
      updatedAt: this.now(),
      output: outcome.output,
      usage: outcome.usage,
      error: outcome.error,
      approval: null,
      pendingApprovals: [],
      completed: outcome.completed,
      partial: outcome.partial,
      interrupted: outcome.interrupted,
      ...(outcome.turnExitReason ? { turnExitReason: outcome.turnExitReason } : {}),
      ...(outcome.note ? { note: outcome.note } : {}),
    } satisfies Partial<RunRecord>);
    this.options.approvals.forget(runId);
    try {
      await this.emit(run, encoder.finish(outcome));
      await this.options.journal.close(runId);
      await this.persist(record);
      if (run.idempotency) {
        await this.options.idempotency.updateStatus(run.idempotency.scope, run.idempotency.key, runId, record.status);
      }
    } finally {
      this.live.delete(runId);
    }
  }

  private async setStatus(run: LiveRun, status: RunStatus, patch: Partial<RunRecord>): Promise<void> {
    if (run.settled) return;
    Object.assign(run.record, patch, { status, updatedAt: this.now() });
    await this.persist(run.record).catch((error: unknown) =>
      this.options.logger.warn({ err: error, runId: run.record.runId }, 'run status not persisted'),
    );
  }

  private persist(record: RunRecord): Promise<void> {
    const ttl = isTerminal(record.status) ? this.options.statusTtlMs : LIVE_RECORD_TTL_MS;
    return this.records.set(record.runId, { ...record }, ttl);
  }

  private async ownerAlive(record: RunRecord): Promise<boolean> {
    if (record.instance === this.instance) return false; // ours, yet not live here: it was lost
    if (!this.options.shared) return false; // one process per store file: the owner is gone
    return this.presence.isAlive(record.instance);
  }

  /** A run whose gateway went away before it settled: failed, and said so, never running forever. */
  private async markRestarted(stored: RunRecord): Promise<RunRecord> {
    const record: RunRecord = {
      ...stored,
      status: 'failed',
      updatedAt: this.now(),
      lastEvent: 'run.failed',
      error: RESTARTED_ERROR,
      approval: null,
      pendingApprovals: [],
      completed: false,
      partial: Boolean(stored.output),
      interrupted: true,
    };
    await this.persist(record);
    const { journal } = this.options;
    if (await journal.exists(record.runId)) {
      const encoder = this.options.encoderFor({
        runId: record.runId,
        sessionId: record.sessionId,
        model: record.model,
      });
      const outcome: RunOutcome = {
        status: 'failed',
        output: record.output ?? '',
        usage: null,
        error: RESTARTED_ERROR,
        completed: false,
        partial: record.partial ?? false,
        interrupted: true,
      };
      for (const payload of encoder.finish(outcome)) await journal.append(record.runId, payload);
      await journal.close(record.runId);
    }
    return record;
  }
}

function relayed(error: GatewayError): RelayedError {
  const { status, type, code, message, param, headers } = error;
  return { status, type, code, message, param, headers: { ...headers } };
}

/** The command that carries an approval answer to the instance holding the run or stream. */
function approveCommand(ownerId: string, scope: string, answer: ApprovalAnswer): RunCommand {
  const command: RunCommand = { kind: 'approve', runId: ownerId, scope, choice: answer.choice };
  if (answer.requestId !== undefined) command.requestId = answer.requestId;
  if (answer.all) command.all = true;
  return command;
}
