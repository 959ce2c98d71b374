// POST /v1/runs (reference §6.1/§6.2): admits a background run and answers 202 at once; durable Idempotency-Key.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../engine/idempotency-cache.js';
import type { ConversationRef } from '../../engine/conversations.js';
import { GatewayError } from '../../errors.js';
import { Reply } from '../../http/operation.js';
import type { RequestContext } from '../../http/request-context.js';
import type { ResponsesRepo, StoredResponse } from '../../store/responses-repo.js';
import { parseSessionKey, sessionKeyOf } from '../../store/session-store.js';
import { newId } from '../ids.js';
import type { Operation } from '../operation-types.js';
import { readSessionHeaders } from '../session-headers.js';
import type { Services } from '../services.js';
import { historyOf } from '../responses/responses-history.js';
import { transcriptToHistory, transcriptToSeedHistory } from '../responses/responses-request-to-turn.js';
import { runsHere } from '../session-routing.js';
import { agentOf, conversationOf } from '../turn-scope.js';
import { type RunTurnParts, runRequestToTurn } from './run-request-to-turn.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

export function createRun(services: Services, responses: ResponsesRepo): Operation<'createRun'> {
  return async ({ body, headers, ctx, req, res }) => {
    const idempotencyKey = readIdempotencyKey(headers['idempotency-key']);
    const { sessionKey } = readSessionHeaders(headers);
    const previous = await loadChain(responses, ctx, body.previous_response_id ?? null);
    const parts = runRequestToTurn(body, previous && (await chainOf(services, previous)));
    const agent = agentOf(services, ctx);
    const { scope } = ctx; // the request's ownership scope: never a credential (reference §6.2)
    const echo: Record<string, string> = sessionKey ? { 'X-Hermes-Session-Key': sessionKey } : {};

    const runId = newId.run();
    const chained = body.session_id ? null : await chainedSession(services, previous, parts, agent.id);
    const sessionId = body.session_id ?? chained?.id ?? runId;
    const session = chained ?? conversationOf(ctx, sessionId, sessionKey);
    // A run on an existing conversation runs on the instance holding its live agent session (issue 18): the
    // creation itself is forwarded there; status, events and stop reach the run from any instance.
    const onConversation = (body.session_id ?? null) !== null || chained !== null;
    if (onConversation && !(await runsHere(services, { req, res, ctx, body }, sessionKeyOf(session.owner, session.id))))
      return;
    if (idempotencyKey) {
      const fingerprint = sha256(canonicalJson({ body, gateway_session_key: sessionKey ?? '' }));
      const at = Date.now();
      const reservation = await services.runIdempotency.reserve(scope, idempotencyKey, {
        fingerprint,
        runId,
        status: 'queued',
        createdAt: at,
        updatedAt: at,
        session: sessionKeyOf(session.owner, session.id),
      });
      if (reservation.outcome === 'existing') {
        // Answered before the concurrency cap: a replay starts nothing.
        if (reservation.record.fingerprint !== fingerprint) throw GatewayError.idempotencyKeyConflict();
        const current = await services.runs.get(reservation.record.runId, scope);
        const status = current?.status ?? reservation.record.status;
        return new Reply(
          202,
          { run_id: reservation.record.runId, status, replayed: true },
          { ...echo, 'Idempotency-Replayed': 'true' },
        );
      }
    }
    const release = () =>
      idempotencyKey ? services.runIdempotency.release(scope, idempotencyKey, runId) : Promise.resolve();
    let admitted: () => void;
    try {
      admitted = await services.admission.acquire();
    } catch (error) {
      await release();
      throw error;
    }
    try {
      await services.runs.submit({
        runId,
        scope,
        sessionId,
        model: body.model ?? agent.id,
        admitted,
        turn: {
          agentId: agent.id,
          session,
          model: body.model ?? agent.id,
          memoryScope: sessionKey,
          clientHistory: parts.history,
          ...(parts.seedHistory ? { seedHistory: parts.seedHistory } : {}),
          systemPrompt: parts.systemPrompt,
          input: parts.input,
          inputText: parts.inputText,
        },
        ...(idempotencyKey ? { idempotency: { scope, key: idempotencyKey } } : {}),
      });
    } catch (error) {
      await release();
      throw error;
    }
    return new Reply(202, { run_id: runId, status: 'started', replayed: false }, echo);
  };
}

/** reference §6.1: unlike POST /v1/responses, an unknown (or another key's) previous_response_id is ignored. */
async function loadChain(
  responses: ResponsesRepo,
  ctx: RequestContext,
  previousId: string | null,
): Promise<StoredResponse | null> {
  if (!previousId) return null;
  const previous = await responses.get(previousId);
  return previous?.owner === ctx.scope ? previous : null;
}

async function chainOf(services: Services, previous: StoredResponse) {
  const transcript = await historyOf(services, previous);
  return {
    history: transcriptToHistory(transcript),
    seedHistory: transcriptToSeedHistory(transcript),
    instructions: previous.instructions,
  };
}

/**
 * The chain's own session when the previous response is still that session's latest turn (the agent keeps its
 * context), as POST /v1/responses decides it. A branch from an older turn runs in the run's own session, seeded
 * with the stored conversation, so it never takes the chain's session over.
 */
async function chainedSession(
  services: Services,
  previous: StoredResponse | null,
  parts: RunTurnParts,
  agentId: string,
): Promise<ConversationRef | null> {
  if (!previous || previous.session.agentId !== agentId || !parts.history) return null;
  const row = await services.conversations.get(previous.session.key);
  if (!row || !services.conversations.matches(row, parts.history)) return null;
  return parseSessionKey(previous.session.key);
}

/** 1–255 visible ASCII characters after trimming; empty or absent means no idempotency. */
function readIdempotencyKey(value: unknown): string | null {
  if (value === undefined) return null;
  const key = String(value).trim();
  if (key === '') return null;
  if (!IDEMPOTENCY_KEY.test(key)) throw GatewayError.invalidIdempotencyKey();
  return key;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
