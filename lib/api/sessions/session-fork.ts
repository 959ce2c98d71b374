// POST /api/sessions/{id}/fork (reference §8, the CLI's /branch): the child is created with a copy of the
// source's messages, the source ends with end_reason "branched". When the agent can fork its own session
// (ACP session/fork) and the source's session is live, the child continues from that copy (tool state and
// working memory included); otherwise the child's first turn seeds a new agent session with the history.
import { randomUUID } from 'node:crypto';
import { GatewayError } from '../../errors.js';
import { type SessionRow, sessionKeyOf } from '../../store/session-store.js';
import type { Services } from '../services.js';

export async function forkSessionRow(
  services: Services,
  source: SessionRow,
  target: { id: string; title: string | null },
): Promise<SessionRow> {
  const { conversations, turns } = services;
  if (turns.isBusy(source.key)) throw GatewayError.sessionActiveTurn(source.info.id);
  const now = Date.now();
  const child = conversations.newRow({ owner: source.owner, id: target.id, source: source.info.source }, now, {
    title: target.title,
    model: source.info.model,
    parent_session_id: source.info.id,
  });
  if (!(await conversations.sessions.create(child))) throw GatewayError.sessionExists(target.id);

  const count = source.info.message_count;
  const messages = await conversations.sessions.messages(source.key, 0, count);
  Object.assign(child, {
    agentId: source.agentId,
    systemPrompt: source.systemPrompt,
    modelConfig: source.modelConfig,
    digest: source.digest,
    transcriptLength: source.transcriptLength,
  });
  Object.assign(child.info, {
    message_count: messages.length,
    tool_call_count: source.info.tool_call_count,
    preview: source.info.preview,
  });
  const forked = await forkLiveSession(services, source, sessionKeyOf(child.owner, child.info.id));
  if (forked) {
    child.revision = forked.revision;
    child.agentSessionId = forked.agentSessionId;
  }
  await conversations.sessions.append(
    child,
    0,
    messages.map(({ id: _position, ...message }) => message),
  );

  const ended = structuredClone(source);
  ended.info.end_reason = 'branched';
  ended.info.ended_at = now / 1000;
  await conversations.sessions.put(ended);
  return child;
}

/** Forks the source's live agent session into the child's, when the agent can; null otherwise. */
async function forkLiveSession(
  services: Services,
  source: SessionRow,
  childKey: string,
): Promise<{ revision: string; agentSessionId: string } | null> {
  const live = services.conversations.liveSession(source.key);
  const agent = source.agentId ? services.agents.get(source.agentId) : undefined;
  if (!live || !agent?.describe().capabilities.fork || !agent.isAlive(live.handle)) return null;
  // Only a live session that holds exactly the stored conversation is a faithful copy.
  if (live.revision === null || live.revision !== source.revision) return null;
  try {
    const handle = await agent.forkSession(live.handle);
    const revision = randomUUID();
    services.conversations.setLive(childKey, { handle, systemPrompt: live.systemPrompt, revision });
    return { revision, agentSessionId: handle.sessionId };
  } catch (error) {
    services.logger.warn(
      { err: (error as Error).message, agent: agent.id },
      'session/fork failed; the fork will be seeded',
    );
    return null;
  }
}
