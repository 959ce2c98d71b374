// Idempotency-Key for non-streaming agent requests (reference §3.8): in memory, single-flight, 5 minutes.
import { createHash } from 'node:crypto';

interface Entry<T> {
  fingerprint: string;
  value: Promise<T>;
  expiresAt: number;
}

export class IdempotencyCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs = 300_000,
    private readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Same key and fingerprint within the TTL: the first computation's result (shared while it runs).
   * Another fingerprint recomputes and takes the slot. A failed computation is forgotten.
   */
  run(key: string, fingerprint: string, compute: () => Promise<T>): Promise<T> {
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > at && hit.fingerprint === fingerprint) return hit.value;
    const value = compute();
    const entry = { fingerprint, value, expiresAt: at + this.ttlMs };
    this.entries.delete(key);
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.evict(at);
    return value;
  }

  private evict(at: number): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.expiresAt > at) break;
      this.entries.delete(key); // Map order is insertion order: the oldest go first
    }
  }
}

/** sha256 of canonical JSON (sorted keys) of the fields that define "the same request". */
export function fingerprint(body: Record<string, unknown>, fields: readonly string[]): string {
  const picked = Object.fromEntries(fields.filter((f) => body[f] !== undefined).map((f) => [f, body[f]]));
  return createHash('sha256').update(canonicalJson(picked)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
