// Stalled-readers bench (issue 14, fault 4): 5 clients start long, fast streams and stop reading for a minute while 20
// clients read paced streams, on the agent path (scripted ACP agent) and on the proxy path (a loopback upstream that
// honours backpressure). The gateway runs in a process of its own (`node dist/lib/cli.js`, SQLite store, default
// `streams` limits); its RSS is sampled from /proc. Goal: RSS growth ≤ 64 MB, readers at their normal pace.
// Run: npm run bench -- stalled   (BENCH_STALL_SECONDS, default 60)
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GatewayProcess, rssMb, SCRIPTED_AGENT_JS, startGatewayProcess } from './gateway-process.js';
import { summary } from './stats.js';

const KEY = 'bench-key-0123456789abcdef';
const UPSTREAM_KEY = 'bench-upstream-key-0123456789';
const STALL_S = Number(process.env.BENCH_STALL_SECONDS ?? 60);
const STALLED = 5;
const READERS = 20;
/** A paced stream: 50 deltas of 1 KB, 100 ms apart (about 5 s), on either path. */
const PACED_DELTAS = 50;
const PACED_MS = 100;
const PIECE = 'w'.repeat(1024);

type Path = 'agent' | 'proxy';

export async function runStalledBench(): Promise<string> {
  const upstream = await startUpstream();
  const gateway = await startStalledGateway(upstream.port);
  try {
    const rows: string[] = [];
    for (const path of ['agent', 'proxy'] as const) rows.push(await phase(gateway, path));
    return [
      '## Stalled readers (issue 14): bounded memory for streams nobody reads',
      '',
      `Setup: the gateway as a process of its own (\`node dist/lib/cli.js\`, SQLite store, default \`streams\` limits:`,
      '8 MB per stream, 60 s stall timeout), RSS sampled from /proc every 250 ms. Per path: ' +
        `${STALLED} clients start a long fast stream (agent: 4 KB deltas without pause, up to 200 MB; proxy: an`,
      'upstream writing 4 KB frames as fast as its socket takes them, up to 200 MB), read its first bytes and stop',
      `reading for ${STALL_S} s, while ${READERS} clients read paced streams (${PACED_DELTAS} deltas of 1 KB,`,
      `${PACED_MS} ms apart) back to back. "Normal pace" is the same paced stream read alone before the phase.`,
      '',
      '| path | RSS before | RSS peak | growth (goal ≤ 64 MB) | RSS at end | stalled streams closed by | paced streams | paced duration alone | p50 / max under load |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n');
  } finally {
    gateway.child.kill('SIGTERM');
    upstream.server.closeAllConnections();
    upstream.server.close();
  }
}

async function phase(gateway: GatewayProcess, path: Path): Promise<string> {
  const alone: number[] = [];
  for (let i = 0; i < 3; i++) alone.push((await pacedStream(gateway.url, path)).ms);
  await sleep(1000);
  const before = rssMb(gateway.child.pid!);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(gateway.child.pid!));
  }, 250);
  const deadline = Date.now() + STALL_S * 1000;
  const stalled = await Promise.all(Array.from({ length: STALLED }, () => stallStream(gateway.url, path, deadline)));
  const paced: number[] = [];
  let failedPaced = 0;
  await Promise.all(
    Array.from({ length: READERS }, async () => {
      while (Date.now() < deadline) {
        const { ms, complete } = await pacedStream(gateway.url, path);
        if (complete) paced.push(ms);
        else failedPaced++;
      }
    }),
  );
  const cuts = await Promise.all(stalled.map((s) => s.outcome));
  clearInterval(sampler);
  await sleep(2000);
  const end = rssMb(gateway.child.pid!);
  const cutBy = `${cuts.filter((c) => c === 'closed').length} of ${STALLED} by the gateway`;
  const under = summary(paced);
  const normal = summary(alone);
  return (
    `| ${path} | ${before.toFixed(0)} MB | ${peak.toFixed(0)} MB | **${(peak - before).toFixed(0)} MB** | ` +
    `${end.toFixed(0)} MB | ${cutBy} | ${paced.length} complete, ${failedPaced} incomplete | ` +
    `${(normal.p50 / 1000).toFixed(2)} s | ${(under.p50 / 1000).toFixed(2)} s / ${(Math.max(...paced) / 1000).toFixed(2)} s |`
  );
}

