// POST /v1/runs/{run_id}/approval (reference §6.6): answers pending permission requests of one run, or of a
// streaming chat completion / response by its id. Approvals are keyed per id: never another run's.
import type { ChoiceResolver } from '../../engine/approval-registry.js';
import type { PermissionRequest } from '../../engine/port/engine-event.js';
import { GatewayError } from '../../errors.js';
import { APPROVAL_CHOICES, type ApprovalChoice, choiceOptions } from '../approval-payload.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';

const ALIASES: Record<string, ApprovalChoice> = { approve: 'once', approved: 'once', allow: 'once' };

export function respondRunApproval(services: Services): Operation<'respondRunApproval'> {
  return async ({ params, body, ctx }) => {
    const runId = String(params.run_id);
    const choice = normalizeChoice(body.choice);
    const all = truthy(body.resolve_all) || truthy(body.all);
    const requestId = typeof body.request_id === 'string' ? body.request_id : undefined;
    // Here, or on the instance executing the run: the same answers either way.
    const { resolved } = await services.runs.respondApproval(runId, ctx.scope, {
      choice,
      ...(requestId !== undefined ? { requestId } : {}),
      ...(all ? { all } : {}),
    });
    return {
      object: 'hermes.run.approval_response',
      run_id: runId,
      choice,
      ...(requestId ? { request_id: requestId } : {}),
      resolved,
    };
  };
}

/** A validated choice -> the decision for each request it answers (the run registry's `answerFor`). */
export function answerFor(choice: string): ChoiceResolver {
  return (request) => ({ outcome: choiceToAgentOutcome(request, choice as ApprovalChoice), choice });
}

function normalizeChoice(value: unknown): ApprovalChoice {
  const text = String(value ?? '')
    .trim()
    .toLowerCase();
  const choice = ALIASES[text] ?? text;
  if (!(APPROVAL_CHOICES as readonly string[]).includes(choice))
    throw GatewayError.invalidApprovalChoice(APPROVAL_CHOICES.join(', '));
  return choice as ApprovalChoice;
}

/** The agent's exact option for the choice; an allow the agent does not offer falls back to its allow-once. */
function choiceToAgentOutcome(request: PermissionRequest, choice: ApprovalChoice) {
  const options = choiceOptions(request.options);
  const option = options[choice] ?? (choice === 'deny' ? undefined : options.once);
  return option ? { outcome: 'selected' as const, optionId: option.optionId } : { outcome: 'cancelled' as const };
}

function truthy(value: unknown): boolean {
  return (
    value === true || value === 1 || (typeof value === 'string' && ['1', 'true', 'yes'].includes(value.toLowerCase()))
  );
}
