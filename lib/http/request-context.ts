// Per-request state, kept in res.locals behind one typed accessor.
import type { ServerResponse } from 'node:http';
import type { Response } from 'express';

/** The scope of a request no key authenticated (public routes). */
export const PUBLIC_SCOPE = 'public';

export interface RequestContext {
  requestId: string;
  /** The API key entry that authenticated this request (null on public routes). */
  keyName: string | null;
  /**
   * Whose state this request may see: derived once, at auth, from the key (the first 16 hex digits of its
   * sha256, never the secret); 'public' on public routes. Every repository, registry and limiter keys by it.
   */
  scope: string;
  /** Models this key may use; null = all. */
  allowedModels: readonly string[] | null;
  /** operationId of the matched route, once known. */
  operationId: string | null;
  /** Aborts when the client connection closes before the response finished. */
  signal: AbortSignal;
}

/**
 * The context every request gets. A class, not an object literal with a `signal` getter: V8 builds such literals
 * through the runtime and keeps them in dictionary mode, which cost the proxy path about a fifth of its CPU.
 */
export class OpenedRequestContext implements RequestContext {
  keyName: string | null = null;
  scope: string = PUBLIC_SCOPE;
  allowedModels: readonly string[] | null = null;
  operationId: string | null = null;
  /** Made the first time a handler asks for the signal: most requests never do. */
  private gone: AbortController | null = null;

  constructor(
    readonly requestId: string,
    private readonly res: ServerResponse,
  ) {}

  /** The client left before we finished: handlers cancel agent work. */
  get signal(): AbortSignal {
    if (this.gone) return this.gone.signal;
    const controller = new AbortController();
    this.gone = controller;
    const { res } = this;
    if (res.closed) {
      if (!res.writableFinished) controller.abort(); // it left already
    } else {
      res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
    }
    return controller.signal;
  }
}

const KEY = 'gatewayContext';

export function requestContext(res: Response): RequestContext {
  const ctx = res.locals[KEY] as RequestContext | undefined;
  if (!ctx) throw new Error('requestContext used before the request-id middleware');
  return ctx;
}

/** Express keeps a `locals` it finds, so a context opened on the raw response (proxy fast path) survives a hand-off. */
type WithLocals = ServerResponse & { locals?: Record<string, unknown> };

export function initRequestContext(res: ServerResponse, ctx: RequestContext): void {
  const target = res as WithLocals;
  // A plain literal, not Object.create(null): V8 keeps that one in dictionary mode. Express keeps either.
  if (target.locals) target.locals[KEY] = ctx;
  else target.locals = { [KEY]: ctx };
}

/** The context if one was opened already: the gates ran (the proxy fast path handed the request on). */
export function openedContext(res: ServerResponse): RequestContext | undefined {
  return (res as WithLocals).locals?.[KEY] as RequestContext | undefined;
}

/**
 * A check after auth (rate limits): throws a GatewayError to refuse, may set headers. Returns nothing when it
 * decides at once, so a request it does not concern pays no promise. The express chain and the proxy fast path run
 * the same list.
 */
export type RequestGate = (res: ServerResponse, ctx: RequestContext) => void | Promise<void>;
