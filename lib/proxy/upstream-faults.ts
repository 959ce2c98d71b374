// Upstream failures: the errors the forwarder raises itself, and how any socket error becomes a GatewayError.
import { GatewayError } from '../errors.js';

export type UpstreamFaultKind = 'connect_timeout' | 'idle_timeout' | 'bad_response' | 'body_too_large';

/** A failure the forwarder detected itself (timers, response checks). */
export class UpstreamFault extends Error {
  constructor(
    readonly kind: UpstreamFaultKind,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamFault';
  }
}

/** Socket errors that mean "never connected": safe to retry for an idempotent request. */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isConnectFailure(error: unknown): boolean {
  if (error instanceof UpstreamFault) return error.kind === 'connect_timeout';
  return CONNECT_FAILURES.has((error as NodeJS.ErrnoException)?.code ?? '');
}

/** Retry only what cannot have reached the upstream, and only for methods that may be repeated (RFC 9110 §9.2.2). */
export function mayRetry(method: string, error: unknown, attempt: number, maxAttempts: number): boolean {
  return attempt < maxAttempts && IDEMPOTENT.has(method) && isConnectFailure(error);
}

/**
 * A request sent on a kept-alive connection the upstream had just closed never reached it (node's `reusedSocket`
 * case): any method may be sent again, once.
 */
export function mayRetryReset(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/** The client-facing error for a failure before any response byte was sent. */
export function upstreamError(upstream: string, error: unknown, limitBytes: number): GatewayError {
  if (error instanceof UpstreamFault) {
    if (error.kind === 'connect_timeout' || error.kind === 'idle_timeout') {
      return GatewayError.upstreamTimeout(`${upstream}: ${error.message}`);
    }
    if (error.kind === 'body_too_large') return GatewayError.bodyTooLarge(limitBytes);
    return GatewayError.upstreamInvalidResponse(`${upstream}: ${error.message}`);
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  const detail = code ? `${code} (${(error as Error).message})` : String((error as Error)?.message ?? error);
  return GatewayError.upstreamUnavailable(`${upstream}: ${detail}`);
}
