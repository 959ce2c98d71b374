// How Keyv values are written as text (SQLite rows, Redis strings, the memory store): plain JSON behind a one-character
// format mark. Keyv's default (@keyv/serialize) walks every value in JavaScript and parses with a reviver; measured
// (`npm run bench -- chat`), that was a sixth of the gateway's CPU per chat turn. The gateway stores no Buffers, the
// one thing the default format adds. Text written by the default format (no mark) is still read with it, so state
// written by earlier versions survives the upgrade.
import { defaultDeserialize } from '@keyv/serialize';

/** Starts every value written here; the default format's text always starts with `{` (Keyv's `{value, expires}`). */
const MARK = '#';

export function serializeValue(data: unknown): string {
  return MARK + JSON.stringify(data);
}

export function deserializeValue<T>(text: string): T | undefined {
  if (text.startsWith(MARK)) return JSON.parse(text.slice(1)) as T;
  return defaultDeserialize(text) as T | undefined;
}
