// The run journal on Redis Streams, shared by every gateway instance on the store: the instance running a
// run appends (ids from an INCR counter, entry id `0-<n>`), any instance replays and tails it (XREAD BLOCK
// on its own connection per subscriber). A closed journal expires after its TTL; a live one after a day.
import type { RedisClientType } from '@keyv/redis';
import type { Logger } from '../../log.js';
import type { JournalEntry, JournalLimits, RunEventPayload, RunJournal } from './run-journal.js';

const LIVE_TTL_S = 24 * 3600;
const BLOCK_MS = 1000;

type StreamEntry = [string, string[]];
type XReadReply = Array<[string, StreamEntry[]]> | null;

export class RedisRunJournal implements RunJournal {
  private readonly subscribers = new Set<RedisClientType>();
  private disposed = false;

  constructor(
    private readonly redis: RedisClientType,
    private readonly limits: JournalLimits,
    private readonly logger: Logger,
    private readonly prefix = 'agw:run_journal:',
  ) {}

  private keys(runId: string) {
    const stream = `${this.prefix}${runId}`;
    return { stream, seq: `${stream}:seq` };
  }

  async open(runId: string): Promise<void> {
    const { seq } = this.keys(runId);
    await this.redis.sendCommand(['SET', seq, '0', 'NX', 'EX', String(LIVE_TTL_S)]);
  }

  async append(runId: string, data: RunEventPayload): Promise<number> {
    return this.add(runId, ['data', JSON.stringify(data)]);
  }

  async close(runId: string): Promise<void> {
    const { stream, seq } = this.keys(runId);
    await this.add(runId, ['end', '1']);
    const ttlMs = String(Math.max(1, Math.round(this.limits.ttlMs)));
    await Promise.all([
      this.redis.sendCommand(['PEXPIRE', stream, ttlMs]),
      this.redis.sendCommand(['PEXPIRE', seq, ttlMs]),
    ]);
  }

  async exists(runId: string): Promise<boolean> {
    return Number(await this.redis.sendCommand(['EXISTS', this.keys(runId).seq])) > 0;
  }

  async *subscribe(runId: string, afterId: number, signal: AbortSignal): AsyncIterable<JournalEntry> {
    const { stream, seq } = this.keys(runId);
    const reader = this.redis.duplicate() as RedisClientType;
    reader.on('error', (error: Error) => this.logger.debug({ err: error.message, runId }, 'journal reader error'));
    const stop = () => void reader.destroy();
    signal.addEventListener('abort', stop, { once: true });
    this.subscribers.add(reader);
    let last = afterId;
    try {
      await reader.connect();
      while (!signal.aborted && !this.disposed) {
        const reply = (await reader.sendCommand([
          'XREAD',
          'COUNT',
          '100',
          'BLOCK',
          String(BLOCK_MS),
          'STREAMS',
          stream,
          `0-${last}`,
        ])) as XReadReply;
        if (!reply) {
          // Nothing new: a journal that expired (or was never there) has nothing more to give.
          if (Number(await reader.sendCommand(['EXISTS', seq])) === 0) return;
          continue;
        }
        for (const [entryId, fields] of reply[0][1]) {
          last = Number(entryId.split('-')[1]);
          const value = fieldsOf(fields);
          if (value.end !== undefined) return;
          yield { id: last, data: JSON.parse(value.data ?? '{}') as RunEventPayload };
          if (signal.aborted) return;
        }
      }
    } catch (error) {
      if (!signal.aborted && !this.disposed) this.logger.warn({ err: error, runId }, 'journal subscription failed');
    } finally {
      signal.removeEventListener('abort', stop);
      this.subscribers.delete(reader);
      if (reader.isOpen) reader.destroy();
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const reader of this.subscribers) if (reader.isOpen) reader.destroy();
    this.subscribers.clear();
  }

  private async add(runId: string, fields: string[]): Promise<number> {
    const { stream, seq } = this.keys(runId);
    const id = Number(await this.redis.sendCommand(['INCR', seq]));
    await this.redis.sendCommand([
      'XADD',
      stream,
      'MAXLEN',
      '=',
      String(this.limits.maxEvents + 1), // + the end marker
      `0-${id}`,
      ...fields,
    ]);
    if (id === 1 || id % 100 === 0) await this.redis.sendCommand(['EXPIRE', stream, String(LIVE_TTL_S)]);
    return id;
  }
}

function fieldsOf(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}
