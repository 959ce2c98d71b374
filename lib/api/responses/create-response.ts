// POST /v1/responses (reference §4): one agent turn, chained through stored responses, as a Response or a stream.
import type { EngineEvent } from '../../engine/port/engine-event.js';
import { fingerprint, IdempotencyCache } from '../../engine/idempotency-cache.js';
import type { MessageRange } from '../../engine/conversations.js';
import type { Turn, TurnRequest } from '../../engine/turn-runner.js';
import type { TurnSummary } from '../../engine/turn-summary.js';
import { GatewayError } from '../../errors.js';
import { Reply } from '../../http/operation.js';
import type { RequestContext } from '../../http/request-context.js';
import { openSse } from '../../http/sse.js';
import type { ResponsesRepo, StoredResponse } from '../../store/responses-repo.js';
import { parseSessionKey, sessionKeyOf } from '../../store/session-store.js';
import { newId, nowSeconds } from '../ids.js';
import type { Operation } from '../operation-types.js';
import { readSessionHeaders, sessionResponseHeaders } from '../session-headers.js';
import type { Services } from '../services.js';
import { runsHere } from '../session-routing.js';
import { agentOf, conversationOf } from '../turn-scope.js';
import { ResponsesEventEncoder } from './responses-event-encoder.js';
import { ChainSessions } from './chain-sessions.js';
import { historyOf } from './responses-history.js';
import {
  type ResponsesTurnParts,
  responsesRequestToTurn,
  transcriptToHistory,
  transcriptToSeedHistory,
} from './responses-request-to-turn.js';
import type { ResponseMeta } from './summary-to-response.js';
import { scopedConversation } from './response-scope.js';

/** Fields that make two requests "the same" for Idempotency-Key (reference §3.8). */
const FINGERPRINT_FIELDS = [
  'input',
  'instructions',
  'previous_response_id',
  'conversation',
  'conversation_history',
  'model',
  'provider',
  'model_options',
  'tools',
];

interface CollectedTurn {
  events: EngineEvent[];
  summary: TurnSummary;
  messages: MessageRange | null;
}

interface SessionChoice {
  owner: string;
  id: string;
  key: string;
  heldByResponses?: boolean;
}

export function createResponse(services: Services, repo: ResponsesRepo): Operation<'createResponse'> {
  const idempotent = new IdempotencyCache<CollectedTurn>();
  const { showReasoning, keepaliveSeconds } = services.config.chat;
  const chains = new ChainSessions(services, repo);

  return async ({ body, headers, ctx, req, res }) => {
    const conversation = typeof body.conversation === 'string' ? body.conversation : (body.conversation?.id ?? null);
    if (conversation !== null && body.previous_response_id) {
      throw GatewayError.invalid('Cannot use both conversation and previous_response_id.', 'conversation');
    }
    const owner = ctx.scope;
    const previous = await loadPrevious(repo, owner, body.previous_response_id ?? null, conversation);
    const agent = agentOf(services, ctx);

    const { sessionId: headerSession, sessionKey: headerKey } = readSessionHeaders(headers);
    const id = newId.response();
    const { session, parts } = await planTurn(services, ctx, {
      body,
      previous,
      agentId: agent.id,
      headerSession,
      headerKey,
      id,
    });
    // A chain's (or a named session's) turns run on the instance holding its live agent session (issue 18); a new
    // chain's session is this response's own, which nobody holds yet.
    if (session.id !== id && !(await runsHere(services, { req, res, ctx, body }, session.key))) return;
    const history = parts.history;
    const store = body.store !== false;
    const meta: ResponseMeta = {
      id,
      createdAt: nowSeconds(),
      model: body.model ?? agent.id,
      instructions: parts.instructions,
      previousResponseId: body.previous_response_id ?? null,
      conversation,
      store,
      truncation: body.truncation === 'auto' ? 'auto' : 'disabled',
      metadata: body.metadata ?? {},
    };
    const encoder = new ResponsesEventEncoder(meta, { showReasoning, newItemId: newId.item, now: nowSeconds });
    const turnRequest = (signal: AbortSignal): TurnRequest => ({
      agentId: agent.id,
      session,
      model: meta.model,
      memoryScope: headerKey,
      clientHistory: history && transcriptToHistory(history),
      ...(history ? { seedHistory: transcriptToSeedHistory(history) } : {}),
      systemPrompt: parts.systemPrompt,
      input: parts.input,
      inputText: parts.inputText,
      signal,
    });
    const record = (messages: MessageRange | null): StoredResponse => ({
      response: encoder.snapshot(),
      owner,
      input: parts.ownInput,
      messageStart: messages?.start ?? null,
      messageEnd: messages?.end ?? null,
      instructions: parts.instructions,
      session: { key: session.key, id: session.id, agentId: agent.id },
    });
    const name = conversation === null ? null : scopedConversation(owner, conversation);
    const echo = sessionResponseHeaders(session.id, headerKey);

    if (!body.stream) {
      const idempotencyKey = typeof headers['idempotency-key'] === 'string' ? headers['idempotency-key'] : null;
      const run = (signal: AbortSignal) => async () => collectTurn(await services.turns.start(turnRequest(signal)));
      // A shared computation must outlive any one waiter, so it runs detached from the client's signal.
      const turn = idempotencyKey
        ? await idempotent.run(
            `${ctx.scope}:responses:${idempotencyKey}`,
            fingerprint(body, FINGERPRINT_FIELDS),
            run(new AbortController().signal),
          )
        : await run(ctx.signal)();
      for (const event of turn.events) encoder.push(event);
      encoder.finish(turn.summary);
      if (store) await chains.saved(await repo.save(record(turn.messages), name));
      return new Reply(200, encoder.snapshot(), echo);
    }

    // Disconnect cancels the turn; so does a store failure before the first byte.
    const cancel = new AbortController();
    // Someone is watching this stream: permission requests go out as mcp_approval_request items and wait for
    // POST /v1/runs/{response id}/approval (see responses-event-encoder.ts).
    const approver = services.approvals.approverFor(id, ctx.scope);
    const turn = await services.turns.start({
      ...turnRequest(AbortSignal.any([ctx.signal, cancel.signal])),
      approver,
    });
    if (store) {
      // The in-progress snapshot exists before the client can see response.created (reference §4.3).
      await repo.save(record(null), name).then(chains.saved.bind(chains), (error: unknown) => {
        cancel.abort();
        throw error;
      });
    }
    const sse = openSse(res, { keepaliveMs: keepaliveSeconds * 1000, headers: echo });
    try {
      for (const frame of encoder.start()) sse.send(frame);
      for await (const event of turn) for (const frame of encoder.push(event)) sse.send(frame);
      const summary = await turn.done;
      const closing = encoder.finish(summary, sse.signal.aborted);
      if (store) {
        // Written before the terminal event, so a client that GETs right after it sees the final state.
        await repo.update(record(turn.messages)).catch((error: Error) => {
          services.logger.warn({ err: error.message, response: id }, 'could not store the final response');
        });
      }
      for (const frame of closing) sse.send(frame);
    } finally {
      sse.end();
    }
  };
}

