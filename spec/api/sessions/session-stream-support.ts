// Session stream test support: each event checked against the schema openapi.yaml names for it (x-sse-events of
// streamSessionChat), the reference's event order (§8), and reading a live stream.
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { AssertionError, expect } from 'chai';
import { parse } from 'yaml';
import { loadContract, SCHEMA_BASE } from '../../../lib/http/contract.js';
import { createAjv } from '../../../lib/http/validate.js';
import type { TestGateway } from '../../support/gateway.js';
import { isSseComment, readSse } from '../../support/sse.js';

export interface SessionStreamEvent {
  event: string;
  data: Record<string, any>;
}

/** Event name -> `schemas/sessions.json#/$defs/<name>`, as openapi.yaml declares them. */
function declaredEvents(): Record<string, string> {
  const doc = parse(readFileSync('openapi.yaml', 'utf8'));
  return doc.paths['/api/sessions/{session_id}/chat/stream'].post.responses['200'].content['text/event-stream'][
    'x-sse-events'
  ];
}

let ajv: ReturnType<typeof createAjv> | undefined;
let declared: Record<string, string> | undefined;
const validators = new Map<string, ValidateFunction>();

export function expectSessionStreamEvent(event: string, data: unknown): void {
  ajv ??= createAjv(loadContract(), false);
  declared ??= declaredEvents();
  const ref = declared[event];
  if (!ref) throw new AssertionError(`event ${event} is not declared in openapi.yaml x-sse-events`);
  let validate = validators.get(event);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SCHEMA_BASE}${ref.replace(/^schemas\//, '')}` });
    validators.set(event, validate);
  }
  if (!validate(data)) {
    throw new AssertionError(`${event} does not match ${ref}: ${ajv.errorsText(validate.errors)}`, { actual: data });
  }
}

/**
 * reference §8: run.started, message.started, then deltas, tool and approval events, then assistant.completed, one
 * of run.completed|failed|cancelled, and done; or an error then done.
 */
const REFERENCE_ORDER = new RegExp(
  '^run\\.started message\\.started' +
    '( (assistant\\.delta|assistant\\.commentary|tool\\.(started|completed|failed|progress)|approval\\.request))*' +
    ' assistant\\.completed run\\.(completed|failed|cancelled) done$',
);

export function expectReferenceOrder(events: SessionStreamEvent[]): void {
  const names = events.map((e) => e.event).join(' ');
  expect(REFERENCE_ORDER.test(names), `event order: ${names}`).to.equal(true);
  expect(events.map((e) => e.data.seq)).to.deep.equal(events.map((_, i) => i + 1));
  const ids = new Set(events.map((e) => `${e.data.session_id} ${e.data.run_id}`));
  expect(ids.size, 'one session_id and run_id on every event').to.equal(1);
}

export interface SessionStreamReader {
  /** Every event read so far. */
  readonly events: SessionStreamEvent[];
  /** Reads on until `until` matches an event (or the stream ends); resolves with every event read so far. */
  until(until?: (e: SessionStreamEvent) => boolean): Promise<SessionStreamEvent[]>;
}

/** A session stream read in steps, each event checked against the contract as it arrives. */
export function sessionStreamReader(res: Response): SessionStreamReader {
  const items = readSse(res.body!)[Symbol.asyncIterator]();
  const events: SessionStreamEvent[] = [];
  return {
    events,
    async until(until = () => false) {
      for (;;) {
        const { value: item, done } = await items.next();
        if (done) return events;
        if (isSseComment(item)) continue;
        const event = { event: item.event ?? 'message', data: JSON.parse(item.data) };
        expectSessionStreamEvent(event.event, event.data);
        events.push(event);
        if (until(event)) return events;
      }
    },
  };
}

/** Reads a whole session stream, checking each event against the contract. */
export const readSessionStream = (res: Response) => sessionStreamReader(res).until();

/** POST /api/sessions: a session of the caller (optionally under a session key). */
export async function createSession(
  gw: TestGateway,
  json: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await gw.request('/api/sessions', { method: 'POST', json, headers });
  const body = (await res.json()) as { session: { id: string } };
  expect(res.status, JSON.stringify(body)).to.equal(201);
  return body.session.id;
}

export function chat(gw: TestGateway, sessionId: string, json: unknown, headers: Record<string, string> = {}) {
  return gw.request(`/api/sessions/${encodeURIComponent(sessionId)}/chat`, { method: 'POST', json, headers });
}

export function chatStream(gw: TestGateway, sessionId: string, json: unknown, headers: Record<string, string> = {}) {
  return gw.request(`/api/sessions/${encodeURIComponent(sessionId)}/chat/stream`, { method: 'POST', json, headers });
}
