// Answers the agent's session/request_permission for one turn through the caller's onPermission.
// Owns the cancel cascade of acp.md §1.5/§5.3: when the agent withdraws ($/cancel_request), the turn
// is cancelled or the turn ends, the decision's signal aborts and the agent hears `cancelled`.
import type { RequestPermissionRequest, RequestPermissionResponse } from '@agentclientprotocol/sdk/unstable';
import type { PermissionOutcome, PermissionRequest } from '../../engine/port/engine-event.js';
import type { Logger } from '../../log.js';
import type { PromptOptions } from '../../engine/port/agent.js';

export const CANCELLED: RequestPermissionResponse = { outcome: { outcome: 'cancelled' } };

export class PermissionBridge {
  private readonly pending = new Set<AbortController>();
  private readonly usedIds = new Set<string>();
  private closed = false;

  constructor(
    private readonly onPermission: PromptOptions['onPermission'],
    private readonly logger: Logger,
  ) {}

  /** Asks the caller; `agentSignal` is the SDK's, aborted when the agent withdraws the request. */
  async request(params: RequestPermissionRequest, agentSignal: AbortSignal): Promise<RequestPermissionResponse> {
    if (this.closed || agentSignal.aborted) return CANCELLED;
    const request = permissionParamsToRequest(params, this.uniqueId(params.toolCall.toolCallId));
    const decision = new AbortController();
    const withdraw = () => decision.abort(new Error('the agent withdrew the permission request'));
    agentSignal.addEventListener('abort', withdraw, { once: true });
    this.pending.add(decision);
    try {
      const outcome = await untilAborted(this.onPermission(request, decision.signal), decision.signal);
      if (!outcome || decision.signal.aborted) return CANCELLED;
      return { outcome: this.checked(outcome, request) };
    } catch (error) {
      this.logger.warn({ err: error, requestId: request.requestId }, 'permission decision failed; answering cancelled');
      return CANCELLED;
    } finally {
      agentSignal.removeEventListener('abort', withdraw);
      this.pending.delete(decision);
    }
  }

  /** The turn is over or cancelled: answer every pending request, and any later one, with `cancelled`. */
  cancelAll(reason: string): void {
    this.closed = true;
    for (const decision of this.pending) decision.abort(new Error(reason));
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** An option the agent did not offer would be read as a deny by most agents; say so plainly. */
  private checked(outcome: PermissionOutcome, request: PermissionRequest): PermissionOutcome {
    if (outcome.outcome === 'cancelled') return outcome;
    if (request.options.some((option) => option.optionId === outcome.optionId)) return outcome;
    this.logger.warn(
      { requestId: request.requestId, optionId: outcome.optionId },
      'permission decision names an option the agent did not offer; answering cancelled',
    );
    return { outcome: 'cancelled' };
  }

  /** The agent's toolCallId, made unique within the turn (an agent may ask twice for one tool call). */
  private uniqueId(toolCallId: string): string {
    let id = toolCallId;
    for (let n = 2; this.usedIds.has(id); n++) id = `${toolCallId}#${n}`;
    this.usedIds.add(id);
    return id;
  }
}

/** ACP request → neutral PermissionRequest. */
export function permissionParamsToRequest(params: RequestPermissionRequest, requestId: string): PermissionRequest {
  const { toolCall } = params;
  return {
    requestId,
    toolCallId: toolCall.toolCallId,
    title: toolCall.title ?? commandOf(toolCall.rawInput) ?? toolCall.toolCallId,
    ...(toolCall.kind ? { kind: toolCall.kind } : {}),
    ...(toolCall.rawInput !== undefined ? { rawInput: toolCall.rawInput } : {}),
    options: params.options.map(({ optionId, name, kind }) => ({ optionId, name, kind })),
  };
}

function commandOf(rawInput: unknown): string | undefined {
  if (typeof rawInput !== 'object' || rawInput === null) return undefined;
  const command = (rawInput as { command?: unknown }).command;
  return typeof command === 'string' ? command : undefined;
}

/** Resolves with the decision, or with null as soon as `signal` aborts. */
function untilAborted<T>(decision: Promise<T>, signal: AbortSignal): Promise<T | null> {
  if (signal.aborted) {
    decision.catch(() => {}); // already cancelled: a late failure has no one to tell
    return Promise.resolve(null);
  }
  return new Promise<T | null>((resolve, reject) => {
    const onAbort = () => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
    decision.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) resolve(null);
        else reject(error);
      },
    );
  });
}
