// The baseline of the turns bench: the layout the gateway had before issue 11, one Keyv value per session holding
// its record AND all its messages, read and rewritten whole on every write (as `Repository<ConversationRecord>`
// kept the transcript). It implements the whole SessionStore interface, so the gateway runs on it unchanged
// (`GatewayOptions.createSessionStore`); only the layout differs from lib/store/session-store.ts.
import type { Keyv } from 'keyv';
import type { Store } from '../lib/store/keyv.js';
import { guard } from '../lib/store/repository.js';
import type { NumberedMessage, SessionMessage, SessionRow, SessionStore } from '../lib/store/session-store.js';

/** One stored value: the session record and every message, oldest first. */
interface WholeRecord {
  row: SessionRow;
  messages: SessionMessage[];
}

export class WholeRecordSessionStore implements SessionStore {
  private readonly records: Keyv<WholeRecord>;

  constructor(store: Store, namespace = 'sessions-whole') {
    this.records = store.namespace<WholeRecord>(namespace);
  }

  async get(key: string): Promise<SessionRow | undefined> {
    return (await this.read(key))?.row;
  }

  /** Check then set, as the shipped Keyv store does: the engine serialises writes per session. */
  async create(row: SessionRow): Promise<boolean> {
    if (await this.read(row.key)) return false;
    await this.write({ row, messages: [] });
    return true;
  }

  async put(row: SessionRow): Promise<void> {
    const record = await this.read(row.key);
    await this.write({ row, messages: record?.messages ?? [] });
  }

  async append(row: SessionRow, from: number, messages: SessionMessage[]): Promise<void> {
    const record = await this.read(row.key);
    // What is stored beyond `from` (an abandoned write) is overwritten, as in the shipped stores.
    const kept = record ? record.messages.slice(0, from) : [];
    await this.write({ row, messages: kept.concat(messages) });
  }

  async messages(key: string, start: number, end: number): Promise<NumberedMessage[]> {
    if (end <= start) return [];
    const record = await this.read(key);
    if (!record) return [];
    return record.messages.slice(start, end).map((message, i) => ({ id: start + i + 1, ...message }));
  }

  async list(owner: string): Promise<SessionRow[]> {
    const rows: SessionRow[] = [];
    for (const record of await this.all()) if (record.row.owner === owner) rows.push(record.row);
    return rows.sort((a, b) => b.info.last_active - a.info.last_active);
  }

  delete(key: string): Promise<boolean> {
    return guard(this.records.delete(key));
  }

  async sweep(before: number): Promise<number> {
    let removed = 0;
    for (const { row } of await this.all()) {
      if (row.info.last_active * 1000 < before && (await this.delete(row.key))) removed++;
    }
    return removed;
  }

  private read(key: string): Promise<WholeRecord | undefined> {
    return guard(this.records.get(key) as Promise<WholeRecord | undefined>);
  }

  private async write(record: WholeRecord): Promise<void> {
    await guard(this.records.set(record.row.key, record));
  }

  private async all(): Promise<WholeRecord[]> {
    const keyv = this.records;
    if (!keyv.iterator) return [];
    const records: WholeRecord[] = [];
    const iterate = async () => {
      for await (const [, value] of keyv.iterator!(undefined)) if (value) records.push(value as WholeRecord);
    };
    await guard(iterate());
    return records;
  }
}
