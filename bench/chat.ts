// Chat bench (issue 15): one chat turn through the gateway versus the same turn sent by a bare ACP client to the same
// scripted agent, side by side in one run, interleaved turn by turn. Non-streaming added latency (p50/p99),
// streaming time to first delta and deltas per second, and the gateway's idle RSS next to a bare Node HTTP server's.
// The gateway runs as a process of its own (compiled, as `npm start` runs it, default log level), the client is a
// keep-alive node:http client in this process, the bare ACP client (the official SDK) too.
// Run: npm run bench -- chat   (BENCH_TURNS, BENCH_STREAM_TURNS tune it)
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDirectClient } from './direct-acp-client.js';
import { buildIfStale, rssMb, SCRIPTED_AGENT_JS, startGatewayProcess } from './gateway-process.js';
import { measureIdleRss } from './idle-rss.js';
import { cpuLine, ms, summary } from './stats.js';

const KEY = 'bench-key-0123456789abcdef';
const TURNS = Number(process.env.BENCH_TURNS ?? 4000);
const STREAM_TURNS = Number(process.env.BENCH_STREAM_TURNS ?? 400);
/** The samples are also cut into this many consecutive rounds, each summarised alone: how steady the figure is. */
const ROUNDS = 4;
const DELTAS = 200;
const SHORT = '[[text "hello from the agent"]]';
const LONG = `[[text "${'word '.repeat(DELTAS).trim()}" chunks=${DELTAS}]]`;

interface TurnTiming {
  total: number;
  /** Time to the first content delta (streaming). */
  first: number;
  deltas: number;
}

/** One chat turn over a keep-alive connection; streaming turns count content deltas as they arrive. */
function chatTurn(url: string, agent: Agent, content: string, stream: boolean): Promise<TurnTiming> {
  const body = JSON.stringify({ model: 'scripted-agent', stream, messages: [{ role: 'user', content }] });
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first = 0;
    let deltas = 0;
    const req = request(
      `${url}/v1/chat/completions`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${KEY}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-hermes-session-id': 'bench',
        },
      },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          if (!stream) return;
          // A content delta frame: `"content":"<non-empty>"` (the role chunk's content is "").
          for (let at = text.indexOf('"content":"'); at !== -1; at = text.indexOf('"content":"', at + 1)) {
            if (text[at + 11] === '"') continue;
            if (deltas++ === 0) first = performance.now() - start;
          }
        });
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`chat answered ${res.statusCode}`));
          else resolve({ total: performance.now() - start, first, deltas });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** RSS of a bare node:http server answering 200, idle after start: the floor any Node gateway sits on. */
