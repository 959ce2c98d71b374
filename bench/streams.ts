// Streams bench (issue 15): memory of many long, slow streams held open at once. Proxy path: 2,000 and 8,000
// concurrent SSE streams relayed from a loopback upstream (one chunk a second), through the gateway and, under the
// identical load, through two minimal node:http proxies (the repo's floor, which buffers each answer, and a streaming
// one that pipes it). Agent path: 2,000 concurrent streaming chat turns on a pool of scripted agents, beside a bare
// ACP client running the same turns on the same pool. The gateway is the compiled one (`node dist/lib/cli.js`); the
// load generator, the upstream and the floors are processes of their own (bench/streams-children.ts, transpiled:
// no tsx in any measured process). RSS from /proc every 250 ms.
// Run: npm run bench -- streams
//   BENCH_STREAMS_SECONDS (20: how long all streams are open together, one chunk a second),
//   BENCH_STREAMS_PROXY ("2000,8000"), BENCH_STREAMS_AGENT (2000; 0 skips the agent path), BENCH_STREAMS_POOL (8),
//   BENCH_STREAMS_BATCH (500 streams opened at a time), BENCH_STREAMS_FLOORS (1; 0 measures the gateway only),
//   BENCH_STREAMS_GATEWAY_NODE_ARGS (extra node flags for the gateway, e.g. --heapsnapshot-signal=SIGUSR2).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { transformSync } from 'esbuild';
import type { ClientsConfig } from './streams-children.js';
import { cpuLine } from './stats.js';
import {
  buildIfStale,
  childPids,
  type GatewayProcess,
  ROOT,
  rssMb,
  SCRIPTED_AGENT_JS,
  startGatewayProcess,
} from './gateway-process.js';

