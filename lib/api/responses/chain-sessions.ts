// What happens to a Responses chain's session when its stored responses go (issue 19: delete means delete).
// A session the chain opened itself (no X-Hermes-Session-Id named it) lives as long as a stored response ran in
// it: evicting or deleting the last one removes the session with its messages. Deleting the chain's latest
// response also removes that turn's messages, which nothing else holds. Sessions a client named stay theirs.
import type { Evicted, ResponsesRepo, StoredResponse } from '../../store/responses-repo.js';
import type { Services } from '../services.js';

export class ChainSessions {
  constructor(
    private readonly services: Services,
    private readonly repo: ResponsesRepo,
  ) {}

  /** After a save: the evicted records' sessions that nothing references any more go. */
  async saved(evicted: Evicted[]): Promise<void> {
    for (const { session } of evicted) if (session) await this.releaseIfUnreferenced(session);
  }

  /** After DELETE /v1/responses/{id}: its own turn's messages, and its session when it was the last reference. */
  async deleted(record: StoredResponse): Promise<void> {
    const { conversations, turns } = this.services;
    const key = record.session.key;
    if (await this.releaseIfUnreferenced(key)) return;
    const row = await conversations.get(key);
    const { messageStart, messageEnd } = record;
    if (!row?.heldByResponses || typeof messageStart !== 'number' || turns.isBusy(key)) return;
    // Only the latest turn is held by this response alone; earlier ones are later responses' history.
    if (row.info.message_count !== messageEnd) return;
    await conversations.truncate(row, messageStart, await conversations.transcript(row, messageStart));
  }

  /** The retention sweep: stored responses created before `before` (ms) go, as a DELETE would remove them. */
  async expire(before: number): Promise<number> {
    let removed = 0;
    for (const id of await this.repo.ids()) {
      const record = await this.repo.get(id);
      if (!record || record.response.created_at * 1000 >= before) continue;
      if (await this.repo.delete(id)) {
        removed++;
        await this.deleted(record);
      }
    }
    return removed;
  }

  /** DELETE /api/sessions/{id}: the stored responses that ran in the session go with it. */
  async sessionDeleted(sessionKey: string): Promise<void> {
    for (const id of await this.repo.idsOfSession(sessionKey)) await this.repo.delete(id);
  }

  private async releaseIfUnreferenced(key: string): Promise<boolean> {
    const { conversations, turns } = this.services;
    const row = await conversations.get(key);
    if (!row?.heldByResponses || turns.isBusy(key)) return false;
    if ((await this.repo.idsOfSession(key)).length > 0) return false;
    await conversations.deleteSession(key);
    return true;
  }
}
