import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { type FakeUpstream, startFakeUpstream } from '../../fixtures/upstream/openai-upstream.js';

/** Starts `agent-gateway` from source in its own process; resolves with its URL once it logs that it listens. */
function startCli(configFile: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli.ts', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${log}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /listening on (http:\/\/[^"\s]+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], child });
      }
    });
    child.on('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${log}`)));
  });
}

describe('per-key rate limit across two gateway processes on one Redis', function () {
  this.timeout(40_000);
  const redisUrl = process.env.REDIS_URL;
  let up: FakeUpstream;
  let dir: string;
  const children: ChildProcess[] = [];

  before(async function () {
    if (!redisUrl) return this.skip();
    up = await startFakeUpstream({ record: false });
    dir = mkdtempSync(join(tmpdir(), 'agw-rl-'));
  });
  after(async () => {
    for (const child of children) child.kill('SIGTERM');
    await up?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('admits exactly 10 of 30 requests spread over both at 10 requests per minute', async function () {
    if (!redisUrl) return this.skip(); // REDIS_URL is not set
    // A fresh key per run: the Redis window of an earlier run must not count.
    const key = `sk-rl-${randomBytes(12).toString('hex')}`;
    const configFile = join(dir, 'gateway.yaml');
    writeFileSync(
      configFile,
      stringify({
        host: '127.0.0.1',
        port: 0,
        store: redisUrl,
        dataDir: dir,
        logLevel: 'info',
        keys: [{ name: 'metered', key, requestsPerMinute: 10 }],
        upstreams: [{ name: 'default', baseUrl: up.baseUrl }],
      }),
    );
    const gateways = await Promise.all([startCli(configFile), startCli(configFile)]);
    children.push(...gateways.map((g) => g.child));

    const statuses = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const res = await fetch(`${gateways[i % 2].url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'up-model', messages: [{ role: 'user', content: `hi ${i}` }] }),
        });
        await res.arrayBuffer();
        return { status: res.status, gateway: i % 2 };
      }),
    );
    const ok = statuses.filter((s) => s.status === 200);
    expect(ok).to.have.length(10);
    expect(statuses.filter((s) => s.status === 429)).to.have.length(20);
  });
});
