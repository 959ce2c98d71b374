// A small typed repository over one store namespace; every failure or stall becomes 503 store_unavailable.
import type { Keyv } from 'keyv';
import { GatewayError } from '../errors.js';
import type { Store } from './keyv.js';

export const STORE_TIMEOUT_MS = 3000;

export class Repository<T> {
  /** The namespace itself, for the rare scan (iterator) a repository needs. */
  readonly keyv: Keyv<T>;

  constructor(
    store: Store,
    readonly kind: string,
    private readonly defaultTtlMs?: number,
  ) {
    this.keyv = store.namespace<T>(kind);
  }

  get(id: string): Promise<T | undefined> {
    return guard(this.keyv.get(id) as Promise<T | undefined>);
  }

  async set(id: string, value: T, ttlMs: number | undefined = this.defaultTtlMs): Promise<void> {
    await guard(this.keyv.set(id, value, ttlMs));
  }

  delete(id: string): Promise<boolean> {
    return guard(this.keyv.delete(id));
  }

  async has(id: string): Promise<boolean> {
    return (await this.get(id)) !== undefined;
  }
}

/** Bounds a store call: a dead Redis or a locked SQLite file must not hang a request. */
export async function guard<R>(operation: Promise<R>, timeoutMs = STORE_TIMEOUT_MS): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(GatewayError.storeUnavailable(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([operation, timeout]);
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw GatewayError.storeUnavailable(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}
