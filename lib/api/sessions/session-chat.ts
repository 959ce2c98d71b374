// POST /api/sessions/{id}/chat and /chat/stream (reference §8): one turn on a session, run as a background run
// (session-chat-run.ts). The JSON answer waits for the run's terminal event; the stream translates the run's
// journal into the session stream events (session-stream-encoder.ts). A client that leaves only stops listening:
// the run goes on, and POST /v1/runs/{run_id}/stop stops it.
import { GatewayError } from '../../errors.js';
import type { OperationCall } from '../../http/operation.js';
import { openSse } from '../../http/sse.js';
import { sessionKeyOf } from '../../store/session-store.js';
import type { Operation } from '../operation-types.js';
import type { Services } from '../services.js';
import { runsHere } from '../session-routing.js';
import { ownerOfRequest } from './session-lookup.js';
import { sessionChatReply } from './session-chat-reply.js';
import { newStreamMessageId, storedTurnMessages, submitSessionChat, terminalEventOf } from './session-chat-run.js';
import { SessionStreamEncoder } from './session-stream-encoder.js';

export function chatSession(services: Services): Operation<'chatSession'> {
  return async (call) => {
    if (!(await runsOnThisInstance(services, call))) return;
    const run = await submitSessionChat(services, call);
    const terminal = await terminalEventOf(services, run.runId, call.ctx.signal);
    if (!terminal && call.ctx.signal.aborted)
      throw GatewayError.invalid('The client went away.', null, 'client_closed');
    return sessionChatReply(terminal, run);
  };
}

export function streamSessionChat(services: Services): Operation<'streamSessionChat'> {
  const keepaliveMs = services.config.chat.keepaliveSeconds * 1000;
  return async (call) => {
    if (!(await runsOnThisInstance(services, call))) return;
    const run = await submitSessionChat(services, call);
    const sse = openSse(call.res, { keepaliveMs, headers: run.headers });
    const encoder = new SessionStreamEncoder({
      sessionId: run.sessionId,
      runId: run.runId,
      messageId: newStreamMessageId(),
      userContent: run.userContent,
      runtime: run.runtime,
      now: Date.now,
    });
    try {
      for await (const entry of services.runJournal.subscribe(run.runId, 0, sse.signal)) {
        const rows =
          entry.data.event === 'run.completed' ? await storedTurnMessages(services, run, services.logger) : undefined;
        for (const frame of encoder.push(entry.data, rows)) sse.send(frame);
        if (encoder.done) break;
      }
      if (!encoder.done && !sse.signal.aborted) {
        for (const frame of encoder.error('The run ended without a result.')) sse.send(frame);
      }
    } catch (error) {
      services.logger.error({ err: error, runId: run.runId }, 'session chat stream failed');
      const message = error instanceof GatewayError ? error.message : 'Internal server error.';
      for (const frame of encoder.error(message)) sse.send(frame);
    } finally {
      sse.end();
    }
  };
}

/** The session's turns run on the instance holding its live agent session (issue 18); false: answered there. */
function runsOnThisInstance(services: Services, call: OperationCall): Promise<boolean> {
  const key = sessionKeyOf(ownerOfRequest(call.ctx, call.headers), String(call.params.session_id));
  return runsHere(services, call, key);
}
