// Checks the bearer key (constant time over UTF-8 bytes, every key visited) and records who called.
import { hash, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors.js';
import type { RequestContext } from './request-context.js';

export interface ApiKeyEntry {
  key: string;
  name?: string;
  models?: string[];
}

/**
 * The key check as one function: reads the Authorization header,
 * records the matching key in the context, throws 401 otherwise.
 */
export function createAuthenticator(keys: readonly ApiKeyEntry[]) {
  if (keys.length === 0) throw new Error('bearerAuth: no keys configured'); // fail at start-up
  const expected = keys.map((entry, index) => ({
    digest: sha256(entry.key),
    scope: scopeOfKey(entry.key),
    name: entry.name ?? `key-${index + 1}`,
    models: entry.models ?? null,
  }));

  type Match = (typeof expected)[number];
  // Authorization values already proven valid, so a key's every request does not pay two SHA-256 digests. Only
  // successes are kept (a wrong key always takes the constant-time path), and at most a few per configured key.
  const proven = new Map<string, Match>();
  const provenLimit = 4 * expected.length;

  function record(ctx: RequestContext, match: Match): void {
    ctx.keyName = match.name;
    ctx.scope = match.scope;
    ctx.allowedModels = match.models;
  }

  return function authenticate(header: string | undefined, ctx: RequestContext): void {
    const known = header === undefined ? undefined : proven.get(header);
    if (known) {
      record(ctx, known);
      return;
    }
    const value = header ?? '';
    // reference §1: the exact, case-sensitive "Bearer " prefix; anything else is no key at all.
    const token = value.startsWith('Bearer ') ? value.slice(7).trim() : '';
    // Node reads header bytes as latin1: the raw wire bytes match a UTF-8 client, the string a latin1 one.
    const wire = hash('sha256', Buffer.from(token, 'latin1'), 'buffer');
    const text = sha256(token);
    // Visit every key: the time taken must not reveal which one matched. Equal digest lengths never throw.
    let match: Match | null = null;
    for (const key of expected) {
      const byWire = timingSafeEqual(key.digest, wire);
      const byText = timingSafeEqual(key.digest, text); // both compared, always
      if ((byWire || byText) && !match) match = key;
    }
    if (!match) throw GatewayError.authFailed();
    if (proven.size >= provenLimit) proven.clear();
    proven.set(value, match);
    record(ctx, match);
  };
}

/** One-shot digest (crypto.hash: no Hash object per call); a string is hashed as its UTF-8 bytes. */
const sha256 = (text: string) => hash('sha256', text, 'buffer');

/** The ownership scope of a key: the first 16 hex digits of its sha256 (the secret never reaches a store). */
export const scopeOfKey = (key: string): string => sha256(key).toString('hex').slice(0, 16);
