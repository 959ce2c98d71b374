// The concurrency cap over every agent-running request (chat, responses, runs, session chat). One interface,
// two counts: this process's (memory and SQLite stores) or every instance's on a shared Redis store.
import type { RedisClientType } from '@keyv/redis';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { RedisAdmission } from './redis-admission.js';

export interface Admission {
  /**
   * Takes a slot or throws 429 rate_limit_exceeded (503 store_unavailable when a shared count cannot be
   * reached). The returned function frees it (idempotent).
   */
  acquire(): Promise<() => void>;
  /** Slots this process holds. */
  active(): number;
  readonly max: number;
  dispose(): Promise<void>;
}

/** `max` 0 means unlimited. With a Redis client the cap counts the slots of every instance on it. */
export function createAdmission(max: number, redis: RedisClientType | null = null, logger?: Logger): Admission {
  if (redis && max > 0 && logger) return new RedisAdmission(redis, max, logger);
  return new MemoryAdmission(max);
}

/** In-process cap. */
export class MemoryAdmission implements Admission {
  private count = 0;

  constructor(readonly max: number) {}

  async acquire(): Promise<() => void> {
    if (this.max > 0 && this.count >= this.max) throw GatewayError.tooManyRuns(this.max);
    this.count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count--;
    };
  }

  active(): number {
    return this.count;
  }

  async dispose(): Promise<void> {}
}
