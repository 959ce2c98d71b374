// Picks the run journal for the store: Redis Streams when the store is Redis (shared by instances), else memory.
import type { Logger } from '../../log.js';
import type { Store } from '../../store/keyv.js';
import { RedisRunJournal } from './redis-run-journal.js';
import { type JournalLimits, MemoryRunJournal, type RunJournal } from './run-journal.js';

export function createRunJournal(store: Store, limits: JournalLimits, logger: Logger): RunJournal {
  return store.redis ? new RedisRunJournal(store.redis, limits, logger) : new MemoryRunJournal(limits);
}
