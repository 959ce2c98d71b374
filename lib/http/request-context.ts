// Per-request state, kept in res.locals behind one typed accessor.
import type { Response } from 'express';

export interface RequestContext {
  requestId: string;
  /** The API key entry that authenticated this request (null on public routes). */
  keyName: string | null;
  /** sha256 of the key, for scoping state per key without storing the secret. */
  keyHash: string | null;
  /** Models this key may use; null = all. */
  allowedModels: readonly string[] | null;
  /** operationId of the matched route, once known. */
  operationId: string | null;
  /** Aborts when the client connection closes before the response finished. */
  signal: AbortSignal;
}

const KEY = 'gatewayContext';

export function requestContext(res: Response): RequestContext {
  const ctx = res.locals[KEY] as RequestContext | undefined;
  if (!ctx) throw new Error('requestContext used before the request-id middleware');
  return ctx;
}

export function initRequestContext(res: Response, ctx: RequestContext): void {
  res.locals[KEY] = ctx;
}
