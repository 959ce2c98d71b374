// Pending agent permission requests, keyed per owner (a run id or a streaming chat/response id), and
// the Approver each owner's turn uses. Process-local: an answer must reach the instance running the turn (a
// watcher hears every change of an owner's pending list, so the run registry can say where that is).
import type { ApprovalDecision, Approver } from './approvals.js';
import type { PermissionRequest } from './port/engine-event.js';
import { pickOption } from './permission-policy.js';

/** Maps a human choice on one request to the decision sent to the agent (the api layer knows choices). */
export type ChoiceResolver = (request: PermissionRequest) => ApprovalDecision;

export interface RespondOptions {
  /** Answer only this request. */
  requestId?: string;
  /** Answer every pending request of the owner (default: the oldest one). */
  all?: boolean;
}

export type RespondResult =
  | { outcome: 'resolved'; resolved: number }
  | { outcome: 'unknown' }
  | { outcome: 'not_pending' };

interface Pending {
  request: PermissionRequest;
  settle(decision: ApprovalDecision): void;
}

interface Owner {
  scope: string;
  pending: Pending[];
  /** When the owner's approver was made (its stream or run started), epoch ms. */
  createdAt: number;
  /** When its approver was last made or its pending list last changed, epoch ms. */
  lastUsed: number;
}

/** An owner's pending requests, oldest first, as a watcher hears them and `waiting()` reports them. */
export interface PendingApprovals {
  scope: string;
  requests: PermissionRequest[];
  createdAt: number;
  updatedAt: number;
}

export interface ApprovalRegistryOptions {
  /** No answer within this long: the deny option is sent (0 or less: wait forever). */
  timeoutMs: number;
  /** Owners with nothing pending are forgotten after this long. */
  forgetAfterMs?: number;
  now?: () => number;
}

/** Hears an owner's pending requests after each change (a request added, answered, timed out, cancelled). */
export type PendingWatcher = (ownerId: string, pending: PendingApprovals) => void;

const PRUNE_EVERY_MS = 60_000;

export class ApprovalRegistry {
  private readonly owners = new Map<string, Owner>();
  private readonly now: () => number;
  private watcher: PendingWatcher | null = null;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ApprovalRegistryOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Sets the one watcher of pending lists (the run registry, when instances share a store). */
  watch(watcher: PendingWatcher): void {
    this.watcher = watcher;
  }

  private changed(ownerId: string, owner: Owner): void {
    owner.lastUsed = this.now();
    this.watcher?.(ownerId, snapshot(owner));
  }

  /**
   * The approver for one owner. `scope` (the request's ownership scope) guards the answer endpoint: another key's
   * request for this owner id looks unknown. Calling again for the same owner keeps its pending requests.
   */
  approverFor(ownerId: string, scope: string): Approver {
    this.prune();
    const owner = this.ownerOf(ownerId, scope);
    return {
      decide: (request, signal) =>
        new Promise<ApprovalDecision>((resolve) => {
          let timer: NodeJS.Timeout | undefined;
          const entry: Pending = {
            request,
            settle: (decision) => {
              const at = owner.pending.indexOf(entry);
              if (at === -1) return; // already answered
              owner.pending.splice(at, 1);
              this.changed(ownerId, owner);
              clearTimeout(timer);
              signal.removeEventListener('abort', onAbort);
              resolve(decision);
            },
          };
          const onAbort = () => entry.settle({ outcome: { outcome: 'cancelled' }, choice: 'cancelled' });
          if (signal.aborted) return resolve({ outcome: { outcome: 'cancelled' }, choice: 'cancelled' });
          owner.pending.push(entry);
          this.changed(ownerId, owner);
          signal.addEventListener('abort', onAbort, { once: true });
          if (this.options.timeoutMs > 0) {
            timer = setTimeout(
              () => entry.settle({ ...denyDecision(request), timedOut: true }),
              this.options.timeoutMs,
            );
            timer.unref();
          }
        }),
    };
  }

  /** Whether `ownerId` is known to this process for `scope`. */
  has(ownerId: string, scope: string): boolean {
    return this.owners.get(ownerId)?.scope === scope;
  }

  pending(ownerId: string): PermissionRequest[] {
    return this.owners.get(ownerId)?.pending.map((p) => p.request) ?? [];
  }

  /** The owner's pending requests while it waits for an answer; undefined when nothing is pending (or for another scope). */
  waiting(ownerId: string, scope: string): PendingApprovals | undefined {
    const owner = this.owners.get(ownerId);
    if (!owner || owner.scope !== scope || owner.pending.length === 0) return undefined;
    return snapshot(owner);
  }

  /**
   * Answers pending requests of one owner, never another's. Every decision is made before any is sent, so a
   * resolver that refuses one request (throws) leaves them all pending.
   */
  respond(ownerId: string, scope: string, choose: ChoiceResolver, options: RespondOptions = {}): RespondResult {
    const owner = this.owners.get(ownerId);
    if (!owner || owner.scope !== scope) return { outcome: 'unknown' };
    const targets = options.requestId
      ? owner.pending.filter((p) => p.request.requestId === options.requestId)
      : options.all
        ? [...owner.pending]
        : owner.pending.slice(0, 1);
    if (targets.length === 0) return { outcome: 'not_pending' };
    const decisions = targets.map((target) => ({ target, decision: choose(target.request) }));
    for (const { target, decision } of decisions) target.settle(decision);
    return { outcome: 'resolved', resolved: targets.length };
  }

  /** The owner's turn is over: anything still pending is answered cancelled and the owner forgotten. */
  forget(ownerId: string): void {
    const owner = this.owners.get(ownerId);
    if (!owner) return;
    for (const p of [...owner.pending]) p.settle({ outcome: { outcome: 'cancelled' }, choice: 'cancelled' });
    this.owners.delete(ownerId);
  }

  private ownerOf(ownerId: string, scope: string): Owner {
    let owner = this.owners.get(ownerId);
    if (!owner) {
      owner = { scope, pending: [], createdAt: this.now(), lastUsed: this.now() };
      this.owners.set(ownerId, owner);
    }
    owner.lastUsed = this.now();
    return owner;
  }

  /** Scans at most once a minute: every streaming request makes an owner, and a scan per request grew with them. */
  private prune(): void {
    const now = this.now();
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    const horizon = now - (this.options.forgetAfterMs ?? 3_600_000);
    for (const [id, owner] of this.owners) {
      if (owner.pending.length === 0 && owner.lastUsed < horizon) this.owners.delete(id);
    }
  }
}

function snapshot(owner: Owner): PendingApprovals {
  const requests = owner.pending.map((p) => p.request);
  return { scope: owner.scope, requests, createdAt: owner.createdAt, updatedAt: owner.lastUsed };
}

/** The agent's reject option (once, else always); cancelled when it offers none. */
export function denyDecision(request: PermissionRequest): ApprovalDecision {
  return { outcome: pickOption(request, ['reject_once', 'reject_always']), choice: 'deny' };
}
