// A session chat turn is a run (reference §8): submitted through the run registry as POST /v1/runs does, so its run
// id works with /v1/runs/{id} status, approval and stop (scoped to the caller's key). The stored session is the
// history; the run's journal is what both the JSON and the streaming answer read.
import { randomBytes } from 'node:crypto';
import type { RunEventPayload } from '../../engine/runs/run-journal.js';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { RequestContext } from '../../http/request-context.js';
import type { Services } from '../services.js';
import { newId } from '../ids.js';
import { readSessionHeaders, sessionResponseHeaders } from '../session-headers.js';
import { sessionOwner } from '../turn-scope.js';
import { sessionChatRequestToTurn } from './session-chat-request.js';
import { type SessionRuntime, sessionChatTarget } from './session-chat-runtime.js';
import { findSession } from './session-lookup.js';
import { isTerminalRunEvent } from './session-stream-encoder.js';
import { messageToWire, type WireMessage } from './session-wire.js';

export interface SessionChatCall {
  params: Record<string, unknown>;
  body: unknown;
  headers: Record<string, unknown>;
  ctx: RequestContext;
}

export interface SessionChatRun {
  runId: string;
  sessionId: string;
  /** The session's store key (owner and id). */
  key: string;
  /** X-Hermes-Session-Id, and X-Hermes-Session-Key when the client sent one. */
  headers: Record<string, string>;
  runtime: SessionRuntime;
  userContent: unknown;
  inputText: string;
  /** How many messages the session held when the turn was submitted: its rows come after them. */
  messagesBefore: number;
}

/**
 * Validates the request, finds the caller's session (404 session_not_found: Hermes chats only on existing
 * sessions), takes an admission slot (429 at the cap) and submits the turn as a run.
 */
export async function submitSessionChat(services: Services, call: SessionChatCall): Promise<SessionChatRun> {
  const { params, headers, ctx } = call;
  const body = (call.body ?? {}) as Record<string, unknown>;
  const { sessionKey } = readSessionHeaders(headers);
  const owner = sessionOwner(ctx, sessionKey);
  const row = await findSession(services, owner, String(params.session_id));
  const parts = sessionChatRequestToTurn(body);
  const target = sessionChatTarget(services, ctx, row, body);
  // Refused here, as chat refuses it, rather than as a failed run after the answer started.
  const agent = services.agents.get(target.agentId);
  if (agent && !agent.describe().capabilities.image && parts.input.some((block) => block.type !== 'text'))
    throw GatewayError.unsupportedContent(`The agent '${agent.id}' does not accept images.`, 'message');
  const sessionId = row.info.id;
  const runId = newId.run();
  const admitted = await services.admission.acquire();
  // The registry frees the slot when the run settles, or at once when the submission itself fails.
  await services.runs.submit({
    runId,
    scope: ctx.scope,
    sessionId,
    model: target.model,
    admitted,
    turn: {
      agentId: target.agentId,
      session: { owner, id: sessionId },
      model: target.model,
      memoryScope: sessionKey,
      clientHistory: null,
      // The session's own prompt; this turn's system_message rides in its input (session-chat-request.ts).
      systemPrompt: row.systemPrompt,
      input: parts.input,
      inputText: parts.inputText,
    },
  });
  return {
    runId,
    sessionId,
    key: row.key,
    headers: sessionResponseHeaders(sessionId, sessionKey),
    runtime: target.runtime,
    userContent: parts.userContent,
    inputText: parts.inputText,
    messagesBefore: row.info.message_count,
  };
}

/** reference §0.2: the session stream's assistant message id. */
export const newStreamMessageId = () => `msg_${randomBytes(16).toString('hex')}`;

/** The run's terminal event, read from its journal; null when the reader left (or the journal ended) before it. */
export async function terminalEventOf(
  services: Services,
  runId: string,
  signal: AbortSignal,
): Promise<RunEventPayload | null> {
  for await (const entry of services.runJournal.subscribe(runId, 0, signal)) {
    if (isTerminalRunEvent(entry.data)) return entry.data;
  }
  return null;
}

/**
 * This turn's assistant and tool rows as stored (reference §8 `messages`: client-safe, as GET …/messages shows
 * them). A clean turn is recorded before its run settles, so they are there when run.completed is. Undefined when
 * they cannot be found: the stream then rebuilds them from the events.
 */
export async function storedTurnMessages(
  services: Services,
  run: SessionChatRun,
  logger: Logger,
): Promise<WireMessage[] | undefined> {
  try {
    const row = await services.conversations.get(run.key);
    if (!row) return undefined;
    const rows = await services.conversations.sessions.messages(run.key, run.messagesBefore, row.info.message_count);
    // Turns queued ahead of this one on the same session may have been recorded first: find this turn's user row.
    const start = rows.findIndex((m) => m.role === 'user' && m.content === run.inputText);
    if (start < 0) return undefined;
    const end = rows.findIndex((m, i) => i > start && m.role === 'user');
    return rows.slice(start + 1, end < 0 ? undefined : end).map((m) => messageToWire(run.sessionId, m));
  } catch (error) {
    logger.warn({ err: error, runId: run.runId }, 'session turn rows not read; rebuilt from the run events');
    return undefined;
  }
}
