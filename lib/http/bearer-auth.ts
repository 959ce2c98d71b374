// Checks the bearer key (constant time over UTF-8 bytes, every key visited) and records who called.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { GatewayError } from './errors.js';
import { requestContext } from './request-context.js';

export interface ApiKeyEntry {
  key: string;
  name?: string;
  models?: string[];
}

export interface BearerAuthOptions {
  keys: readonly ApiKeyEntry[];
  isPublic(path: string): boolean;
}

export function bearerAuth({ keys, isPublic }: BearerAuthOptions): RequestHandler {
  if (keys.length === 0) throw new Error('bearerAuth: no keys configured'); // fail at start-up
  const expected = keys.map((entry, index) => ({
    digest: sha256(entry.key),
    name: entry.name ?? `key-${index + 1}`,
    models: entry.models ?? null,
  }));

  return function bearerAuth(req, res, next) {
    if (isPublic(req.path)) return next();
    const header = req.get('authorization') ?? '';
    // reference §1: the exact, case-sensitive "Bearer " prefix; anything else is no key at all.
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    // Node reads header bytes as latin1: the raw wire bytes match a UTF-8 client, the string a latin1 one.
    const given = [createHash('sha256').update(Buffer.from(token, 'latin1')).digest(), sha256(token)];
    // Visit every key: the time taken must not reveal which one matched. Equal digest lengths never throw.
    const match = expected.reduce<(typeof expected)[number] | null>((hit, key) => {
      const equal = given.map((g) => timingSafeEqual(key.digest, g));
      return (equal[0] || equal[1]) && !hit ? key : hit;
    }, null);
    if (!match) throw GatewayError.authFailed();
    const ctx = requestContext(res);
    ctx.keyName = match.name;
    ctx.keyHash = match.digest.toString('hex');
    ctx.allowedModels = match.models;
    next();
  };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();
