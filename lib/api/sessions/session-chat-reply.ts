// A session chat run's terminal event -> the JSON answer of POST /api/sessions/{id}/chat (reference §8), with the
// failure model of chat completions (§3.6): an empty reply from a run that did not complete is 502
// agent_incomplete; text from one that stopped short is 200 with `hermes` flags and X-Hermes-* headers.
import type { RunEventPayload } from '../../engine/runs/run-journal.js';
import { GatewayError } from '../../errors.js';
import type { components } from '../../generated/openapi.gen.js';
import { Reply } from '../../http/operation.js';
import { type HermesResultFlags, hermesHeaders } from '../chat/chat-outcome.js';
import type { SessionRuntime } from './session-chat-runtime.js';

type SessionChatResponse = components['schemas']['SessionChatResponse'];
type RunUsage = components['schemas']['RunUsage'];

export interface SessionChatReplyMeta {
  sessionId: string;
  runtime: SessionRuntime;
  /** X-Hermes-Session-Id / -Key. */
  headers: Record<string, string>;
}

const ZERO_USAGE: RunUsage = { input_tokens: 0, output_tokens: 0, total_tokens: 0, estimated: true };
const TRUNCATED = new Set(['max_tokens', 'max_turn_requests']);

/** `terminal`: the run's terminal event; null when the run ended without one reaching us. */
export function sessionChatReply(terminal: RunEventPayload | null, meta: SessionChatReplyMeta): Reply {
  const output = typeof terminal?.output === 'string' ? terminal.output : '';
  const completed = terminal?.event === 'run.completed';
  const failed = !terminal || terminal.event === 'run.failed';
  const partial = terminal?.partial === true;
  const error = typeof terminal?.error === 'string' ? terminal.error : null;
  if (!completed && output === '') {
    throw GatewayError.agentIncomplete(
      error ?? 'Agent run did not produce a response.',
      { completed: false, partial, failed },
      { ...meta.headers, 'X-Hermes-Completed': 'false', 'X-Hermes-Partial': String(partial) },
    );
  }
  const usage = terminal?.usage;
  const exit = typeof terminal?.turn_exit_reason === 'string' ? terminal.turn_exit_reason : undefined;
  const hermes: HermesResultFlags | null = completed
    ? null
    : {
        completed: false,
        partial,
        failed,
        ...(terminal?.interrupted === true ? { interrupted: true } : {}),
        error,
        ...(failed ? { error_code: exit && TRUNCATED.has(exit) ? 'output_truncated' : 'agent_error' } : {}),
        ...(exit ? { turn_exit_reason: exit } : {}),
      };
  const body: SessionChatResponse = {
    object: 'hermes.session.chat.completion',
    session_id: meta.sessionId,
    message: { role: 'assistant', content: output },
    usage: isUsage(usage) ? usage : ZERO_USAGE,
    runtime: meta.runtime,
    ...(hermes ? { hermes } : {}),
  };
  return new Reply(200, body, { ...meta.headers, ...hermesHeaders(hermes) });
}

function isUsage(value: unknown): value is RunUsage {
  return typeof value === 'object' && value !== null && typeof (value as RunUsage).total_tokens === 'number';
}
