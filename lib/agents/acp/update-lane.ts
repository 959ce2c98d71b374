// The agent's stdout, split into lines before the SDK sees them. session/update notifications (nine lines in ten of
// a streaming turn) are parsed once, checked and handed over here, synchronously and in arrival order; every other
// line (replies, permission requests, anything malformed) goes to the SDK's ndJsonStream byte for byte.
//
// Why: through the SDK each update is decoded twice (a text tap, then the SDK), validated by zod and dispatched
// through a chain of web streams and async handlers; measured (bench/RESULTS.md `bench:chat`), that was most of
// the gateway's CPU per streamed delta. The common shape (a text chunk) is checked by hand; every other update is
// validated by the SDK's own zod schema, so what reaches the turn is what the SDK would have delivered.
// Variants the SDK schema does not know are logged, counted and dropped, as the SDK would drop them (acp.md §2.4).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SessionNotification, SessionUpdate } from '@agentclientprotocol/sdk/unstable';
import type { Logger } from '../../log.js';

/** Every variant the SDK 2.4.0 /unstable schema accepts; the compile-time check below keeps it in step. */
const SDK_SESSION_UPDATE_VARIANTS = [
  'user_message_chunk',
  'agent_message_chunk',
  'agent_thought_chunk',
  'tool_call',
  'tool_call_update',
  'plan',
  'plan_update',
  'plan_removed',
  'available_commands_update',
  'current_mode_update',
  'config_option_update',
  'session_info_update',
  'usage_update',
  'notice',
  'compaction_update',
  'compaction_summary_chunk',
  'subagent_update',
  'session_message',
  'session_message_chunk',
] as const satisfies readonly SessionUpdate['sessionUpdate'][];

// Fails to compile when an SDK upgrade adds a variant the list above lacks.
type Missing = Exclude<SessionUpdate['sessionUpdate'], (typeof SDK_SESSION_UPDATE_VARIANTS)[number]>;
const allVariantsListed: [Missing] extends [never] ? true : Missing = true;
void allVariantsListed;

const KNOWN_VARIANTS: ReadonlySet<string> = new Set(SDK_SESSION_UPDATE_VARIANTS);
const TEXT_CHUNKS: ReadonlySet<string> = new Set(['agent_message_chunk', 'agent_thought_chunk', 'user_message_chunk']);
const NEWLINE = 0x0a;
const METHOD_MARK = Buffer.from('"session/update"');
/** The SDK's own limit on one incoming message (DEFAULT_MAX_MESSAGE_BYTES): past it the SDK fails the connection. */
const MAX_LINE_BYTES = 32 * 1024 * 1024;

interface NotificationSchema {
  safeParse(value: unknown): { success: true; data: SessionNotification } | { success: false; error: Error };
}

// The SDK's generated zod schema for session/update params (the one its notification handler parses with). The
// package exports no schema entry point, so it is loaded from next to the /unstable entry; the SDK is pinned.
const sdkEntry = createRequire(import.meta.url).resolve('@agentclientprotocol/sdk/unstable');
const { zSessionNotification } = (await import(
  pathToFileURL(join(dirname(sdkEntry), 'schema', 'zod.gen.js')).href
)) as { zSessionNotification: NotificationSchema };

export interface UpdateLaneSinks {
  /** A checked session/update, in the order the agent sent it. */
  update(notification: SessionNotification): void;
  /** Bytes for the SDK: whole lines, in order. */
  sdk(bytes: Uint8Array): void;
}

export class UpdateLane {
  /** Unknown session/update variants seen so far, by variant name. */
  readonly unknownUpdates = new Map<string, number>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** A line over the size limit is being passed to the SDK as it comes (the SDK refuses it). */
  private oversized = false;

  constructor(
    private readonly sinks: UpdateLaneSinks,
    private readonly logger: Logger,
  ) {}

