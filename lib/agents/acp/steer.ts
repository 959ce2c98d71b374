// Steering a running turn over ACP, which has no steer method (acp.md §3, §5.1): an agent that advertises a
// `steer` command (hermes) takes a second session/prompt `/steer <text>` while a turn runs on the session, folds the
// text into that turn, and answers at once with one message chunk and end_turn. That chunk arrives on the same
// session as the turn's own output; the tap keeps it out of the turn, told apart by hermes' reply wording.
import * as acp from '@agentclientprotocol/sdk/unstable';
import type { Logger } from '../../log.js';
import { type AgentProcess, errorMessage } from './agent-process.js';

/** How hermes answers `/steer` (acp_adapter/commands.py `_cmd_steer`), and which answers refuse the text. */
const STEER_REPLIES = [/^⏩ Steer queued/, /^No active turn/, /^⚠️ Steer failed/, /^Usage: \/steer/];
const REFUSALS = [/^⚠️ Steer failed/, /^Usage: \/steer/];

export function isSteerReply(text: string): boolean {
  return STEER_REPLIES.some((pattern) => pattern.test(text));
}

/** Whether the agent took the text: its `/steer` prompt ended normally and its reply (if any) is no refusal. */
export function steerAccepted(stopReason: string, reply: string | null): boolean {
  return stopReason === 'end_turn' && !(reply !== null && REFUSALS.some((pattern) => pattern.test(reply)));
}

/**
 * Sends `/steer <text>` beside the turn running on the session and reports whether the agent took it. Never
 * throws: an error reply, a timeout or a dead process count as not taken.
 */
export async function sendSteer(
  proc: AgentProcess,
  sessionId: string,
  text: string,
  timeoutMs: number,
  logger: Logger,
): Promise<boolean> {
  let reply: string | null = null;
  const untap = proc.tapSession(sessionId, (update) => {
    if (reply !== null || update.sessionUpdate !== 'agent_message_chunk' || update.content.type !== 'text')
      return false;
    if (!isSteerReply(update.content.text)) return false;
    reply = update.content.text;
    return true;
  });
  try {
    const response = await proc.rpc.request(
      acp.methods.agent.session.prompt,
      { sessionId, prompt: [{ type: 'text', text: `/steer ${text}` }] },
      { cancellationSignal: AbortSignal.timeout(timeoutMs) },
    );
    // The reply chunk reached the tap before the reply: update-lane.ts routes updates as they arrive.
    const accepted = steerAccepted(response.stopReason, reply);
    logger.debug({ sessionId, accepted, reply }, 'steer answered');
    return accepted;
  } catch (error) {
    logger.warn({ sessionId, err: errorMessage(error) }, 'steer not delivered');
    return false;
  } finally {
    untap();
  }
}