async function bareNodeRss(): Promise<number> {
  const child = spawn(
    process.execPath,
    ['-e', "require('node:http').createServer((q,s)=>s.end('ok')).listen(0,()=>console.log('up'))"],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const rss = rssMb(child.pid!);
  child.kill('SIGTERM');
  return rss;
}

export async function runChatBench(): Promise<string> {
  buildIfStale();
  const idle = await measureIdleRss();
  const bare = await bareNodeRss();
  const direct = await startDirectClient(process.execPath, [SCRIPTED_AGENT_JS]);
  const agentLines = [
    'agents:',
    `  - command: ${process.execPath}`,
    `    args: [${JSON.stringify(SCRIPTED_AGENT_JS)}]`,
  ];
  const gateway = await startGatewayProcess(
    mkdtempSync(join(tmpdir(), 'agw-bench-chat-')),
    ['store: memory://', 'maxConcurrentRuns: 0', ...agentLines],
    KEY,
    { compiled: true },
  );
  // The same with the default store (SQLite in the data dir): what `npm start` users get.
  const sqliteGateway = await startGatewayProcess(
    mkdtempSync(join(tmpdir(), 'agw-bench-chat-')),
    ['maxConcurrentRuns: 0', ...agentLines],
    KEY,
    { compiled: true },
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sqliteAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const turn = (content: string, stream: boolean) => chatTurn(gateway.url, agent, content, stream);
  const sqliteTurn = () => chatTurn(sqliteGateway.url, sqliteAgent, SHORT, false);

  try {
    // Warm both paths (JIT, the first session).
    for (let i = 0; i < 200; i++) {
      await direct.prompt(SHORT);
      await turn(SHORT, false);
      await sqliteTurn();
    }
    for (let i = 0; i < 10; i++) {
      await direct.prompt(LONG);
      await turn(LONG, true);
    }
    // Interleaved, so machine noise lands on both alike.
    const directTimes: number[] = [];
    const gatewayTimes: number[] = [];
    const sqliteTimes: number[] = [];
    for (let i = 0; i < TURNS; i++) {
      const t = performance.now();
      await direct.prompt(SHORT);
      directTimes.push(performance.now() - t);
      gatewayTimes.push((await turn(SHORT, false)).total);
      sqliteTimes.push((await sqliteTurn()).total);
    }

    const stream = {
      direct: { ttfd: [] as number[], rate: [] as number[] },
      gateway: { ttfd: [] as number[], rate: [] as number[] },
    };
    for (let i = 0; i < STREAM_TURNS; i++) {
      const start = performance.now();
      let first = 0;
      let count = 0;
      await direct.prompt(LONG, () => {
        if (count++ === 0) first = performance.now() - start;
      });
      stream.direct.ttfd.push(first);
      stream.direct.rate.push(count / ((performance.now() - start) / 1000));

      const g = await turn(LONG, true);
      if (g.deltas !== DELTAS) throw new Error(`the gateway relayed ${g.deltas} of ${DELTAS} deltas`);
      stream.gateway.ttfd.push(g.first);
      stream.gateway.rate.push(g.deltas / (g.total / 1000));
    }

    const d = summary(directTimes);
    const g = summary(gatewayTimes);
    const sq = summary(sqliteTimes);
    const dt = summary(stream.direct.ttfd);
    const gt = summary(stream.gateway.ttfd);
    const dr = summary(stream.direct.rate);
    const gr = summary(stream.gateway.rate);
    const verdict = (met: boolean) => (met ? 'met' : '**not met**');
    return [
      '## Chat turn and footprint (issue 15): gateway vs a bare ACP client, same scripted agent, one run',
      '',
      `Command: \`npm run bench -- chat\` (BENCH_TURNS=${TURNS}, BENCH_STREAM_TURNS=${STREAM_TURNS}); node ${process.version}, ${cpuLine()}.`,
      'The gateway runs as its own process (`node dist/lib/cli.js`, memory store, default log level: one access line',
      'per request, cap lifted), driven by a keep-alive node:http client; the baseline sends `session/prompt` with the',
      'official SDK on a stdio pipe to its own copy of the same compiled scripted agent. Both reuse one session; the two',
      'run interleaved turn by turn after 200 warm-up turns each (the SQLite gateway, a third process, too).',
      '',
      '| non-streaming turn | p50 | p99 | mean |',
      '|---|---|---|---|',
      `| direct ACP client | ${ms(d.p50)} | ${ms(d.p99)} | ${ms(d.mean)} |`,
      `| through the gateway | ${ms(g.p50)} | ${ms(g.p99)} | ${ms(g.mean)} |`,
      `| for scale: through the gateway on its default SQLite store | ${ms(sq.p50)} | ${ms(sq.p99)} | ${ms(sq.mean)} |`,
      `| **added by the gateway** (memory store; goal p50 ≤ 1.0 ms, p99 ≤ 3 ms) | **${ms(g.p50 - d.p50)}** ${verdict(g.p50 - d.p50 <= 1)} | **${ms(g.p99 - d.p99)}** ${verdict(g.p99 - d.p99 <= 3)} | ${ms(g.mean - d.mean)} |`,
      '',
      `Added p50 in each of ${ROUNDS} consecutive rounds of the same run: ${byRound(directTimes, gatewayTimes, (a, b) => b.p50 - a.p50)};`,
      `time to first delta, gateway − direct, by round: ${byRound(stream.direct.ttfd, stream.gateway.ttfd, (a, b) => b.p50 - a.p50)}.`,
      '',
      `| streaming, ${DELTAS} deltas per turn | time to first delta p50 | p99 | deltas/s p50 |`,
      '|---|---|---|---|',
      `| direct ACP client | ${ms(dt.p50)} | ${ms(dt.p99)} | ${dr.p50.toFixed(0)} |`,
      `| through the gateway | ${ms(gt.p50)} | ${ms(gt.p99)} | ${gr.p50.toFixed(0)} |`,
      `| gateway − direct (goal ≤ +1 ms) / gateway ÷ direct (goal ≥ 0.8×) | **+${ms(gt.p50 - dt.p50)}** ${verdict(gt.p50 - dt.p50 <= 1)} | | **${(gr.p50 / dr.p50).toFixed(2)}×** ${verdict(gr.p50 / dr.p50 >= 0.8)} |`,
      '',
      '| idle RSS after start (3 s after listening, median of 3 starts) | RSS |',
      '|---|---|',
      `| bare node:http server (\`node -e\`) | ${bare.toFixed(0)} MB |`,
      `| agent-gateway, default config (SQLite, the scripted agent; the agent's own process not counted) (goal ≤ 80 MB) | **${idle.medianMb.toFixed(0)} MB** ${verdict(idle.medianMb <= 80)} (${idle.samples.map((s) => s.toFixed(0)).join(' / ')}) |`,
      '',
    ].join('\n');
  } finally {
    agent.destroy();
    direct.close();
    sqliteAgent.destroy();
    gateway.child.kill('SIGTERM');
    sqliteGateway.child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await runChatBench()}\n`);
}

/** `measure` of the two sample lists cut into ROUNDS consecutive rounds, as "a / b / c / d ms". */
function byRound(
  base: number[],
  other: number[],
  measure: (a: ReturnType<typeof summary>, b: ReturnType<typeof summary>) => number,
): string {
  const size = Math.floor(base.length / ROUNDS);
  const rounds = Array.from({ length: ROUNDS }, (_, r) =>
    measure(summary(base.slice(r * size, (r + 1) * size)), summary(other.slice(r * size, (r + 1) * size))),
  );
  return `${rounds.map((value) => value.toFixed(2)).join(' / ')} ms`;
}
