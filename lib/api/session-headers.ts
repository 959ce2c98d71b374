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
  if (sessionId !== null) checkSessionId(sessionId, 'X-Hermes-Session-Id');
  if (sessionKey !== null) {
    if (sessionKey.length > 256)
      throw GatewayError.invalid('Session key too long', 'X-Hermes-Session-Key', 'invalid_session_key');
    if (/[\r\n\0]/.test(sessionKey))
      throw GatewayError.invalid('Invalid session key', 'X-Hermes-Session-Key', 'invalid_session_key');
  }
  return { sessionId, sessionKey };
}

/** A session id names a key in the store and a path segment: no control characters, no path tricks, ≤ 256. */
export function checkSessionId(sessionId: string, param: string): string {
  if (sessionId.length > 256) throw GatewayError.invalid('Session ID too long', param, 'invalid_session_id');
  if (UNSAFE.test(sessionId) || hasControlCharacter(sessionId))
    throw GatewayError.invalid('Invalid session ID', param, 'invalid_session_id');
  return sessionId;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export function sessionResponseHeaders(sessionId: string, sessionKey: string | null): Record<string, string> {
  return { 'X-Hermes-Session-Id': sessionId, ...(sessionKey ? { 'X-Hermes-Session-Key': sessionKey } : {}) };
}

function trimmed(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : text;
}
