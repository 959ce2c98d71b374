// /api/sessions, /api/sessions/{id} and its messages and fork (reference §8): the session records of the one
// conversation store. Chat on a session is in session-chat.ts. Forks are sessions like any other, so
// `include_children` changes nothing here (Hermes uses it for compression continuations, which this gateway has none of).
import { randomBytes } from 'node:crypto';
import { GatewayError } from '../../errors.js';
import { boolish } from '../../http/boolish-fields.js';
import { Reply } from '../../http/operation.js';
import type { ResponsesRepo } from '../../store/responses-repo.js';
import type { SessionRow } from '../../store/session-store.js';
import { ChainSessions } from '../responses/chain-sessions.js';
import type { Operation } from '../operation-types.js';
import { checkSessionId } from '../session-headers.js';
import type { Services } from '../services.js';
import { findSession, ownerOfRequest } from './session-lookup.js';
import { messageToWire, sessionToWire } from './session-wire.js';
import { forkSessionRow } from './session-fork.js';

const LIST_DEFAULT = 50;
const LIST_MAX = 200;
const OFFSET_MAX = 1_000_000;
const MESSAGES_MAX = 500;
const SOURCES = ['api_server', 'hermes_browser', 'cli', 'telegram', 'discord', 'slack', 'desktop', 'dashboard'];
const PATCHABLE = ['title', 'end_reason', 'pinned', 'archived', 'hidden', 'unread'] as const;
const FLAGS = ['pinned', 'archived', 'hidden', 'unread'] as const;

const envelope = (row: SessionRow) => ({ object: 'hermes.session', session: sessionToWire(row) });

export function sessionsOperations(services: Services, responses: ResponsesRepo) {
  const chains = new ChainSessions(services, responses);
  const { conversations } = services;
  const sessions = conversations.sessions;

  const listSessions: Operation<'listSessions'> = async ({ query, ctx, headers }) => {
    const limit = lenientInt(query.limit, LIST_DEFAULT, 0, LIST_MAX);
    const offset = lenientInt(query.offset, 0, 0, OFFSET_MAX);
    const source = typeof query.source === 'string' && query.source !== '' ? query.source : null;
    const title = typeof query.title === 'string' && query.title !== '' ? query.title.toLowerCase() : null;
    const includeHidden = boolish(query.include_hidden);
    const rows = (await services.conversations.list(ownerOfRequest(ctx, headers))).filter(
      (row) =>
        (includeHidden || !row.info.hidden) &&
        (source === null || row.info.source === source) &&
        (title === null || (row.info.title ?? '').toLowerCase().includes(title)),
    );
    // Most recent activity first, pinned sessions ahead of the rest (reference: pinned are back-filled).
    const pinned = rows.filter((row) => row.info.pinned);
    const unpinned = rows.filter((row) => !row.info.pinned);
    const ordered = [...pinned, ...unpinned];
    const page = ordered.slice(offset, offset + limit);
    return {
      object: 'list',
      data: page.map(sessionToWire),
      limit,
      offset,
      has_more: offset + limit < ordered.length,
    };
  };

  const createSession: Operation<'createSession'> = async ({ body, ctx, headers }) => {
    const input = (body ?? {}) as Record<string, unknown>;
    const requested = input.id ?? input.session_id;
    if (requested !== undefined && typeof requested !== 'string')
      throw GatewayError.invalid('Invalid session ID', 'id', 'invalid_session_id');
    const id = requested?.trim() ? checkSessionId(requested.trim(), 'id') : defaultSessionId();
    if (input.system_prompt !== undefined && typeof input.system_prompt !== 'string')
      throw GatewayError.invalid('system_prompt must be a string', 'system_prompt', 'invalid_system_prompt');
    const owner = ownerOfRequest(ctx, headers);
    const title = await checkTitle(services, owner, input.title, null);
    const source = normalizeSource(input.source);
    const row = conversations.newRow({ owner, id, source }, Date.now(), {
      title,
      model: typeof input.model === 'string' ? input.model : null,
    });
    row.systemPrompt =
      typeof input.system_prompt === 'string' && input.system_prompt !== '' ? input.system_prompt : null;
    const modelConfig = pick(input, ['provider', 'model_options', 'require_model_lock']);
    row.modelConfig = Object.keys(modelConfig).length > 0 ? modelConfig : null;
    if (!(await sessions.create(row))) throw GatewayError.sessionExists(id);
    return new Reply(201, envelope(row));
  };

  const getSession: Operation<'getSession'> = async ({ params, ctx, headers }) =>
    envelope(await findSession(services, ownerOfRequest(ctx, headers), params.session_id));

  const updateSession: Operation<'updateSession'> = async ({ params, body, ctx, headers }) => {
    const owner = ownerOfRequest(ctx, headers);
    const patch = (body ?? {}) as Record<string, unknown>;
    const unsupported = Object.keys(patch).filter((key) => !(PATCHABLE as readonly string[]).includes(key));
    if (unsupported.length > 0)
      throw GatewayError.invalid(
        `Unsupported session fields: ${unsupported.join(', ')}`,
        unsupported[0],
        'unsupported_session_field',
      );
    for (const flag of FLAGS)
      if (patch[flag] !== undefined && typeof patch[flag] !== 'boolean')
        throw GatewayError.invalid(`${flag} must be a boolean`, flag, 'invalid_session_field');
    if (patch.end_reason !== undefined && patch.end_reason !== null && typeof patch.end_reason !== 'string')
      throw GatewayError.invalid('end_reason must be a string', 'end_reason', 'invalid_session_field');
    const row = structuredClone(await findSession(services, owner, params.session_id));
    if ('title' in patch) row.info.title = await checkTitle(services, owner, patch.title, row.info.id);
    for (const flag of FLAGS) if (typeof patch[flag] === 'boolean') row.info[flag] = patch[flag] as boolean;
    if (typeof patch.end_reason === 'string' && patch.end_reason !== '') {
      row.info.end_reason = patch.end_reason;
      row.info.ended_at ??= Date.now() / 1000;
    } else if (patch.end_reason === null) {
      row.info.end_reason = null;
      row.info.ended_at = null;
    }
    await sessions.put(row);
    return envelope(row);
  };

  const deleteSession: Operation<'deleteSession'> = async ({ params, ctx, headers }) => {
    const owner = ownerOfRequest(ctx, headers);
    const row = await findSession(services, owner, params.session_id);
    if (services.turns.isBusy(row.key)) throw GatewayError.sessionActiveTurn(row.info.id);
    // The agent's own session goes too (nothing of a deleted conversation stays warm in an agent process), and
    // the stored responses that ran in it.
    const deleted = await conversations.deleteSession(row.key);
    await chains.sessionDeleted(row.key);
    await services.runIdempotency.forgetSession(row.key);
    return { object: 'hermes.session.deleted', id: row.info.id, deleted };
  };

  const listSessionMessages: Operation<'listSessionMessages'> = async ({ params, query, ctx, headers }) => {
    const row = await findSession(services, ownerOfRequest(ctx, headers), params.session_id);
    const requestedLimit = strictInt(query.limit, 'limit');
    const limit = requestedLimit ?? MESSAGES_MAX;
    const offset = strictInt(query.offset, 'offset') ?? 0;
    // Without a limit the reference answers the latest 500 messages.
    const order = query.order ?? (requestedLimit === undefined ? 'latest' : 'oldest');
    if (order !== 'oldest' && order !== 'latest')
      throw GatewayError.invalid("order must be 'oldest' or 'latest'", 'order', 'invalid_pagination');
    const count = row.info.message_count;
    const size = Math.min(limit, MESSAGES_MAX);
    // `latest` pages back from the newest message; each page is still oldest first, as a transcript reads.
    const end = order === 'oldest' ? Math.min(count, offset + size) : Math.max(0, count - offset);
    const start = order === 'oldest' ? Math.min(count, offset) : Math.max(0, end - size);
    const messages = await sessions.messages(row.key, start, end);
    return {
      object: 'list',
      session_id: row.info.id,
      data: messages.map((message) => messageToWire(row.info.id, message)),
      pagination: { limit: size, offset, order, returned: messages.length },
    };
  };

  const forkSession: Operation<'forkSession'> = async ({ params, body, ctx, headers }) => {
    const owner = ownerOfRequest(ctx, headers);
    const source = await findSession(services, owner, params.session_id);
    const input = (body ?? {}) as Record<string, unknown>;
    const requested = input.id ?? input.session_id;
    if (requested !== undefined && typeof requested !== 'string')
      throw GatewayError.invalid('Invalid session ID', 'id', 'invalid_session_id');
    const id = requested?.trim() ? checkSessionId(requested.trim(), 'id') : defaultSessionId();
    const title =
      input.title === undefined || input.title === null
        ? await nextForkTitle(services, owner, source.info.title)
        : await checkTitle(services, owner, input.title, null);
    const child = await forkSessionRow(services, source, { id, title });
    return new Reply(201, envelope(child));
  };

  return {
    listSessions,
    createSession,
    getSession,
    updateSession,
    deleteSession,
    listSessionMessages,
    forkSession,
  };
}

