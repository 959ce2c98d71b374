// A gateway as a process of its own for benches that measure it from outside (RSS from /proc): `lib/cli.ts` through
// tsx (default) or the compiled `dist/lib/cli.js` (`compiled: true`, built first when stale: tsx adds tens of MB of
// RSS), with a YAML config, its URL read from the start-up log line.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCRIPTED_AGENT = join(ROOT, 'fixtures/agents/scripted-agent.ts');
/** The compiled scripted agent (present once `dist/` is built: see buildIfStale). */
export const SCRIPTED_AGENT_JS = join(ROOT, 'dist/fixtures/agents/scripted-agent.js');

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
}

export interface GatewayProcessOptions {
  /** Run `node dist/lib/cli.js` (built first when older than the sources) instead of `lib/cli.ts` through tsx. */
  compiled?: boolean;
  /** Raise the soft descriptor limit (`ulimit -n`) to the hard one for the gateway (and the agents it spawns). */
  raiseFileLimit?: boolean;
  /** Extra node flags for the gateway process (e.g. `--heapsnapshot-signal=SIGUSR2`). */
  nodeArgs?: readonly string[];
  /** Extra environment. */
  env?: Readonly<Record<string, string>>;
}

/** Compiles to dist/ when it is missing or older than the sources (`npm start` does the same). */
export function buildIfStale(): void {
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

/** Writes `configLines` to `<dir>/gateway.yaml` and starts the gateway on a free port with `key`. */
export async function startGatewayProcess(
  dir: string,
  configLines: string[],
  key: string,
  options: GatewayProcessOptions = {},
): Promise<GatewayProcess> {
  const config = join(dir, 'gateway.yaml');
  writeFileSync(config, [...configLines, ''].join('\n'));
  if (options.compiled) buildIfStale();
  const entry = options.compiled ? ['dist/lib/cli.js'] : ['--import', 'tsx', 'lib/cli.ts'];
  const argv = [...(options.nodeArgs ?? []), ...entry, '--config', config, '--port', '0'];
  const env = {
    ...process.env,
    API_SERVER_KEY: key,
    GATEWAY_DATA_DIR: dir,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    ...(options.compiled ? { NODE_ENV: 'production' } : {}),
    ...options.env,
  };
  const child = options.raiseFileLimit
    ? spawn('bash', ['-c', 'ulimit -n "$(ulimit -Hn)" && exec "$0" "$@"', process.execPath, ...argv], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      })
    : spawn(process.execPath, argv, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`gateway did not start: ${err}`));
    }, 30_000);
    child.stderr!.on('data', (chunk) => {
      err = (err + chunk).slice(-4000);
      const m = /listening on (http:\/\/[^"\s]+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`gateway exited ${code}: ${err}`)));
  });
  return { child, url };
}

/** A process's resident set size, in MB. */
export function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

/** User + system CPU seconds a process has used (/proc; its children not counted). */
export function cpuSeconds(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}
let clockTicks: number | undefined;

/** The ids of a process's direct children (from /proc; empty when it has none or is gone). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
