// POST /v1/runs/{run_id}/approval (reference §6.6): answers pending permission requests of one run, or of a
// streaming chat completion / response by its id. Approvals are keyed per id: never another run's.
import type { ChoiceResolver } from '../../engine/approval-registry.js';
import { GatewayError } from '../../errors.js';
import { APPROVAL_CHOICES, type ApprovalChoice, availableChoices, choiceOptions } from '../approval-payload.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';

const ALIASES: Record<string, ApprovalChoice> = { approve: 'once', approved: 'once', allow: 'once' };
const MAX_REQUEST_ID = 256;

export function respondRunApproval(services: Services): Operation<'respondRunApproval'> {
  return async ({ params, body, ctx }) => {
    const runId = String(params.run_id);
    // reference §6.6 checks the request id before the choice.
    const requestId = readRequestId(body.request_id);
    const choice = normalizeChoice(body.choice);
    const all = truthy(body.resolve_all) || truthy(body.all);
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

/**
 * A validated choice -> the decision for each request it answers (the run registry's `answerFor`). A choice the
 * agent did not offer for a request is refused (400, listing the offered ones) before any request is answered.
 */
export function answerFor(choice: string): ChoiceResolver {
  return (request) => {
    const option = choiceOptions(request.options)[choice as ApprovalChoice];
    if (!option) throw GatewayError.invalidApprovalChoice([...availableChoices(request.options)].sort().join(', '));
    return { outcome: { outcome: 'selected', optionId: option.optionId }, choice };
  };
}

/** reference §6.6: absent, or a non-empty string of at most 256 characters once trimmed. */
function readRequestId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '' || text.length > MAX_REQUEST_ID) throw GatewayError.invalidApprovalRequest();
  return text;
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

function truthy(value: unknown): boolean {
  return (
    value === true || value === 1 || (typeof value === 'string' && ['1', 'true', 'yes'].includes(value.toLowerCase()))
  );
}
