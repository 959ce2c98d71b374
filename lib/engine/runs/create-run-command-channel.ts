// Picks the run command channel for the store: Redis pub/sub when instances share a Redis store, else in-process.
import type { Logger } from '../../log.js';
import type { Store } from '../../store/keyv.js';
import { RedisRunCommandChannel } from './redis-run-command-channel.js';
import { MemoryRunCommandChannel, type RunCommandChannel } from './run-commands.js';

export function createRunCommandChannel(store: Store, logger: Logger): RunCommandChannel {
  return store.redis ? new RedisRunCommandChannel(store.redis, logger) : new MemoryRunCommandChannel();
}
