// Proxy bench: the same OpenAI-compatible upstream reached directly, through nginx proxy_pass and through the
// gateway (proxy mode), side by side in one run. Added latency (p50/p99) at one connection, throughput at 32
// connections (autocannon), SSE time to first byte. Each target runs in its own process.
// Run: npm run bench -- proxy   (or: npx tsx bench/proxy.ts)
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { stringify } from 'yaml';
import { childPids, cpuSeconds } from './gateway-process.js';
import { cpuLine, ms, summary } from './stats.js';

const GATEWAY_KEY = 'bench-gateway-key-0123456789';
const UPSTREAM_KEY = 'bench-upstream-key-0123456789';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 3000);
const SSE_SAMPLES = Number(process.env.BENCH_SSE_SAMPLES ?? 500);
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 32;
const BODY = JSON.stringify({ model: 'up-model', messages: [{ role: 'user', content: 'hello' }] });
const STREAM_BODY = JSON.stringify({ model: 'up-model', stream: true, messages: [{ role: 'user', content: 'hello' }] });

interface Target {
  name: string;
  port: number;
  /** The Authorization the target expects from the client. */
  key: string;
  /** The process that serves it (its children count too: nginx's workers); null for the upstream itself. */
  pid: number | null;
}

export async function runProxyBench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'agw-proxy-bench-'));
  chmodSync(dir, 0o755); // nginx workers run as an unprivileged user and read their temp dirs here
  const children: ChildProcess[] = [];
  try {
    const upstreamPort = await startUpstream(children);
    const upstreamPid = children[0].pid!;
    const nginxPort = await startNginx(dir, upstreamPort, children);
    const gatewayPort = await startGatewayProcess(dir, upstreamPort, children);
    const ceilingPort = await startChild('bench/express-ceiling.ts', children);
    const floorPort = await startChild('bench/node-proxy-floor.ts', children, {
      BENCH_UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}`,
      BENCH_UPSTREAM_KEY: UPSTREAM_KEY,
    });
    const checkedPort = await startChild('bench/node-proxy-floor-checked.ts', children, {
      BENCH_UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}`,
      BENCH_UPSTREAM_KEY: UPSTREAM_KEY,
    });
    const hpmPort = await startChild('bench/hpm-floor.ts', children, {
      BENCH_UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}`,
      BENCH_UPSTREAM_KEY: UPSTREAM_KEY,
    });
    const [, nginxPid, gatewayPid, ceilingPid, floorPid, checkedPid, hpmPid] = children.map((child) => child.pid!);
    const targets: Target[] = [
      { name: 'direct to the upstream', port: upstreamPort, key: UPSTREAM_KEY, pid: null },
      { name: 'nginx proxy_pass', port: nginxPort, key: UPSTREAM_KEY, pid: nginxPid },
      { name: 'agent-gateway (proxy mode)', port: gatewayPort, key: GATEWAY_KEY, pid: gatewayPid },
      {
        name: 'for scale: bare express 5 + express.json answering itself',
        port: ceilingPort,
        key: GATEWAY_KEY,
        pid: ceilingPid,
      },
      { name: 'floor: minimal node:http proxy, no gates or checks', port: floorPort, key: GATEWAY_KEY, pid: floorPid },
      {
        name: 'floor + the work no gateway can drop (security headers, id, parse + validate, JSON check, timer)',
        port: checkedPort,
        key: GATEWAY_KEY,
        pid: checkedPid,
      },
      {
        name: 'for scale: http-proxy-middleware alone on node:http (key swap only, no gates or checks)',
        port: hpmPort,
        key: GATEWAY_KEY,
        pid: hpmPid,
      },
    ];
    const pinning = cpuPlacement(upstreamPid, targets);
    pinning.pinned();
    const measured = [];
    for (const target of targets) {
      await latencySamples(target, BODY, 300, false); // warm up sockets and JIT
      const latency = summary(await latencySamples(target, BODY, SAMPLES, false));
      const ttfb = summary(await latencySamples(target, STREAM_BODY, SSE_SAMPLES, true));
      measured.push({ target, latency, ttfb });
    }
    const pinned = await throughputRounds(targets, upstreamPid);
    pinning.shared();
    const shared = await throughputRounds(targets, upstreamPid);
    const [direct] = measured;
    const pct = (run: Throughput[], a: number, b: number) => `${((run[a].rps / run[b].rps) * 100).toFixed(0)}%`;
    const gateway = measured[2];
    const floor = measured[4];
    const cpuRatio = pinned[2].cpu.proxy / pinned[4].cpu.proxy;
    const added = gateway.latency.p50 - direct.latency.p50;
    const reading = (run: Throughput[]) =>
      `the gateway reaches ${pct(run, 2, 1)} of nginx's throughput; the minimal Node proxy ${pct(run, 4, 1)}, the ` +
      `same with the checks no gateway can drop ${pct(run, 5, 1)} (the gateway reaches ${pct(run, 2, 5)} of that ` +
      `one); bare express 5 answering by itself ${pct(run, 3, 1)}.`;
    // nginx -v prints to stderr
    const nginxVersion = execFileSync('sh', ['-c', 'nginx -v 2>&1'], { encoding: 'utf8' }).trim();
    return [
      '## Proxy overhead (issues 6 and 10)',
      '',
      'Command: `npm run bench -- proxy` (`BENCH_SAMPLES`, `BENCH_SSE_SAMPLES`, `BENCH_DURATION`, `BENCH_ROUNDS` tune it).',
      `Setup: the fake upstream (fixtures/upstream), nginx and the gateway (\`node dist/lib/cli.js\`, memory`,
      `store, one key, no rate limit) each in their own process on loopback; ${process.version}, ${nginxVersion}`,
      `(1 worker, upstream keepalive, proxy_buffering off), ${cpuLine()}. POST /v1/chat/completions, non-streaming`,
      `for latency (${SAMPLES} sequential requests on one keep-alive connection) and throughput (autocannon,`,
      `${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s interleaved across the targets, median round`,
      `shown); SSE time to first byte over ${SSE_SAMPLES} streaming requests. CPU: user + system time of each`,
      'process over the throughput rounds (from /proc), per request.',
      '',
      `Two placements on the same processes: **pinned** (${pinning.description}), the usual proxy-benchmark`,
      'practice, so the proxy under test does not compete with the load generator for a core; and **shared** (every',
      'process on every core, as the scheduler likes). Latency and TTFB are measured pinned.',
      '',
      '| target | p50 | p99 | added p50 | added p99 | SSE TTFB p50 | SSE TTFB p99 | req/s pinned (rounds) | req/s shared (rounds) | CPU µs/req pinned: proxy, upstream, load generator |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...measured.map(({ target, latency, ttfb }, i) => {
        const cpu = pinned[i].cpu;
        return (
          `| ${target.name} | ${ms(latency.p50)} | ${ms(latency.p99)} | ${ms(latency.p50 - direct.latency.p50)} | ` +
          `${ms(latency.p99 - direct.latency.p99)} | ${ms(ttfb.p50)} | ${ms(ttfb.p99)} | ${rounds(pinned[i])} | ` +
          `${rounds(shared[i])} | ${target.pid === null ? '–' : cpu.proxy.toFixed(0)}, ${cpu.upstream.toFixed(0)}, ` +
          `${cpu.bench.toFixed(0)} |`
        );
      }),
      '',
      `Issue 10 goals: CPU per proxied request **${cpuRatio.toFixed(2)}×** the minimal node:http floor row ` +
        `(${pinned[2].cpu.proxy.toFixed(0)} vs ${pinned[4].cpu.proxy.toFixed(0)} µs; goal ≤ 1.8×); added p50 ` +
        `**${ms(added)}** over the direct upstream (goal ≤ 0.5 ms; the floor adds ${ms(floor.latency.p50 - direct.latency.p50)}). ` +
        `http-proxy-middleware alone costs ${(pinned[6].cpu.proxy / pinned[4].cpu.proxy).toFixed(2)}× the floor.`,
      '',
      `Pinned: ${reading(pinned)}`,
      '',
      `Shared: ${reading(shared)}`,
      '',
    ].join('\n');
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sequential requests on one keep-alive connection; the time to the last body byte, or the first for SSE. */
async function latencySamples(target: Target, body: string, count: number, firstByte: boolean): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      samples.push(
        await new Promise<number>((resolve, reject) => {
          const started = performance.now();
          const req = request(
            {
              host: '127.0.0.1',
              port: target.port,
              path: '/v1/chat/completions',
              method: 'POST',
              agent,
              headers: {
                authorization: `Bearer ${target.key}`,
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body),
              },
            },
            (res) => {
              if (res.statusCode !== 200) reject(new Error(`${target.name} answered ${res.statusCode}`));
              let first = 0;
              res.on('data', () => {
                first ||= performance.now();
              });
              res.on('end', () => resolve((firstByte ? first : performance.now()) - started));
            },
          );
          req.on('error', reject);
          req.end(body);
        }),
      );
    }
  } finally {
    agent.destroy();
  }
  return samples;
}

