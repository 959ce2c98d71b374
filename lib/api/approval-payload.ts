// A permission request as the hermes approval payload (reference §6.5/§6.6), and choices back to option ids.
import type { PermissionOption, PermissionRequest } from '../engine/port/engine-event.js';

export type ApprovalChoice = 'once' | 'session' | 'always' | 'deny';
export const APPROVAL_CHOICES: readonly ApprovalChoice[] = ['always', 'deny', 'once', 'session'];

/** Which agent option each hermes choice stands for (acp.md §5.3). */
export function choiceOptions(options: readonly PermissionOption[]): Partial<Record<ApprovalChoice, PermissionOption>> {
  const allowAlways = options.filter((o) => o.kind === 'allow_always');
  const session = allowAlways.find((o) => o.optionId === 'allow_session' || /session/i.test(`${o.optionId} ${o.name}`));
  return {
    once: options.find((o) => o.kind === 'allow_once'),
    session,
    always: allowAlways.find((o) => o !== session),
    deny: options.find((o) => o.kind === 'reject_once') ?? options.find((o) => o.kind === 'reject_always'),
  };
}

export function availableChoices(options: readonly PermissionOption[]): ApprovalChoice[] {
  const byChoice = choiceOptions(options);
  return (['once', 'session', 'always', 'deny'] as const).filter((c) => byChoice[c]);
}

export function approvalPayload(request: PermissionRequest) {
  const input = (request.rawInput ?? {}) as { command?: unknown; description?: unknown };
  const choices = availableChoices(request.options);
  return {
    request_id: request.requestId,
    command: typeof input.command === 'string' ? input.command : request.title,
    description: typeof input.description === 'string' ? input.description : request.title,
    tool_call_id: request.toolCallId,
    kind: request.kind ?? null,
    allow_session: choices.includes('session'),
    allow_permanent: choices.includes('always'),
    choices,
    options: request.options.map((o) => ({ option_id: o.optionId, name: o.name, kind: o.kind })),
  };
}
