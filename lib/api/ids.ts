// Id formats of the wire (reference §0.2).
import { randomFillSync } from 'node:crypto';

/** Responses output item id prefixes, one per kind of item the gateway makes: message, reasoning, tool call, result. */
export type ItemKind = 'msg' | 'rs' | 'fc' | 'fco';

// Random bytes are drawn 4 KB at a time: one call to the system's generator per ~130 ids, not one per id (a
// getrandom call per request showed in the chat turn's profile). Same source, same randomness.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

function hex(n: number): string {
  const bytes = Math.ceil(n / 2);
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const text = pool.toString('hex', used, used + bytes);
  used += bytes;
  return text.slice(0, n);
}

export const newId = {
  chatCompletion: () => `chatcmpl-${hex(29)}`,
  response: () => `resp_${hex(28)}`,
  item: (kind: ItemKind) => `${kind}_${hex(24)}`,
  run: () => `run_${hex(32)}`,
};

export const nowSeconds = () => Math.floor(Date.now() / 1000);