function body(path: Path, long: boolean): string {
  if (path === 'proxy') {
    return JSON.stringify({
      model: 'up-model',
      stream: true,
      messages: [{ role: 'user', content: long ? 'long' : 'paced' }],
    });
  }
  const content = long
    ? `[[text "${'x'.repeat(4096)}" chunks=1 repeat=50000]]`
    : `[[text "${PIECE}" chunks=1 repeat=${PACED_DELTAS} delay=${PACED_MS}]]`;
  return JSON.stringify({ model: 'scripted-agent', stream: true, messages: [{ role: 'user', content }] });
}

function post(url: string, payload: string, onResponse: (res: IncomingMessage) => void) {
  const req = request(`${url}/v1/chat/completions`, {
    method: 'POST',
    // A session of its own per stream: the same stateless chat would otherwise be one conversation, one turn at a time.
    headers: {
      authorization: `Bearer ${KEY}`,
      'content-type': 'application/json',
      'x-hermes-session-id': `bench-${randomUUID()}`,
    },
    agent: false,
  });
  req.on('response', onResponse);
  req.end(payload);
  return req;
}

/** A paced stream read to its end: how long it took, and whether it ended with [DONE]. */
function pacedStream(url: string, path: Path): Promise<{ ms: number; complete: boolean }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = post(url, body(path, false), (res) => {
      let tail = '';
      res.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString('latin1')).slice(-32);
      });
      res.on('close', () => resolve({ ms: performance.now() - started, complete: tail.includes('[DONE]') }));
      res.on('error', () => undefined);
    });
    req.on('error', () => resolve({ ms: performance.now() - started, complete: false }));
  });
}

/** A long stream whose reader stops after the first bytes until the deadline; says whether the gateway closed it. */
async function stallStream(
  url: string,
  path: Path,
  deadline: number,
): Promise<{ outcome: Promise<'closed' | 'open'> }> {
  return new Promise((resolve) => {
    const req = post(url, body(path, true), (res) => {
      res.once('data', () => {
        res.pause();
        res.on('error', () => undefined);
        // At the deadline the client reads again: a stream the gateway cut ends at once, short of [DONE]; one it
        // kept open goes on (and is dropped here).
        const outcome = new Promise<'closed' | 'open'>((done) => {
          setTimeout(() => {
            let tail = '';
            const verdict = setTimeout(() => {
              req.destroy();
              done('open');
            }, 5000);
            res.on('data', (chunk: Buffer) => {
              tail = (tail + chunk.toString('latin1')).slice(-32);
            });
            res.on('close', () => {
              clearTimeout(verdict);
              done(tail.includes('[DONE]') ? 'open' : 'closed');
            });
            res.resume();
          }, deadline - Date.now());
        });
        resolve({ outcome });
      });
    });
    req.on('error', () => undefined);
  });
}

/** An OpenAI-style upstream: `long` streams 4 KB frames as fast as its socket takes them; `paced` 50 × 1 KB, 100 ms apart. */
async function startUpstream(): Promise<{ server: Server; port: number }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk;
    });
    req.on('end', async () => {
      const long = text.includes('"long"');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let gone = false;
      res.on('close', () => {
        gone = true;
        res.emit('drain');
      });
      const frame = (content: string) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'up-model', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
      if (long) {
        const big = frame('x'.repeat(4096));
        for (let sent = 0; !gone && sent < 200_000_000; sent += big.length) {
          if (!res.write(big)) await new Promise((r) => res.once('drain', r));
        }
      } else {
        const small = frame(PIECE);
        for (let i = 0; i < PACED_DELTAS && !gone; i++) {
          res.write(small);
          await sleep(PACED_MS);
        }
      }
      if (!gone) res.end('data: [DONE]\n\n');
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, port: (server.address() as { port: number }).port };
}

async function startStalledGateway(upstreamPort: number): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'agw-bench-stalled-'));
  return startGatewayProcess(
    dir,
    [
      `store: "sqlite://${join(dir, 'gateway.sqlite')}"`,
      'maxConcurrentRuns: 0',
      'agents:',
      `  - { name: scripted-agent, command: "${process.execPath}", args: ["${SCRIPTED_AGENT_JS}"] }`,
      'upstreams:',
      `  - { name: up, baseUrl: "http://127.0.0.1:${upstreamPort}/v1", key: "${UPSTREAM_KEY}" }`,
      'routes:',
      '  - { model: up-model, upstream: up }',
    ],
    KEY,
    { compiled: true },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