async function throughput(target: Target): Promise<{ rps: number; requests: number }> {
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}/v1/chat/completions`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json' },
    body: BODY,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${target.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { rps: result.requests.average, requests: result.requests.total };
}

interface Throughput {
  rps: number;
  rounds: number[];
  /** CPU µs per request over the rounds. */
  cpu: { proxy: number; upstream: number; bench: number };
}

const rounds = (t: Throughput) => `${t.rps.toFixed(0)} (${t.rounds.map((x) => x.toFixed(0)).join(' / ')})`;

/**
 * Throughput in interleaved rounds (every target once per round): the machine's speed drifts over a run, and a
 * drift must not land on one target only. Each target's figure is its median round.
 */
async function throughputRounds(targets: Target[], upstreamPid: number): Promise<Throughput[]> {
  const results = targets.map(() => ({ rounds: [] as number[], requests: 0, proxy: 0, upstream: 0, bench: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, target] of targets.entries()) {
      const result = results[i];
      const before = {
        proxy: cpuSecondsWithChildren(target.pid),
        upstream: cpuSecondsWithChildren(upstreamPid),
        bench: process.cpuUsage(),
      };
      const { rps, requests } = await throughput(target);
      const bench = process.cpuUsage(before.bench);
      result.proxy += cpuSecondsWithChildren(target.pid) - before.proxy;
      result.upstream += cpuSecondsWithChildren(upstreamPid) - before.upstream;
      result.bench += (bench.user + bench.system) / 1e6;
      result.rounds.push(rps);
      result.requests += requests;
    }
  }
  return results.map((r) => ({
    rps: summary(r.rounds).p50,
    rounds: r.rounds,
    cpu: {
      proxy: (r.proxy / r.requests) * 1e6,
      upstream: (r.upstream / r.requests) * 1e6,
      bench: (r.bench / r.requests) * 1e6,
    },
  }));
}

/**
 * CPU affinity of the bench's processes (taskset, every thread): `pinned` gives the proxies under test the last
 * CPU and the upstream and the load generator (this process) the others; `shared` lets every process use every CPU.
 * With fewer than two CPUs or no taskset, both are no-ops and say so.
 */
function cpuPlacement(upstreamPid: number, targets: Target[]) {
  const cpus = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  const usable = cpus >= 2 && commandExists('taskset');
  const all = `0-${cpus - 1}`;
  const proxyCpu = String(cpus - 1);
  const loadCpus = cpus === 2 ? '0' : `0-${cpus - 2}`;
  const proxies = targets.flatMap((t) => (t.pid === null ? [] : [t.pid, ...childPids(t.pid)]));
  const place = (pids: number[], list: string) => {
    for (const pid of pids) execFileSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' });
  };
  return {
    description: usable
      ? `proxies on CPU ${proxyCpu}; upstream and load generator on CPU ${loadCpus}`
      : 'not possible here: fewer than two CPUs or no taskset, so both placements are the shared one',
    pinned() {
      if (!usable) return;
      place(proxies, proxyCpu);
      place([upstreamPid, process.pid], loadCpus);
    },
    shared() {
      if (usable) place([...proxies, upstreamPid, process.pid], all);
    },
  };
}

function commandExists(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** User + system CPU seconds of a process and its children (nginx's workers), from /proc; 0 for none. */
function cpuSecondsWithChildren(pid: number | null): number {
  if (pid === null) return 0;
  return [pid, ...childPids(pid)].reduce((total, id) => total + cpuSeconds(id), 0);
}

function startUpstream(children: ChildProcess[]): Promise<number> {
  return startChild('bench/proxy-upstream.ts', children, { BENCH_UPSTREAM_KEY: UPSTREAM_KEY });
}

/** A TypeScript entry in its own process that prints `ready <port>`. */
function startChild(entry: string, children: ChildProcess[], env: Record<string, string> = {}): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  return waitFor(child, 'stdout', /ready (\d+)/).then(Number);
}

async function startGatewayProcess(dir: string, upstreamPort: number, children: ChildProcess[]): Promise<number> {
  const config = join(dir, 'gateway.yaml');
  writeFileSync(
    config,
    stringify({
      host: '127.0.0.1',
      port: 0,
      store: 'memory://',
      dataDir: join(dir, 'gateway'),
      logLevel: 'info',
      keys: [{ name: 'bench', key: GATEWAY_KEY }],
      upstreams: [{ name: 'default', baseUrl: `http://127.0.0.1:${upstreamPort}/v1`, key: UPSTREAM_KEY }],
    }),
  );
  // The compiled gateway, as `npm start` runs it (built first when dist/ is older than the sources).
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
  const child = spawn(process.execPath, ['dist/lib/cli.js', '--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  children.push(child);
  const url = await waitFor(child, 'stderr', /listening on (http:\/\/[^"\s]+)/);
  return Number(new URL(url).port);
}

async function startNginx(dir: string, upstreamPort: number, children: ChildProcess[]): Promise<number> {
  if (!commandExists('nginx')) throw new Error('nginx not found: the proxy bench needs it (apt-get install nginx)');
  const port = await freePort();
  const prefix = join(dir, 'nginx');
  mkdirSync(prefix, { recursive: true, mode: 0o755 });
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream up { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://up;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], {
    stdio: 'inherit',
  });
  children.push(child);
  for (let i = 0; i < 100; i++) {
    if (await canConnect(port)) return port;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('nginx did not start');
}

function waitFor(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within 20 s:\n${text}`)), 20_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        // Keep draining so the child never blocks on a full pipe, without keeping (or scanning) what follows:
        // the gateway writes an access line per request.
        child[stream]!.off('data', onData);
        child[stream]!.resume();
        resolve(match[1]);
      }
    };
    child[stream]!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${text}`)));
  });
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET' }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await runProxyBench()}\n`);
}
