// Id formats of the wire (reference §0.2).
import { randomBytes } from 'node:crypto';

const hex = (n: number) =>
  randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);

export const newId = {
  chatCompletion: () => `chatcmpl-${hex(29)}`,
  response: () => `resp_${hex(28)}`,
  message: () => `msg_${hex(24)}`,
  functionCall: () => `fc_${hex(24)}`,
  functionCallOutput: () => `fco_${hex(24)}`,
  reasoning: () => `rs_${hex(24)}`,
  run: () => `run_${hex(32)}`,
};

export const nowSeconds = () => Math.floor(Date.now() / 1000);
