// Streaming chat completions and responses waiting for approval, by their id: what `GET /v1/runs/{stream id}`
// reports, and (shared stores only) which instance holds them. The holder records its pending requests; another
// instance reports them from that record, and forwards `POST /v1/runs/{stream id}/approval` there, as for a run.
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/keyv.js';
import { Repository } from '../../store/repository.js';
import type { ApprovalRegistry, PendingApprovals } from '../approval-registry.js';
import type { PermissionRequest } from '../port/engine-event.js';
import type { InstancePresence } from './instance-presence.js';
import type { RunCommandRelay } from './run-command-relay.js';
import { type ApprovalAnswer, type ApprovalResult, approveCommand } from './run-commands.js';

interface StreamOwner {
  scope: string;
  instance: string;
  /** The request ids waiting for an answer. */
  pending: string[];
  /** The oldest pending request, as GET /v1/runs/{stream id} shows it. */
  approval?: PermissionRequest;
  createdAt?: number;
  updatedAt?: number;
}

/** A stream waiting for approval (the run registry reports it as a run `waiting_for_approval`). */
export interface StreamWait {
  ownerId: string;
  /** The oldest pending request. */
  approval: PermissionRequest;
  createdAt: number;
  updatedAt: number;
}

/** A stream owner record outlives no approval: the longest wait is the approval timeout (240 s by default). */
const STREAM_OWNER_TTL_MS = 3600 * 1000;

export interface StreamApprovalOwnersOptions {
  store: Store;
  /** This gateway instance. */
  instance: string;
  /** Without other instances on the store there is nobody to record for, nor to forward to. */
  shared: boolean;
  approvals: ApprovalRegistry;
  /** Whether an owner id is a run of this instance: runs say where they execute in their status record. */
  isRun(ownerId: string): boolean;
  presence: InstancePresence;
  relay: RunCommandRelay;
  logger: Logger;
}

export class StreamApprovalOwners {
  private readonly owners: Repository<StreamOwner>;
  /** The last write of each owner record: writes of one owner are applied in order. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly options: StreamApprovalOwnersOptions) {
    this.owners = new Repository<StreamOwner>(options.store, 'approval-owners', STREAM_OWNER_TTL_MS);
    if (options.shared) options.approvals.watch((ownerId, pending) => this.note(ownerId, pending));
  }

  /**
   * The stream `ownerId` of `scope`, while it waits for approval: held here, or (shared stores) by another live
   * instance. Undefined otherwise, e.g. before its first request and once it has nothing pending any more.
   */
  async waiting(ownerId: string, scope: string): Promise<StreamWait | undefined> {
    const { approvals, shared, instance, presence, isRun } = this.options;
    if (isRun(ownerId)) return undefined;
    const local = approvals.waiting(ownerId, scope);
    if (local) return { ownerId, approval: local.requests[0]!, createdAt: local.createdAt, updatedAt: local.updatedAt };
    if (!shared) return undefined;
    const owner = await this.owners.get(ownerId);
    if (!owner?.approval || owner.scope !== scope || owner.instance === instance) return undefined;
    if (!(await presence.isAlive(owner.instance))) return undefined;
    const createdAt = owner.createdAt ?? Date.now();
    return { ownerId, approval: owner.approval, createdAt, updatedAt: owner.updatedAt ?? createdAt };
  }

  /**
   * Answers pending approvals of a stream another live instance holds, there. No such stream: 404, as for an
   * unknown run.
   */
  async forwardAnswer(ownerId: string, scope: string, answer: ApprovalAnswer): Promise<ApprovalResult> {
    const { shared, instance, presence, relay } = this.options;
    const owner = shared ? await this.owners.get(ownerId) : undefined;
    if (!owner || owner.scope !== scope || owner.instance === instance) throw GatewayError.runNotFound(ownerId);
    if (!(await presence.isAlive(owner.instance))) throw GatewayError.runNotFound(ownerId);
    if (answer.requestId !== undefined && !owner.pending.includes(answer.requestId)) {
      throw GatewayError.approvalNotPending(ownerId);
    }
    return relay.forward({ runId: ownerId, instance: owner.instance }, approveCommand(ownerId, scope, answer));
  }

  /** A stream's pending approvals changed: record (or clear) that this instance holds them. */
  private note(ownerId: string, { scope, requests, createdAt, updatedAt }: PendingApprovals): void {
    if (this.options.isRun(ownerId)) return;
    const record: StreamOwner = {
      scope,
      instance: this.options.instance,
      pending: requests.map((request) => request.requestId),
      ...(requests[0] ? { approval: requests[0] } : {}),
      createdAt,
      updatedAt,
    };
    const write = () =>
      requests.length > 0 ? this.owners.set(ownerId, record) : this.owners.delete(ownerId).then(() => undefined);
    const previous = this.writes.get(ownerId) ?? Promise.resolve();
    const next = previous.then(write).catch((error: unknown) => {
      this.options.logger.warn({ err: error, ownerId }, 'could not record a stream awaiting approval');
    });
    this.writes.set(ownerId, next);
    void next.then(() => {
      if (this.writes.get(ownerId) === next) this.writes.delete(ownerId);
    });
  }
}
