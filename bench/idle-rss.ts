// Idle footprint (issue 15): the RSS of `node dist/lib/cli.js` with the default configuration — SQLite store in a
// fresh data dir, the built-in scripted agent, API_SERVER_KEY set, port 0 — read from /proc a few seconds after its
// "listening on" line. The agent is a process of its own and is not counted. Three starts; the median.
// `npx tsx bench/idle-rss.ts` prints the figures.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, rssMb } from './gateway-process.js';
import { percentile } from './stats.js';

export interface IdleRssOptions {
  /** Starts measured (3). */
  runs?: number;
  /** How long after "listening on" the RSS is read (3 s). */
  settleMs?: number;
}

interface IdleSample {
  rssMb: number;
  /** From spawn to the "listening on" line. */
  startMs: number;
}

export async function measureIdleRss(options: IdleRssOptions = {}): Promise<{ medianMb: number; samples: number[] }> {
  const samples = (await idleSamples(options)).map((sample) => sample.rssMb);
  return { medianMb: median(samples), samples };
}

const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

async function idleSamples({ runs = 3, settleMs = 3000 }: IdleRssOptions): Promise<IdleSample[]> {
  // dist/ as the sources are (npm start does the same).
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const samples: IdleSample[] = [];
  for (let run = 0; run < runs; run++) samples.push(await idleSample(settleMs));
  return samples;
}

async function idleSample(settleMs: number): Promise<IdleSample> {
  const dir = mkdtempSync(join(tmpdir(), 'agw-idle-'));
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/lib/cli.js', '--port', '0'], {
    cwd: ROOT,
    env: {
      ...process.env,
      API_SERVER_KEY: 'sk-idle-rss-bench-0123456789',
      GATEWAY_DATA_DIR: dir,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = once(child, 'exit');
  try {
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gateway did not start: ${err}`)), 30_000);
      child.stderr!.on('data', (chunk) => {
        err = (err + chunk).slice(-4000);
        if (err.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`gateway exited ${code}: ${err}`));
      });
    });
    const startMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return { rssMb: rssMb(child.pid!), startMs };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const samples = await idleSamples({});
  const rss = samples.map((sample) => sample.rssMb);
  const start = samples.map((sample) => sample.startMs);
  const fmt = (values: number[]) => values.map((value) => value.toFixed(1)).join(', ');
  process.stdout.write(`idle RSS: median ${median(rss).toFixed(1)} MB (samples ${fmt(rss)} MB)\n`);
  process.stdout.write(
    `start-up to "listening on": median ${median(start).toFixed(0)} ms (samples ${fmt(start)} ms)\n`,
  );
}