/** Hermes' default id: api_<epoch seconds>_<8 hex>. */
function defaultSessionId(): string {
  return `api_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
}

function normalizeSource(value: unknown): string {
  if (value === 'browser') return 'hermes_browser';
  return typeof value === 'string' && SOURCES.includes(value) ? value : 'api_server';
}

/** A title is a string (or null to clear); unique among the owner's sessions. */
async function checkTitle(services: Services, owner: string, value: unknown, self: string | null) {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw GatewayError.invalid('Title must be a string', 'title', 'invalid_title');
  const title = value.trim();
  if (title === '') return null;
  if (title.length > 200) throw GatewayError.invalid('Title too long (max 200 characters)', 'title', 'invalid_title');
  const taken = (await services.conversations.list(owner)).find(
    (row) => row.info.title === title && row.info.id !== self,
  );
  if (taken) throw GatewayError.invalid(`Title already in use by session ${taken.info.id}`, 'title', 'invalid_title');
  return title;
}

/** "<title> fork", then "<title> fork 2", … (the CLI's /branch lineage titles); null for an untitled source. */
async function nextForkTitle(services: Services, owner: string, title: string | null): Promise<string | null> {
  if (!title) return null;
  const used = new Set((await services.conversations.list(owner)).map((row) => row.info.title));
  const base = `${title} fork`;
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base} ${n}`)) return `${base} ${n}`;
}

/** Listing is forgiving (reference: a negative or invalid limit falls back to the default). */
function lenientInt(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  if (!Number.isInteger(n) || n < min) return fallback;
  return Math.min(n, max);
}

/** Message paging is strict: a negative or non-integer value is a 400 invalid_pagination. */
function strictInt(value: unknown, param: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw GatewayError.invalid(`${param} must be a non-negative integer`, param, 'invalid_pagination');
  return n;
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}