const env = process.env;
const KEY = 'bench-streams-key-0123456789abcdef';
const UPSTREAM_KEY = 'bench-upstream-key-0123456789';
const SECONDS = Number(env.BENCH_STREAMS_SECONDS ?? 20);
const PROXY_COUNTS = (env.BENCH_STREAMS_PROXY ?? '2000,8000').split(',').filter(Boolean).map(Number);
const AGENT_TURNS = Number(env.BENCH_STREAMS_AGENT ?? 2000);
const POOL = Number(env.BENCH_STREAMS_POOL ?? 8);
const BATCH = Number(env.BENCH_STREAMS_BATCH ?? 500);
const FLOORS = env.BENCH_STREAMS_FLOORS !== '0';
const GATEWAY_NODE_ARGS = (env.BENCH_STREAMS_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
const SAMPLE_MS = 250;
const WARM_UP = 20;

/** The chunk count (`{{CHUNKS}}`: the load generator fills it in per stream) one second apart. */
const proxyBody = (chunks: number | string) =>
  JSON.stringify({ model: 'up-model', stream: true, messages: [{ role: 'user', content: `chunks=${chunks}` }] });
const agentPrompt = (chunks: number | string, delayMs: number) =>
  `[[text "word " chunks=1 repeat=${chunks} delay=${delayMs}]]`;
const agentBody = (chunks: number | string, delayMs: number) =>
  JSON.stringify({
    model: 'scripted-agent',
    stream: true,
    messages: [{ role: 'user', content: agentPrompt(chunks, delayMs) }],
  });

interface Summary {
  completed: number;
  failures: Record<string, number>;
  p50?: number | null;
}

interface Measured {
  name: string;
  streams: number;
  idle: number;
  peak: number;
  /** RSS at 0, 25, 50, 75 and 100 % of the window in which every stream is open (all open .. first one done). */
  timeline: number[];
  windowS: number;
  summary: Summary;
  /** Peak RSS of the agent processes, summed (agent path). */
  agentsPeak?: number;
}

export async function runStreamsBench(): Promise<string> {
  buildIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'agw-bench-streams-'));
  const js = transpile();
  const children: ChildProcess[] = [];
  try {
    const upstream = await startScript(js.children, { BENCH_STREAMS_ROLE: 'upstream' }, children);
    const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
    const proxyRows: Measured[][] = [];
    for (const count of PROXY_COUNTS) {
      const rows: Measured[] = [];
      const gateway = await startProxyGateway(join(dir, `proxy-${count}`), upstreamUrl);
      children.push(gateway.child);
      rows.push(await measureHttp('agent-gateway (proxy mode)', gateway.child, gateway.url, count, 'proxy', js));
      await stop(gateway.child);
      if (FLOORS) {
        const floorEnv = { BENCH_UPSTREAM_URL: upstreamUrl, BENCH_UPSTREAM_KEY: UPSTREAM_KEY };
        for (const [name, file, gate] of [
          ['floor: bench/node-proxy-floor.ts (buffers each answer, sends it at the end)', js.floor, 'sent'],
          ['floor: minimal streaming node:http proxy (pipes each answer)', js.children, 'head'],
        ] as const) {
          const floor = await startScript(file, { ...floorEnv, BENCH_STREAMS_ROLE: 'pipe-floor' }, children);
          rows.push(await measureHttp(name, floor.child, `http://127.0.0.1:${floor.port}`, count, 'proxy', js, gate));
          await stop(floor.child);
        }
      }
      proxyRows.push(rows);
    }
    const agentRows: Measured[] = [];
    if (AGENT_TURNS > 0) {
      const gateway = await startAgentGateway(join(dir, 'agent'));
      children.push(gateway.child);
      agentRows.push(await measureHttp('agent-gateway', gateway.child, gateway.url, AGENT_TURNS, 'agent', js));
      await stop(gateway.child);
      if (FLOORS) agentRows.push(await measureAcpFloor(js, children));
    }
    return report(proxyRows, agentRows);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(proxyRows: Measured[][], agentRows: Measured[]): string {
  const mb = (value: number) => `${value.toFixed(0)} MB`;
  const perStream = (m: Measured) => `${(((m.peak - m.idle) * 1024 * 1024) / m.streams / 1024).toFixed(1)} KB`;
  const line = (m: Measured, extra = '') =>
    `| ${m.streams} | ${m.name} | ${mb(m.idle)} | ${m.timeline.map((v) => v.toFixed(0)).join(' / ')} MB ` +
    `(${m.windowS.toFixed(0)} s) | **${mb(m.peak)}** | ${perStream(m)} | ${m.summary.completed} of ${m.streams}` +
    `${failures(m.summary)} |${extra}`;
  // Flat: no more than 8 MB more at the end of the window than at its first quarter.
  const rise = (m: Measured) => m.timeline[4] - m.timeline[1];
  const goal = (m: Measured, streams: number) =>
    streams <= 2000
      ? ' keep (162 MB before issue 15) |'
      : ` all complete, peak ≤ 300 MB, flat (${rise(m) >= 0 ? '+' : ''}${rise(m).toFixed(0)} MB from 25 to 100 %): ` +
        `${m.summary.completed === streams && m.peak <= 300 && rise(m) <= 8 ? 'met' : 'NOT met'} |`;
  const out = [
    '## Streams (issue 15): memory of many long, slow streams at once',
    '',
    'Command: `npm run bench -- streams` (`BENCH_STREAMS_SECONDS`, `BENCH_STREAMS_PROXY`, `BENCH_STREAMS_AGENT`,',
    '`BENCH_STREAMS_POOL`, `BENCH_STREAMS_BATCH`, `BENCH_STREAMS_FLOORS` tune it).',
    `Setup: ${process.version}, ${cpuLine()}, the compiled gateway (\`node dist/lib/cli.js\`, memory store, info logs). Streams`,
    `carry one chunk a second; a load generator in a process of its own (node:http, no keep-alive) opens them ${BATCH}`,
    'at a time (the next batch once the last one has its heads) and asks each for enough chunks to end about',
    `${SECONDS} s after the last one opened, whatever the ramp takes. Upstream, floors and load generator run`,
    'transpiled (no tsx). RSS of the measured process from /proc every 250 ms. Idle: after 20 warm-up streams.',
    'Timeline: RSS at 0 / 25 / 50 / 75 / 100 % of the window in which every stream is open (from the last head to',
    'the first stream done; its length in brackets). Per open stream: (peak − idle) / streams.',
  ];
  if (proxyRows.length > 0) {
    out.push(
      '',
      '### Proxy path: POST /v1/chat/completions stream:true, routed to a loopback upstream',
      '',
      '| streams | process | idle RSS | RSS timeline | peak RSS | per open stream | completed | goal |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const rows of proxyRows) {
      for (const m of rows) out.push(line(m, m === rows[0] ? goal(m, m.streams) : ' |'));
    }
  }
  if (agentRows.length > 0) {
    const [gw] = agentRows;
    out.push(
      '',
      `### Agent path: ${AGENT_TURNS} streaming chat turns at once (a session each), ${POOL} scripted agents`,
      '',
      `Gateway: \`maxConcurrentRuns: 0\`, \`liveSessions.max\` above the turn count, the compiled scripted agent with`,
      `\`poolSize: ${POOL}\`; each turn \`${agentPrompt('N', 1000)}\`, N as on the proxy path. Baseline: a bare`,
      `ACP client (the official SDK, no HTTP, no store) running the same turns (N = ${SECONDS}) on its own pool of the`,
      'same agents.',
      '',
      '| turns | process | idle RSS | RSS timeline | peak RSS | per open stream | completed | agent processes (sum, peak) | goal |',
      '|---|---|---|---|---|---|---|---|---|',
      ...agentRows.map((m) =>
        line(
          m,
          ` ${m.agentsPeak === undefined ? '–' : mb(m.agentsPeak)} |${
            m === gw
              ? ` all complete, peak ≤ 400 MB: ${m.summary.completed === m.streams && m.peak <= 400 ? 'met' : 'NOT met'} |`
              : ' |'
          }`,
        ),
      ),
    );
  }
  return out.join('\n');
}

const failures = (s: Summary) => {
  const entries = Object.entries(s.failures);
  return entries.length === 0 ? '' : ` (failed: ${entries.map(([why, n]) => `${n} ${why}`).join(', ')})`;
};

/** Warm-up, idle RSS, then `count` streams from a load generator process while RSS is sampled. */
async function measureHttp(
  name: string,
  target: ChildProcess,
  url: string,
  count: number,
  path: 'proxy' | 'agent',
  js: Scripts,
  gate: 'head' | 'sent' = 'head',
): Promise<Measured> {
  const pid = target.pid!;
  const agents = () => (path === 'agent' ? childPids(pid) : []);
  const body = (delay: number) => (path === 'proxy' ? proxyBody('{{CHUNKS}}') : agentBody('{{CHUNKS}}', delay));
  const base = { url, key: KEY, gate };
  const config = (n: number, seconds: number, delay: number): ClientsConfig => ({
    ...base,
    count: n,
    batch: Math.min(BATCH, n),
    seconds,
    intervalMs: path === 'proxy' ? 1000 : delay,
    body: body(delay),
    sessionPerStream: path === 'agent',
    pauseMs: gate === 'sent' ? 200 : 0,
  });
  const warm = await runLoad(js, config(WARM_UP, 2, 50), pid, agents);
  if (warm.summary.completed !== WARM_UP) throw new Error(`${name}: warm-up failed ${JSON.stringify(warm.summary)}`);
  await sleep(1000);
  const idle = rssMb(pid);
  process.stderr.write(`  ${name}: ${count} streams…\n`);
  const run = await runLoad(js, config(count, SECONDS, 1000), pid, agents);
  return { name, streams: count, idle, ...run.figures(), summary: run.summary };
}

/** The bare ACP client on its own pool: it is the load and the measured process at once. */
async function measureAcpFloor(js: Scripts, children: ChildProcess[]): Promise<Measured> {
  const name = 'baseline: bare ACP client (SDK only), same turns, same agents';
  const floor = spawnScript(
    js.children,
    {
      BENCH_STREAMS_ROLE: 'acp-floor',
      BENCH_ACP_COMMAND: process.execPath,
      BENCH_ACP_ARGS: JSON.stringify([SCRIPTED_AGENT_JS]),
      BENCH_ACP_POOL: String(POOL),
      BENCH_ACP_TURNS: String(AGENT_TURNS),
      BENCH_ACP_BATCH: String(BATCH),
      BENCH_ACP_PROMPT: agentPrompt(SECONDS, 1000),
    },
    ['pipe', 'pipe', 'inherit'],
  );
  children.push(floor);
  const lines = createInterface({ input: floor.stdout! });
  const events = new Map<string, number>();
  let agentPids: number[] = [];
  let summary: Summary | null = null;
  let onReady!: () => void;
  let onSummary!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<void>((resolve) => (onSummary = resolve));
  lines.on('line', (text) => {
    if (text.startsWith('ready')) return onReady();
    if (text.startsWith('agents ')) {
      agentPids = text.slice(7).split(' ').map(Number);
      return;
    }
    const event = JSON.parse(text) as { event: string; t: number } & Summary;
    events.set(event.event, event.t);
    if (event.event === 'summary') {
      summary = event;
      onSummary();
    }
  });
  await ready;
  await sleep(1000);
  const idle = rssMb(floor.pid!);
  process.stderr.write(`  ${name}: ${AGENT_TURNS} turns…\n`);
  const sampler = sample(floor.pid!, () => agentPids);
  floor.stdin!.write('go\n');
  await done;
  sampler.stop();
  await stop(floor);
  return { name, streams: AGENT_TURNS, idle, ...figures(sampler, events), summary: summary! };
}

interface Sampler {
  samples: Array<{ t: number; rss: number; agents: number }>;
  stop(): void;
}

function sample(pid: number, extra: () => number[]): Sampler {
  const samples: Sampler['samples'] = [];
  const take = () => {
    try {
      samples.push({ t: Date.now(), rss: rssMb(pid), agents: extra().reduce((sum, id) => sum + safeRss(id), 0) });
    } catch {
      // the process is gone
    }
  };
  take();
  const timer = setInterval(take, SAMPLE_MS);
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
    },
  };
}

