// X-Hermes-Session-Id / X-Hermes-Session-Key: read, checked and echoed the same way on every surface.
import { GatewayError } from '../errors.js';

const UNSAFE = /[\r\n\0]|(^|\/)\.\.(\/|$)|[/\\]/;

export interface SessionHeaders {
  sessionId: string | null;
  sessionKey: string | null;
}

export function readSessionHeaders(headers: Record<string, unknown>): SessionHeaders {
  const sessionId = trimmed(headers['x-hermes-session-id']);
  const sessionKey = trimmed(headers['x-hermes-session-key']);
  if (sessionId !== null) {
    if (sessionId.length > 256)
      throw GatewayError.invalid('Session ID too long', 'X-Hermes-Session-Id', 'invalid_session_id');
    if (UNSAFE.test(sessionId))
      throw GatewayError.invalid('Invalid session ID', 'X-Hermes-Session-Id', 'invalid_session_id');
  }
  if (sessionKey !== null) {
    if (sessionKey.length > 256)
      throw GatewayError.invalid('Session key too long', 'X-Hermes-Session-Key', 'invalid_session_key');
    if (/[\r\n\0]/.test(sessionKey))
      throw GatewayError.invalid('Invalid session key', 'X-Hermes-Session-Key', 'invalid_session_key');
  }
  return { sessionId, sessionKey };
}

export function sessionResponseHeaders(sessionId: string, sessionKey: string | null): Record<string, string> {
  return { 'X-Hermes-Session-Id': sessionId, ...(sessionKey ? { 'X-Hermes-Session-Key': sessionKey } : {}) };
}

function trimmed(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : text;
}
