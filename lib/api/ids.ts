// Id formats of the wire (reference §0.2).
import { randomBytes } from 'node:crypto';

/** Responses output item id prefixes, one per kind of item the gateway makes: message, reasoning, tool call, result. */
export type ItemKind = 'msg' | 'rs' | 'fc' | 'fco';

const hex = (n: number) =>
  randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);

export const newId = {
  chatCompletion: () => `chatcmpl-${hex(29)}`,
  response: () => `resp_${hex(28)}`,
  item: (kind: ItemKind) => `${kind}_${hex(24)}`,
  run: () => `run_${hex(32)}`,
};

export const nowSeconds = () => Math.floor(Date.now() / 1000);
