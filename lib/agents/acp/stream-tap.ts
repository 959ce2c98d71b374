// A tap on the agent's stdout bytes, before the SDK parses them: finds `session/update` variants
// the SDK schema does not know, logs and counts them, and keeps them away from the SDK.
//
// Why: the SDK validates inbound session/update and drops an unknown variant after printing to the
// console (acp.md §2.4 item 1), so neither our handler nor our logger would ever see it.
import type { SessionUpdate } from '@agentclientprotocol/sdk/unstable';
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

export interface StreamTap {
  /** Pipe the agent's stdout through this before `ndJsonStream`. */
  readonly stream: TransformStream<Uint8Array, Uint8Array>;
  /** Unknown session/update variants seen so far, by variant name. */
  readonly unknownUpdates: ReadonlyMap<string, number>;
}

export function createStreamTap(logger: Logger): StreamTap {
  const unknownUpdates = new Map<string, number>();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending: string[] = [];

  const forward = (line: string, controller: TransformStreamDefaultController<Uint8Array>) => {
    const variant = unknownVariantOf(line);
    if (variant === null) {
      controller.enqueue(encoder.encode(line));
      return;
    }
    const count = (unknownUpdates.get(variant) ?? 0) + 1;
    unknownUpdates.set(variant, count);
    // Warn once per variant; later ones only at debug, so a chatty agent cannot flood the log.
    const level = count === 1 ? 'warn' : 'debug';
    logger[level]({ variant, count, line: line.slice(0, 2000).trim() }, 'agent sent an unknown session/update variant');
  };

  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const text = decoder.decode(chunk, { stream: true });
      let from = 0;
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', from)) {
        pending.push(text.slice(from, newline + 1));
        forward(pending.join(''), controller);
        pending = [];
        from = newline + 1;
      }
      if (from < text.length) pending.push(text.slice(from));
    },
    flush(controller) {
      const rest = pending.join('') + decoder.decode();
      pending = [];
      if (rest) forward(rest, controller);
    },
  });
  return { stream, unknownUpdates };
}

/** The variant name when `line` is a session/update the SDK would drop as unknown, else null. */
export function unknownVariantOf(line: string): string | null {
  // Cheap pre-check: most lines are not session/update and need no second JSON parse.
  if (!line.includes('session/update')) return null;
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return null; // malformed lines are the SDK's to answer (-32700)
  }
  if (!isRecord(message) || message.method !== 'session/update' || !isRecord(message.params)) return null;
  const update = message.params.update;
  if (!isRecord(update) || typeof update.sessionUpdate !== 'string') return null;
  return KNOWN_VARIANTS.has(update.sessionUpdate) ? null : update.sessionUpdate;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
