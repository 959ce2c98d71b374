// POST /v1/runs (reference §6.1/§6.2): admits a background run and answers 202 at once; durable Idempotency-Key.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../engine/idempotency-cache.js';
import { GatewayError } from '../../http/errors.js';
import { Reply } from '../../http/operation.js';
import { newId } from '../ids.js';
import type { Operation } from '../operations.js';
import { readSessionHeaders } from '../session-headers.js';
import type { Services } from '../services.js';
import { checkModelAllowed, conversationKey } from '../turn-scope.js';
import { runRequestToTurn } from './run-request-to-turn.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

export function createRun(services: Services): Operation<'createRun'> {
  return async ({ body, headers, ctx }) => {
    const idempotencyKey = readIdempotencyKey(headers['idempotency-key']);
    const { sessionKey } = readSessionHeaders(headers);
    const parts = runRequestToTurn(body);
    const agent = services.agents.resolve(body.model);
    checkModelAllowed(ctx, agent.id);
    const owner = ctx.keyHash ?? 'public';
    const echo: Record<string, string> = sessionKey ? { 'X-Hermes-Session-Key': sessionKey } : {};

    const runId = newId.run();
    const sessionId = body.session_id ?? runId;
    // Credentials are never stored: the scope is a hash of the key's hash (reference §6.2).
    const scope = sha256(owner);
    if (idempotencyKey) {
      const fingerprint = sha256(canonicalJson({ body, gateway_session_key: sessionKey ?? '' }));
      const at = Date.now();
      const reservation = await services.runIdempotency.reserve(scope, idempotencyKey, {
        fingerprint,
        runId,
        status: 'queued',
        createdAt: at,
        updatedAt: at,
      });
      if (reservation.outcome === 'existing') {
        // Answered before the concurrency cap: a replay starts nothing.
        if (reservation.record.fingerprint !== fingerprint) throw GatewayError.idempotencyKeyConflict();
        const current = await services.runs.get(reservation.record.runId, owner);
        const status = current?.status ?? reservation.record.status;
        return new Reply(
          202,
          { run_id: reservation.record.runId, status, replayed: true },
          { ...echo, 'Idempotency-Replayed': 'true' },
        );
      }
    }
    const release = () =>
      idempotencyKey ? services.runIdempotency.release(scope, idempotencyKey, runId) : Promise.resolve();
    let admitted: () => void;
    try {
      admitted = services.admission.acquire();
    } catch (error) {
      await release();
      throw error;
    }
    try {
      await services.runs.submit({
        runId,
        scope: owner,
        sessionId,
        model: body.model ?? agent.id,
        admitted,
        turn: {
          model: agent.id,
          sessionKey: conversationKey(ctx, sessionId),
          clientHistory: parts.history,
          systemPrompt: parts.systemPrompt,
          input: parts.input,
          inputText: parts.inputText,
        },
        ...(idempotencyKey ? { idempotency: { scope, key: idempotencyKey } } : {}),
      });
    } catch (error) {
      await release();
      throw error;
    }
    return new Reply(202, { run_id: runId, status: 'started', replayed: false }, echo);
  };
}

/** 1–255 visible ASCII characters after trimming; empty or absent means no idempotency. */
function readIdempotencyKey(value: unknown): string | null {
  if (value === undefined) return null;
  const key = String(value).trim();
  if (key === '') return null;
  if (!IDEMPOTENCY_KEY.test(key)) throw GatewayError.invalidIdempotencyKey();
  return key;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
