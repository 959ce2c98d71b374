// Chat bench: one chat turn through the gateway versus the same turn sent by a bare ACP client to the same
// scripted agent, side by side in one run. Non-streaming added latency (p50/p99), streaming time to first
// delta and delta throughput. Run: npx tsx bench/chat.ts  (or npm run bench)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgents, scriptedAgentConfig } from '../lib/agents/create-agents.js';
import { defaultConfig } from '../lib/config/defaults.js';
import { startGateway } from '../lib/gateway.js';
import { silentLogger } from '../lib/log.js';
import { readSse } from '../spec/support/sse.js';
import { startDirectClient } from './direct-acp-client.js';
import { ms, summary } from './stats.js';

const KEY = 'bench-key-0123456789abcdef';
const TURNS = Number(process.env.BENCH_TURNS ?? 300);
const STREAM_TURNS = Number(process.env.BENCH_STREAM_TURNS ?? 30);
const DELTAS = 200;
const SHORT = '[[text "hello from the agent"]]';
const LONG = `[[text "${'word '.repeat(DELTAS).trim()}" chunks=${DELTAS}]]`;

export async function runChatBench(): Promise<string> {
  const agent = scriptedAgentConfig();
  const direct = await startDirectClient(agent.command, agent.args ?? []);
  const gateway = await startGateway(
    {
      ...defaultConfig(),
      port: 0,
      store: 'memory://',
      dataDir: mkdtempSync(join(tmpdir(), 'agw-bench-')),
      keys: [{ key: KEY }],
      agents: [agent],
      maxConcurrentRuns: 0,
      logLevel: 'silent',
    },
    { logger: silentLogger, createAgents },
  );
  const headers = {
    authorization: `Bearer ${KEY}`,
    'content-type': 'application/json',
    'x-hermes-session-id': 'bench',
  };
  const post = (content: string, stream: boolean) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'scripted-agent', stream, messages: [{ role: 'user', content }] }),
    });

  try {
    // Warm both paths (JIT, first session).
    for (let i = 0; i < 20; i++) {
      await direct.prompt(SHORT);
      await (await post(SHORT, false)).arrayBuffer();
    }
    // Interleave the two so machine noise lands on both alike.
    const directTimes: number[] = [];
    const gatewayTimes: number[] = [];
    for (let i = 0; i < TURNS; i++) {
      let t = performance.now();
      await direct.prompt(SHORT);
      directTimes.push(performance.now() - t);
      t = performance.now();
      const res = await post(SHORT, false);
      await res.arrayBuffer();
      gatewayTimes.push(performance.now() - t);
    }

    const stream = {
      direct: { ttfd: [] as number[], rate: [] as number[] },
      gateway: { ttfd: [] as number[], rate: [] as number[] },
    };
    for (let i = 0; i < STREAM_TURNS; i++) {
      let start = performance.now();
      let first = 0;
      let count = 0;
      await direct.prompt(LONG, () => {
        if (count++ === 0) first = performance.now() - start;
      });
      let total = performance.now() - start;
      stream.direct.ttfd.push(first);
      stream.direct.rate.push(count / (total / 1000));

      start = performance.now();
      first = 0;
      count = 0;
      const res = await post(LONG, true);
      for await (const item of readSse(res.body!)) {
        if ('data' in item && item.data.includes('"content":"') && !item.data.includes('"content":""')) {
          if (count++ === 0) first = performance.now() - start;
        }
      }
      total = performance.now() - start;
      stream.gateway.ttfd.push(first);
      stream.gateway.rate.push(count / (total / 1000));
    }

    const d = summary(directTimes);
    const g = summary(gatewayTimes);
    const dt = summary(stream.direct.ttfd);
    const gt = summary(stream.gateway.ttfd);
    const dr = summary(stream.direct.rate);
    const gr = summary(stream.gateway.rate);
    return [
      '## Chat turn: gateway vs a bare ACP client (same scripted agent, same machine, one run)',
      '',
      `Command: \`npx tsx bench/chat.ts\` (BENCH_TURNS=${TURNS}, BENCH_STREAM_TURNS=${STREAM_TURNS}); node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
      'The baseline sends `session/prompt` with the official SDK on a stdio pipe; the gateway path adds HTTP, auth,',
      'validation, the engine (session lookup, transcript record) and the ACP adapter. Both reuse one ACP session.',
      '',
      '| non-streaming turn | p50 | p99 | mean |',
      '|---|---|---|---|',
      `| direct ACP client | ${ms(d.p50)} | ${ms(d.p99)} | ${ms(d.mean)} |`,
      `| through the gateway | ${ms(g.p50)} | ${ms(g.p99)} | ${ms(g.mean)} |`,
      `| **added by the gateway** | **${ms(g.p50 - d.p50)}** | **${ms(g.p99 - d.p99)}** | ${ms(g.mean - d.mean)} |`,
      '',
      `| streaming, ${DELTAS} deltas per turn | time to first delta p50 | p99 | deltas/s p50 |`,
      '|---|---|---|---|',
      `| direct ACP client | ${ms(dt.p50)} | ${ms(dt.p99)} | ${dr.p50.toFixed(0)} |`,
      `| through the gateway | ${ms(gt.p50)} | ${ms(gt.p99)} | ${gr.p50.toFixed(0)} |`,
      `| ratio gateway/direct | ${(gt.p50 / dt.p50).toFixed(2)}× | | ${(gr.p50 / dr.p50).toFixed(2)}× |`,
      '',
    ].join('\n');
  } finally {
    direct.close();
    await gateway.close(1000);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await runChatBench()}\n`);
}
