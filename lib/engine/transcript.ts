// The text transcript the gateway records per conversation, and the seed that replays it into a new session.
import { hash } from 'node:crypto';

export interface TranscriptMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** Whitespace at the ends differs between clients (Open WebUI trims); it never makes two turns different. */
const norm = (text: string) => text.replace(/\r\n/g, '\n').trim();

export function sameTranscript(a: readonly TranscriptMessage[], b: readonly TranscriptMessage[]): boolean {
  return a.length === b.length && a.every((m, i) => m.role === b[i].role && norm(m.content) === norm(b[i].content));
}

/**
 * One text block that hands an earlier conversation to a fresh agent session. Lossy by nature: the agent's
 * tool state from those turns is gone and earlier assistant turns arrive as quoted text.
 */
export function transcriptToSeed(history: readonly TranscriptMessage[]): string {
  const lines = history.map((m) => `${m.role === 'user' ? 'User' : 'Assistant'}: ${m.content}`);
  return [
    '[Conversation so far — context from earlier turns, already answered]',
    ...lines,
    '[End of conversation so far. Reply to the next message.]',
  ].join('\n\n');
}

export function systemPromptBlock(systemPrompt: string): string {
  return `[System instructions from the client]\n${systemPrompt}\n[End of system instructions]`;
}

/** An empty transcript's digest. */
export const EMPTY_DIGEST = '';

/**
 * Extends a digest chain by messages: the record keeps the digest of its transcript, so matching a stateless
 * client's history needs no read of the stored messages.
 */
export function extendDigest(digest: string, messages: readonly TranscriptMessage[]): string {
  let next = digest;
  // crypto.hash: the one-shot form, the same digest without a Hash object per message.
  for (const m of messages) next = hash('sha256', `${next}\n${m.role}\n${norm(m.content)}`, 'hex');
  return next;
}