async function collectTurn(turn: Turn): Promise<CollectedTurn> {
  const events: EngineEvent[] = [];
  for await (const event of turn) events.push(event);
  return { events, summary: await turn.done, messages: turn.messages };
}

/** previous_response_id must exist (404); a conversation name that points nowhere starts a new conversation. */
async function loadPrevious(
  repo: ResponsesRepo,
  owner: string,
  previousId: string | null,
  conversation: string | null,
): Promise<StoredResponse | null> {
  if (previousId) {
    const previous = await repo.get(previousId);
    if (!previous || previous.owner !== owner) throw GatewayError.previousResponseNotFound(previousId);
    return previous;
  }
  if (conversation === null) return null;
  const latest = await repo.resolveConversation(scopedConversation(owner, conversation));
  const previous = latest ? await repo.get(latest) : undefined;
  return previous?.owner === owner ? previous : null;
}

/**
 * Which session the turn runs in, and the history it needs. A chain continues its own session when the previous
 * response is that session's latest turn: the session is the history, nothing is read or re-sent, and the live
 * agent session is reused (or re-seeded from the stored messages after a restart). A branch from an older turn,
 * explicit `conversation_history` or a session switch gets the history spelled out, in a session of its own
 * (X-Hermes-Session-Id's, else one named after this response), so it never takes the chain's over.
 */
async function planTurn(
  services: Services,
  ctx: RequestContext,
  c: {
    body: Parameters<typeof responsesRequestToTurn>[0];
    previous: StoredResponse | null;
    agentId: string;
    headerSession: string | null;
    headerKey: string | null;
    id: string;
  },
): Promise<{ session: SessionChoice; parts: ResponsesTurnParts }> {
  const { previous, body } = c;
  const instructions = previous?.instructions ?? null;
  const own = (sessionId: string, heldByResponses = false): SessionChoice => {
    const ref = { ...conversationOf(ctx, sessionId, c.headerKey), ...(heldByResponses ? { heldByResponses } : {}) };
    return { ...ref, key: sessionKeyOf(ref.owner, ref.id) };
  };
  const continuing = (session: SessionChoice) => {
    const parts = responsesRequestToTurn(body, { instructions, history: null });
    return parts.history === null ? { session, parts } : null;
  };
  if (!body.conversation_history) {
    if (previous && !previous.transcript && previous.session.agentId === c.agentId) {
      const row = await services.conversations.get(previous.session.key);
      if (row && typeof previous.messageEnd === 'number' && row.info.message_count === previous.messageEnd) {
        const plan = continuing({ ...parseSessionKey(previous.session.key), key: previous.session.key });
        if (plan) return plan;
      }
    }
    // An explicit session with nothing to chain from: the gateway's record of that session is the history.
    if (!previous && c.headerSession) {
      const plan = continuing(own(c.headerSession));
      if (plan) return plan;
      const row = await services.conversations.get(own(c.headerSession).key);
      const history = row ? await services.conversations.transcript(row) : [];
      return { session: own(c.headerSession), parts: responsesRequestToTurn(body, { instructions, history }) };
    }
  }
  const history = previous ? await historyOf(services, previous) : [];
  const parts = responsesRequestToTurn(body, { instructions, history });
  return { session: c.headerSession ? own(c.headerSession) : own(c.id, true), parts };
}
