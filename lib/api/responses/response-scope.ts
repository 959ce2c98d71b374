// Stored responses and conversation names belong to the API key that made them: another key sees a 404.

/** Names of different keys never meet: "my-chat" of one key is not "my-chat" of another. */
export function scopedConversation(owner: string, name: string): string {
  return `${owner}:${name}`;
}
