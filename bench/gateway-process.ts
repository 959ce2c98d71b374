// A gateway as a process of its own for benches that measure it from outside (RSS from /proc): `lib/cli.ts` through
// tsx with a YAML config, its URL read from the start-up log line.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCRIPTED_AGENT = join(ROOT, 'fixtures/agents/scripted-agent.ts');

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
}

/** Writes `configLines` to `<dir>/gateway.yaml` and starts the gateway on a free port with `key`. */
export async function startGatewayProcess(dir: string, configLines: string[], key: string): Promise<GatewayProcess> {
  const config = join(dir, 'gateway.yaml');
  writeFileSync(config, [...configLines, ''].join('\n'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli.ts', '--config', config, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, API_SERVER_KEY: key, GATEWAY_DATA_DIR: dir, LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
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
