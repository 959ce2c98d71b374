// Session records and messages as the Sessions API shows them (reference §8): only keys that are set, in the
// reference's order, then always has_system_prompt and has_model_config; the prompt itself is never exposed.
import type { components } from '../../generated/openapi.gen.js';
import type { NumberedMessage, SessionRow } from '../../store/session-store.js';

export type WireSession = components['schemas']['Session'];
export type WireMessage = components['schemas']['SessionMessage'];

export function sessionToWire(row: SessionRow): WireSession {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row.info)) if (value !== undefined) shown[key] = value;
  return {
    ...(shown as WireSession),
    has_system_prompt: row.systemPrompt !== null && row.systemPrompt !== '',
    has_model_config: row.modelConfig !== null,
  };
}

export function messageToWire(sessionId: string, message: NumberedMessage): WireMessage {
  const { id, ...rest } = message;
  const shown: Record<string, unknown> = { id, session_id: sessionId };
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) shown[key] = value;
  return shown as WireMessage;
}
