// Jobs across real gateway processes on one Redis, on the real clock (a per-second cron: no spec waits a minute):
// every occurrence runs exactly once, counted from the prompts the agents themselves report; and `kill -9` of the
// instance that claimed an occurrence, between its claim and the run start, still gives exactly one run.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient, type RedisClientType } from '@keyv/redis';
import { expect } from 'chai';
import { eventually, sleep } from '../support/jobs.js';

const LAUNCHER = fileURLToPath(new URL('../support/jobs-gateway-process.ts', import.meta.url));
const KEY = 'sk-test-0123456789abcdef';

interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** The agent's own report of each prompt it received. */
  prompts: string[];
  /** Response bodies that broke openapi.yaml. */
  violations: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  // Its own process group: the agent it spawns goes with it when the spec cleans up.
  const child = spawn(process.execPath, ['--import', 'tsx', LAUNCHER], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const exit = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  const prompts: string[] = [];
  const violations: string[] = [];
  let ready: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => {
    ready = resolve;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('READY ')) return ready(line.slice(6));
    if (line.startsWith('VIOLATION ')) return void violations.push(line.slice(10));
    try {
      const { msg } = JSON.parse(line) as { msg?: string };
      if (msg?.startsWith('scripted-agent: prompt')) prompts.push(msg);
    } catch {
      // not a log line
    }
  });
  const started = await Promise.race([url, exit.then(() => null)]);
  if (started === null) throw new Error('the gateway process exited before it listened');
  return { child, url: started, prompts, violations, exit };
}

async function stopAll(gateways: GatewayProcess[]): Promise<void> {
  await Promise.all(
    gateways.map(async ({ child, exit }) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([exit, sleep(5000)]);
      try {
        process.kill(-child.pid!, 'SIGKILL'); // what is left of its group (the agent, after a kill -9)
      } catch {
        // the group is gone already
      }
    }),
  );
}

async function call(gw: GatewayProcess, path: string, init: { method?: string; json?: unknown } = {}) {
  const res = await fetch(`${gw.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const executions = async (gw: GatewayProcess, id: string): Promise<any[]> =>
  (await call(gw, `/api/jobs/${id}/executions`)).body.executions;

describe('jobs across gateway processes on one Redis', function () {
  this.timeout(90_000);
  let prefix: string;
  let gateways: GatewayProcess[] = [];

  before(function () {
    if (!process.env.REDIS_URL) {
      console.log('    (skipped: set REDIS_URL to run the multi-process jobs specs)');
      this.skip();
    }
  });
  beforeEach(() => {
    prefix = `agw-test:jobs:${randomBytes(4).toString('hex')}`;
  });
  afterEach(async function () {
    const violations = gateways.flatMap((gw) => gw.violations);
    await stopAll(gateways);
    gateways = [];
    const client = createClient({ url: process.env.REDIS_URL }) as RedisClientType;
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `{${prefix}}:*` })) if (keys.length) await client.del(keys);
    await client.quit();
    if (this.currentTest?.state === 'passed') expect(violations, 'responses that break openapi.yaml').to.deep.equal([]);
  });

  const env = (extra: Record<string, string> = {}) => ({
    JOBS_STORE: process.env.REDIS_URL!,
    JOBS_PREFIX: prefix,
    ...extra,
  });

  for (const size of [2, 3]) {
    it(`runs each occurrence exactly once with ${size} processes due at the same instants`, async () => {
      gateways = await Promise.all(Array.from({ length: size }, () => spawnGateway(env())));
      const everySecond = (
        await call(gateways[0], '/api/jobs', {
          method: 'POST',
          json: { name: 'every second', schedule: '* * * * * *', prompt: 'each second' },
        })
      ).body.job.id;
      const everyOther = (
        await call(gateways[size - 1], '/api/jobs', {
          method: 'POST',
          json: { name: 'every other second', schedule: '* * * * * */2', prompt: 'every other' },
        })
      ).body.job.id;
      await sleep(4500);
      for (const id of [everySecond, everyOther]) await call(gateways[1], `/api/jobs/${id}/pause`, { method: 'POST' });
      await eventually(
        async () =>
          [...(await executions(gateways[0], everySecond)), ...(await executions(gateways[0], everyOther))].every(
            (e) => e.finished_at !== null,
          ),
        'every execution finished',
      );
      await sleep(500);
      const fired = [...(await executions(gateways[0], everySecond)), ...(await executions(gateways[0], everyOther))];
      const prompts = gateways.reduce((sum, gw) => sum + gw.prompts.length, 0);
      // What the agents received is what fired: one prompt per execution, one execution per occurrence.
      expect(prompts).to.equal(fired.length);
      const perSecond = (await executions(gateways[0], everySecond)).map((e) => e.fired_at);
      const perOther = (await executions(gateways[0], everyOther)).map((e) => e.fired_at);
      expect(new Set(perSecond).size).to.equal(perSecond.length);
      expect(new Set(perOther).size).to.equal(perOther.length);
      expect(perSecond.length).to.be.at.least(3);
      expect(perOther.length).to.be.at.least(1);
      for (const e of fired) expect(e.status).to.equal('completed');
      expect(gateways.filter((gw) => gw.prompts.length > 0).length, 'instances that ran something').to.be.at.least(1);
    });
  }

  it('still runs an occurrence exactly once when the instance that claimed it is killed (-9) before starting it', async () => {
    const survivors = await Promise.all([1, 2].map(() => spawnGateway(env({ JOBS_TICK_SECONDS: '0.5' }))));
    gateways = [...survivors];
    // The victim looks for due jobs every 10 ms, the survivors every 500 ms: it claims first (almost always).
    for (let attempt = 0; attempt < 3; attempt++) {
      const victim = await spawnGateway(env({ JOBS_TICK_SECONDS: '0.01', JOBS_KILL_AFTER_CLAIM: '1' }));
      gateways.push(victim);
      const at = new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000).toISOString().slice(0, 19);
      const { body } = await call(survivors[0], '/api/jobs', {
        method: 'POST',
        json: { name: `once ${attempt}`, schedule: at, prompt: 'exactly once' },
      });
      const id = body.job.id;
      const killedAt = await Promise.race([victim.exit.then(() => Date.now()), sleep(8000).then(() => null)]);
      await eventually(async () => (await executions(survivors[1], id)).some((e) => e.finished_at !== null), 'it ran');
      await sleep(1000);
      const runs = await executions(survivors[1], id);
      expect(runs).to.have.length(1);
      expect(runs[0]).to.include({ status: 'completed', fired_at: `${at}+00:00` });
      expect(survivors.reduce((sum, gw) => sum + gw.prompts.length, 0)).to.equal(attempt + 1);
      if (killedAt === null) continue; // a survivor claimed first this time: exactly once all the same; again
      expect((await victim.exit).signal).to.equal('SIGKILL');
      expect(victim.prompts).to.deep.equal([]);
      // The victim's lease (1 s) ran out unconfirmed; a survivor's next tick (≤ 0.5 s) took it over.
      const started = Date.parse(runs[0].started_at);
      expect(started - killedAt, 'takeover delay (ms)').to.be.lessThan(3000);
      return;
    }
    throw new Error('the victim never claimed first in three attempts');
  });
});