const safeRss = (pid: number) => {
  try {
    return rssMb(pid);
  } catch {
    return 0;
  }
};

/** Peak, the timeline over the all-open window, and the agents' peak, from the samples and the load's events. */
function figures(sampler: Sampler, events: Map<string, number>) {
  const { samples } = sampler;
  const end = samples[samples.length - 1].t;
  const firstDone = events.get('first-done') ?? end;
  const headed = events.get('all-headed');
  const start = headed !== undefined && headed < firstDone ? headed : (events.get('all-sent') ?? samples[0].t);
  const stop = firstDone > start + 1000 ? firstDone : end;
  const at = (t: number) => {
    let best = samples[0];
    for (const s of samples) if (s.t <= t) best = s;
    return best.rss;
  };
  const timeline = [0, 0.25, 0.5, 0.75, 1].map((f) => at(start + f * (stop - start)));
  const agentsPeak = Math.max(...samples.map((s) => s.agents));
  return {
    peak: Math.max(...samples.map((s) => s.rss)),
    timeline,
    windowS: (stop - start) / 1000,
    ...(agentsPeak > 0 ? { agentsPeak } : {}),
  };
}

/** Runs a load generator process to its end while the target's RSS is sampled. */
async function runLoad(js: Scripts, config: ClientsConfig, pid: number, extra: () => number[]) {
  const sampler = sample(pid, extra);
  const load = spawnScript(
    js.children,
    { BENCH_STREAMS_ROLE: 'clients', BENCH_STREAMS_CLIENTS: JSON.stringify(config) },
    ['ignore', 'pipe', 'inherit'],
  );
  const events = new Map<string, number>();
  let summary: Summary | null = null;
  for await (const text of createInterface({ input: load.stdout! })) {
    const event = JSON.parse(text) as { event: string; t: number } & Summary;
    events.set(event.event, event.t);
    if (event.event === 'summary') summary = event;
  }
  sampler.stop();
  if (!summary) throw new Error('the load generator ended without a summary');
  return { summary, figures: () => figures(sampler, events) };
}

