// The headless answer to a permission request nobody can approve: deny (default), allow_once or read_only.
import type { PermissionOutcome, PermissionRequest } from './port/engine-event.js';

export type PermissionPolicy = 'deny' | 'allow_once' | 'read_only';

/** Tool kinds that cannot change anything (ACP ToolKind). */
const READ_ONLY_KINDS = new Set(['read', 'search', 'fetch', 'think']);

export function decideByPolicy(policy: PermissionPolicy, request: PermissionRequest): PermissionOutcome {
  const allow = policy === 'allow_once' || (policy === 'read_only' && READ_ONLY_KINDS.has(request.kind ?? ''));
  return pickOption(request, allow ? ['allow_once'] : ['reject_once', 'reject_always']);
}

/** The first option of the wanted kinds, in order of preference; cancelled when the agent offers none. */
export function pickOption(request: PermissionRequest, kinds: readonly string[]): PermissionOutcome {
  for (const kind of kinds) {
    const option = request.options.find((o) => o.kind === kind);
    if (option) return { outcome: 'selected', optionId: option.optionId };
  }
  return { outcome: 'cancelled' };
}
