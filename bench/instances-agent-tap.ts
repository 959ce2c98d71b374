// The scripted agent behind a tap, for the instances bench (bench/instances.ts): ACP messages pass through unchanged
// both ways; for every `session/prompt` the tap writes one stderr line (the gateway logs its agents' stderr) with the
// characters of prompt text the agent was sent, the session, and the `[c<n>]` tag the bench puts on each message.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../fixtures/agents/scripted-agent.ts', import.meta.url));

const agent = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
agent.stdout.pipe(process.stdout);
agent.on('exit', (code) => process.exit(code ?? 1));
process.stdin.on('end', () => agent.stdin.end());

createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
  try {
    const message = JSON.parse(line) as {
      method?: string;
      params?: { sessionId?: string; prompt?: Array<{ type: string; text?: string }> };
    };
    if (message.method === 'session/prompt') {
      const texts = (message.params?.prompt ?? []).filter((b) => b.type === 'text').map((b) => b.text ?? '');
      const chars = texts.reduce((sum, text) => sum + text.length, 0);
      const tag = /\[c(\d+)\]/.exec(texts.at(-1) ?? '')?.[1] ?? '-';
      process.stderr.write(`bench-tap chars=${chars} session=${message.params?.sessionId} conversation=${tag}\n`);
    }
  } catch {
    // not JSON: passed on as it is, the agent answers it
  }
  agent.stdin.write(`${line}\n`);
});