interface Scripts {
  children: string;
  floor: string;
}

/** The child scripts as plain JavaScript (next to node_modules, so their imports resolve): no tsx in them. */
function transpile(): Scripts {
  const out = join(ROOT, 'node_modules/.cache/agw-bench-streams');
  mkdirSync(out, { recursive: true });
  const compile = (source: string, name: string) => {
    const { code } = transformSync(readFileSync(join(ROOT, source), 'utf8'), {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
    });
    const file = join(out, name);
    writeFileSync(file, code);
    return file;
  };
  return {
    children: compile('bench/streams-children.ts', 'streams-children.mjs'),
    floor: compile('bench/node-proxy-floor.ts', 'node-proxy-floor.mjs'),
  };
}

/** A script under plain node, with the descriptor soft limit raised to the hard one. */
function spawnScript(
  file: string,
  extraEnv: Record<string, string>,
  stdio: ['ignore' | 'pipe', 'pipe', 'inherit'],
): ChildProcess {
  return spawn('bash', ['-c', 'ulimit -n "$(ulimit -Hn)" && exec "$0" "$@"', process.execPath, file], {
    cwd: ROOT,
    env: { ...env, ...extraEnv },
    stdio,
  });
}

async function startScript(
  file: string,
  extraEnv: Record<string, string>,
  children: ChildProcess[],
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawnScript(file, extraEnv, ['ignore', 'pipe', 'inherit']);
  children.push(child);
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk;
      const match = /ready (\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}: ${text}`)));
  });
  return { child, port };
}

async function startProxyGateway(dir: string, upstreamUrl: string): Promise<GatewayProcess> {
  mkdirSync(dir, { recursive: true });
  return startGatewayProcess(
    dir,
    [
      'store: "memory://"',
      'upstreams:',
      `  - { name: up, baseUrl: "${upstreamUrl}/v1", key: "${UPSTREAM_KEY}" }`,
      'routes:',
      '  - { model: up-model, upstream: up }',
    ],
    KEY,
    { compiled: true, raiseFileLimit: true, nodeArgs: GATEWAY_NODE_ARGS },
  );
}

async function startAgentGateway(dir: string): Promise<GatewayProcess> {
  mkdirSync(dir, { recursive: true });
  return startGatewayProcess(
    dir,
    [
      'store: "memory://"',
      'maxConcurrentRuns: 0',
      `liveSessions: { max: ${AGENT_TURNS + WARM_UP + 100}, idleSeconds: 1800 }`,
      'agents:',
      `  - { name: scripted-agent, command: "${process.execPath}", args: ["${SCRIPTED_AGENT_JS}"], poolSize: ${POOL} }`,
    ],
    KEY,
    { compiled: true, raiseFileLimit: true, nodeArgs: GATEWAY_NODE_ARGS },
  );
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await runStreamsBench()}\n`);
}
