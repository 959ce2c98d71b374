// The concurrency cap over every agent-running request (chat, responses, runs, session chat).
import { GatewayError } from '../http/errors.js';

export interface Admission {
  /** Takes a slot or throws 429 rate_limit_exceeded. The returned function frees it (idempotent). */
  acquire(): () => void;
  active(): number;
  readonly max: number;
}

/** In-process cap; `max` 0 means unlimited. */
export function createAdmission(max: number): Admission {
  let active = 0;
  return {
    max,
    active: () => active,
    acquire() {
      if (max > 0 && active >= max) throw GatewayError.tooManyRuns(max);
      active++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        active--;
      };
    },
  };
}