  /**
   * Takes the next stdout bytes. `eager`: stop after the first update when more lines follow, and return the rest
   * (the caller passes it back on the next macrotask, `eager` off): an agent writes a burst of deltas in one read,
   * and the first should reach the client before the others are parsed. Otherwise returns null.
   */
  push(chunk: Buffer, eager = false): Buffer | null {
    let from = 0;
    let sdkFrom = 0; // the start of a run of lines for the SDK not yet passed on
    let mark = chunk.indexOf(METHOD_MARK); // the next "session/update" in the chunk (-1: none left)
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1; newline = chunk.indexOf(NEWLINE, from)) {
      const end = newline + 1;
      let delivered = false;
      if (this.oversized) {
        this.sinks.sdk(chunk.subarray(from, end));
        this.oversized = false;
        sdkFrom = end;
      } else if (this.pendingBytes > 0) {
        // The line began in an earlier chunk: it is complete now.
        this.pending.push(chunk.subarray(from, end));
        delivered = this.takePendingLine();
        sdkFrom = end;
      } else if (mark !== -1 && mark < newline) {
        // Delivered before the SDK gets the lines that preceded it: it handles them asynchronously anyway.
        delivered = this.takeUpdate(chunk.subarray(from, end));
        if (delivered) {
          if (sdkFrom < from) this.sinks.sdk(chunk.subarray(sdkFrom, from));
          sdkFrom = end;
        }
      }
      from = end;
      if (delivered && eager && chunk.indexOf(NEWLINE, from) !== -1) return chunk.subarray(from);
      if (mark !== -1 && mark < from) mark = chunk.indexOf(METHOD_MARK, from);
    }
    if (sdkFrom < from) this.sinks.sdk(chunk.subarray(sdkFrom, from));
    if (from < chunk.length) this.keepPartial(chunk.subarray(from));
    return null;
  }

  /** stdout ended: a last line without a line end is still a line. */
  end(): void {
    if (this.pendingBytes > 0) this.takePendingLine();
  }

  /** The line held in `pending`, now whole: an update handed over (true), or bytes for the SDK. */
  private takePendingLine(): boolean {
    const line = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    const delivered = this.takeUpdate(line);
    if (!delivered) this.sinks.sdk(line);
    return delivered;
  }

  private keepPartial(bytes: Buffer): void {
    if (this.oversized) {
      this.sinks.sdk(bytes);
      return;
    }
    // Copied: the chunk's memory is the stream's, and a line may wait for many chunks.
    this.pending.push(Buffer.from(bytes));
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > MAX_LINE_BYTES) {
      this.sinks.sdk(Buffer.concat(this.pending));
      this.pending = [];
      this.pendingBytes = 0;
      this.oversized = true;
    }
  }

  /** Handles `line` when it is a session/update notification; false when it is the SDK's to handle. */
  private takeUpdate(line: Buffer): boolean {
    let message: unknown;
    try {
      message = JSON.parse(line.toString('utf8'));
    } catch {
      return false; // malformed lines are the SDK's to answer (-32700)
    }
    if (!isRecord(message) || message.method !== 'session/update' || 'id' in message) return false;
    const params = message.params;
    const variant = isRecord(params) && isRecord(params.update) ? params.update.sessionUpdate : undefined;
    if (typeof variant === 'string' && !KNOWN_VARIANTS.has(variant)) {
      this.dropUnknown(variant, line);
      return true;
    }
    const notification = isTextChunk(params) ? params : this.validated(params);
    if (notification) this.deliver(notification);
    return true;
  }

  private validated(params: unknown): SessionNotification | null {
    const result = zSessionNotification.safeParse(params);
    if (result.success) return result.data;
    this.logger.warn({ err: result.error }, 'agent sent an invalid session/update; dropped');
    return null;
  }

  private deliver(notification: SessionNotification): void {
    try {
      this.sinks.update(notification);
    } catch (error) {
      // A fault in one turn's handling must not stop the agent's other sessions.
      this.logger.error({ err: error }, 'session/update handler failed');
    }
  }

  private dropUnknown(variant: string, line: Buffer): void {
    const count = (this.unknownUpdates.get(variant) ?? 0) + 1;
    this.unknownUpdates.set(variant, count);
    // Warn once per variant; later ones only at debug, so a chatty agent cannot flood the log.
    const level = count === 1 ? 'warn' : 'debug';
    this.logger[level](
      { variant, count, line: line.subarray(0, 2000).toString('utf8').trim() },
      'agent sent an unknown session/update variant',
    );
  }
}

/**
 * The shape nearly every update of a streaming turn has, checked by hand: what the SDK's schema would accept and
 * pass on unchanged for the fields the gateway reads. Anything else takes the schema.
 */
function isTextChunk(params: unknown): params is SessionNotification {
  if (!isRecord(params) || typeof params.sessionId !== 'string' || !isRecord(params.update)) return false;
  const { update } = params;
  if (typeof update.sessionUpdate !== 'string' || !TEXT_CHUNKS.has(update.sessionUpdate)) return false;
  const { content, messageId } = update;
  if (messageId !== undefined && messageId !== null && typeof messageId !== 'string') return false;
  return (
    isRecord(content) && content.type === 'text' && typeof content.text === 'string' && !('annotations' in content)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
