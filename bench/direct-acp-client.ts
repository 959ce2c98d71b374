// The baseline for the chat bench: a bare ACP client (the official SDK, nothing else) talking to the scripted agent.
import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import * as acp from '@agentclientprotocol/sdk/unstable';

export interface DirectClient {
  /** Runs one prompt; `onText` sees each text delta as it arrives. */
  prompt(text: string, onText?: (delta: string) => void): Promise<void>;
  close(): void;
}

export async function startDirectClient(command: string, args: string[]): Promise<DirectClient> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let onText: ((delta: string) => void) | undefined;
  const connection = acp
    .client({ name: 'bench-direct' })
    .onNotification(acp.methods.client.session.update, ({ params }) => {
      const update = params.update;
      if (update.sessionUpdate === 'agent_message_chunk' && update.content.type === 'text')
        onText?.(update.content.text);
    })
    .onRequest(acp.methods.client.session.requestPermission, async () => ({ outcome: { outcome: 'cancelled' } }))
    .connect(
      acp.ndJsonStream(
        Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>,
        Readable.toWeb(child.stdout!) as ReadableStream<Uint8Array>,
      ),
    );
  await connection.agent.request(acp.methods.agent.initialize, {
    protocolVersion: acp.PROTOCOL_VERSION,
    clientCapabilities: {},
  });
  const { sessionId } = await connection.agent.request(acp.methods.agent.session.new, {
    cwd: process.cwd(),
    mcpServers: [],
  });
  return {
    async prompt(text, listener) {
      onText = listener;
      await connection.agent.request(acp.methods.agent.session.prompt, { sessionId, prompt: [{ type: 'text', text }] });
      onText = undefined;
    },
    close() {
      child.kill('SIGTERM');
    },
  };
}
