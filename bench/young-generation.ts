// What capping V8's young generation costs a chat turn (issue 14; the cap is lib/cli.ts's): three gateway processes
// of the same build, taking turns request by request so that the host's moods fall on all three alike — the default
// (cap 8 MB), one started with `--max-semi-space-size=8` (16 MB: a flag the user sets is kept, no cap applied), and
// one with `--semi-space-growth-factor=2` (no cap: V8's own 32 MB ceiling). Run: npm run bench -- young-generation
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, type GatewayProcess, SCRIPTED_AGENT_JS, startGatewayProcess } from './gateway-process.js';
import { cpuLine, summary } from './stats.js';

const KEY = 'bench-key-0123456789abcdef';
const TURNS = Number(process.env.BENCH_YOUNG_TURNS ?? 2100);
const WARMUP = 300;
const SESSIONS = 100;

const SETUPS = [
  { name: 'default: young generation capped at 8 MB', nodeArgs: [] },
  { name: 'capped at 16 MB (`--max-semi-space-size=8`)', nodeArgs: ['--max-semi-space-size=8'] },
  { name: 'no cap (`--semi-space-growth-factor=2`: V8 grows it to 32 MB)', nodeArgs: ['--semi-space-growth-factor=2'] },
] as const;

interface Setup {
  name: string;
  gateway: GatewayProcess;
  agent: Agent;
  plain: number[];
  firstDelta: number[];
  cpuSeconds: number;
}

export async function runYoungGenerationBench(): Promise<string> {
  const setups: Setup[] = [];
  for (const setup of SETUPS) {
    const dir = mkdtempSync(join(tmpdir(), 'agw-bench-young-'));
    const gateway = await startGatewayProcess(
      dir,
      [
        'store: "memory://"',
        'maxConcurrentRuns: 0',
        'agents:',
        `  - { name: scripted-agent, command: "${process.execPath}", args: ["${SCRIPTED_AGENT_JS}"] }`,
      ],
      KEY,
      { compiled: true, nodeArgs: setup.nodeArgs },
    );
    setups.push({
      name: setup.name,
      gateway,
      agent: new Agent({ keepAlive: true, maxSockets: 1 }),
      plain: [],
      firstDelta: [],
      cpuSeconds: 0,
    });
  }
  const streamed = `[[text "${'w'.repeat(64)}" chunks=1 repeat=200]]`;
  try {
    for (let i = 0; i < WARMUP + TURNS; i++) {
      const session = `young-${i % SESSIONS}`;
      // Rotated, so that no setup always goes first.
      for (let k = 0; k < setups.length; k++) {
        const setup = setups[(i + k) % setups.length];
        const cpuBefore = cpuSeconds(setup.gateway.child.pid!);
        const plain = await turn(setup, session, 'hi', false);
        const stream = i % 3 === 0 ? await turn(setup, session, streamed, true) : null;
        if (i < WARMUP) continue;
        setup.cpuSeconds += cpuSeconds(setup.gateway.child.pid!) - cpuBefore;
        setup.plain.push(plain.total);
        if (stream) setup.firstDelta.push(stream.first);
      }
    }
  } finally {
    for (const setup of setups) setup.gateway.child.kill('SIGTERM');
  }
  const rows = setups.map((setup) => {
    const plain = summary(setup.plain);
    const first = summary(setup.firstDelta);
    return `| ${setup.name} | ${plain.p50.toFixed(2)} ms | ${plain.p99.toFixed(2)} ms | ${first.p50.toFixed(2)} ms | ${setup.cpuSeconds.toFixed(2)} s |`;
  });
  return [
    '## Young generation cap: what it costs a turn (issue 14)',
    '',
    `Command: \`npm run bench -- young-generation\` (BENCH_YOUNG_TURNS=${TURNS}); node ${process.version}, ${cpuLine()}.`,
    `Three gateway processes of this build (memory store, the compiled scripted agent), driven in turn request by`,
    `request by one keep-alive client each after ${WARMUP} warm-up rounds: per round a non-streaming chat turn and, every`,
    `third round, a streamed turn of 200 deltas, on ${SESSIONS} sessions in rotation. CPU: the gateway process's, over`,
    'the measured rounds (/proc).',
    '',
    '| setup | chat turn p50 | p99 | streamed turn, first delta p50 | gateway CPU |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function turn(
  setup: Setup,
  session: string,
  content: string,
  stream: boolean,
): Promise<{ total: number; first: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    const req = request(`${setup.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      agent: setup.agent,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-hermes-session-id': session },
    });
    req.on('response', (res) => {
      res.on('data', (chunk: Buffer) => {
        if (!first && (!stream || chunk.includes('"content"'))) first = performance.now();
      });
      res.on('end', () => resolve({ total: performance.now() - started, first: first - started }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'scripted-agent', stream, messages: [{ role: 'user', content }] }));
  });
}
