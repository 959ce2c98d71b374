// POST /v1/chat/completions (reference §3): a turn on the agent, as one chat.completion or as a chunk stream.
import { fingerprint, IdempotencyCache } from '../../engine/idempotency-cache.js';
import type { TurnRequest } from '../../engine/turn-runner.js';
import type { TurnSummary } from '../../engine/turn-summary.js';
import { openSse } from '../../http/sse.js';
import { sessionKeyOf } from '../../store/session-store.js';
import { newId, nowSeconds } from '../ids.js';
import type { Operation } from '../operation-types.js';
import { readSessionHeaders, sessionResponseHeaders } from '../session-headers.js';
import type { Services } from '../services.js';
import { runsHere } from '../session-routing.js';
import { agentOf, conversationOf } from '../turn-scope.js';
import { ChatChunkEncoder } from './chat-chunk-encoder.js';
import { chatRequestToTurn } from './chat-request-to-turn.js';
import { summaryToChatCompletion } from './summary-to-chat-completion.js';

/** Fields that make two requests "the same" for Idempotency-Key (reference §3.8). */
const FINGERPRINT_FIELDS = ['model', 'messages', 'tools', 'tool_choice', 'stream'];

export function createChatCompletion(services: Services): Operation<'createChatCompletion'> {
  const idempotent = new IdempotencyCache<TurnSummary>();
  const { showReasoning, toolProgressEvents, keepaliveSeconds } = services.config.chat;

  return async ({ body, headers, ctx, req, res }) => {
    const { sessionId: explicitId, sessionKey } = readSessionHeaders(headers);
    const parts = chatRequestToTurn(body.messages, sessionKey ?? '');
    const sessionId = explicitId ?? parts.derivedSessionId;
    const agent = agentOf(services, ctx);
    const model = body.model ?? agent.id;
    const session = conversationOf(ctx, sessionId, sessionKey);
    // Another instance holding the conversation's live agent session answers instead (issue 18).
    if (!(await runsHere(services, { req, res, ctx, body }, sessionKeyOf(session.owner, session.id)))) return;
    const turnRequest = (signal: AbortSignal): TurnRequest => ({
      agentId: agent.id,
      session,
      model,
      memoryScope: sessionKey,
      // With an explicit session the gateway's record is the history; the body's earlier messages are ignored.
      clientHistory: explicitId ? null : parts.history,
      systemPrompt: parts.systemPrompt,
      input: parts.input,
      inputText: parts.inputText,
      signal,
    });
    const echo = sessionResponseHeaders(sessionId, sessionKey);
    const meta = { id: newId.chatCompletion(), created: nowSeconds(), model, showReasoning };

    if (!body.stream) {
      const idempotencyKey = typeof headers['idempotency-key'] === 'string' ? headers['idempotency-key'] : null;
      const run = async (signal: AbortSignal) => (await services.turns.start(turnRequest(signal))).ended;
      // A shared computation must outlive any one waiter, so it runs detached from the client's signal.
      const summary = idempotencyKey
        ? await idempotent.run(`${ctx.scope}:chat:${idempotencyKey}`, fingerprint(body, FINGERPRINT_FIELDS), () =>
            run(new AbortController().signal),
          )
        : await run(ctx.signal);
      return summaryToChatCompletion(summary, { ...meta, headers: echo });
    }

    // Someone is watching this stream: permission requests wait for POST /v1/runs/{chatcmpl id}/approval.
    const approver = services.approvals.approverFor(meta.id, ctx.scope);
    const turn = await services.turns.start({ ...turnRequest(ctx.signal), approver });
    const sse = openSse(res, { keepaliveMs: keepaliveSeconds * 1000, headers: echo });
    const encoder = new ChatChunkEncoder({ ...meta, toolProgress: toolProgressEvents });
    try {
      for (const frame of encoder.start()) sse.send(frame);
      for await (const event of turn) for (const frame of encoder.push(event)) sse.send(frame);
      for (const frame of encoder.finish(await turn.ended)) sse.send(frame);
    } finally {
      sse.end();
    }
  };
}
