// Runs cut short by a restart: a stored run that no live instance executes any more ends `interrupted`
// (DESIGN: "retry me", never running forever), and its journal gets the terminal event (opened again when it was
// lost with its instance).
import type { InstancePresence } from './instance-presence.js';
import type { RunEncoderFactory } from './run-encoder.js';
import type { RunJournal } from './run-journal.js';
import { interruptedOutcome, isTerminal, RESTARTED_ERROR, type RunRecord, settledFields } from './run-record.js';
import type { RunStatusStore } from './run-status-store.js';

export interface RestartRecoveryOptions {
  /** This gateway instance. */
  instance: string;
  /** Whether other instances share the store: their runs are theirs while they are alive. */
  shared: boolean;
  presence: InstancePresence;
  statuses: RunStatusStore;
  journal: RunJournal;
  encoderFor: RunEncoderFactory;
  now: () => number;
}

export class RestartRecovery {
  constructor(private readonly options: RestartRecoveryOptions) {}

  /** A stored run that is not live here, as it stands: unchanged while finished or while its owner lives. */
  async reconcile(stored: RunRecord): Promise<RunRecord> {
    if (isTerminal(stored.status) || (await this.ownerAlive(stored))) return stored;
    return this.markRestarted(stored);
  }

  private async ownerAlive(record: RunRecord): Promise<boolean> {
    if (record.instance === this.options.instance) return false; // ours, yet not live here: it was lost
    if (!this.options.shared) return false; // one process per store file: the owner is gone
    return this.options.presence.isAlive(record.instance);
  }

  /** A run whose gateway went away before it settled: interrupted (reference §6.2), and said so. */
  private async markRestarted(stored: RunRecord): Promise<RunRecord> {
    const { journal, statuses, encoderFor } = this.options;
    const outcome = interruptedOutcome(stored.output ?? '', RESTARTED_ERROR);
    // The terminal event names the record's last event, whether or not the journal is still there to take it.
    const payloads = encoderFor({ runId: stored.runId, sessionId: stored.sessionId, model: stored.model }).finish(
      outcome,
    );
    const record: RunRecord = {
      ...stored,
      ...settledFields(outcome, this.options.now()),
      lastEvent: payloads.at(-1)?.event ?? stored.lastEvent,
    };
    await statuses.save(record);
    // The status and the event stream must agree: a journal that died with its instance (kept in that process's
    // memory) is opened again with the terminal event, so GET …/events tells what GET …/{id} does.
    if (!(await journal.exists(record.runId))) await journal.open(record.runId);
    for (const payload of payloads) await journal.append(record.runId, payload);
    await journal.close(record.runId);
    return record;
  }
}
