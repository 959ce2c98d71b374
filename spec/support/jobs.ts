// Helpers of the Jobs API specs: a settable clock for the scheduler, agents whose prompts are counted on the agent
// side of the port, gateways configured for quick ticks, and the calls the specs share.
import { randomBytes } from 'node:crypto';
import { createAgents } from '../../lib/agents/create-agents.js';
import type { GatewayConfig } from '../../lib/config/config.js';
import type { Agent, PromptBlock } from '../../lib/engine/port/agent.js';
import type { GatewayOptions } from '../../lib/gateway.js';
import type { Logger } from '../../lib/log.js';
import {
  bodyOf,
  scriptedAgentConfig,
  startTestGateway,
  type TestGateway,
  type TestGatewayOverrides,
} from './gateway.js';

export const OTHER_KEY = 'sk-other-0123456789abcdef';

/** Monday 2 March 2026, 08:00 UTC. */
export const T0 = Date.parse('2026-03-02T08:00:00Z');
export const MINUTE = 60_000;

/** The scheduler's clock: it stands still until a spec moves it. Instances sharing one see the same instant. */
export class TestClock {
  constructor(public ms = T0) {}
  readonly now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Every prompt the gateway sent to the agents, as text (one entry per ACP session/prompt). */
export class PromptLog {
  readonly prompts: string[] = [];
  count(marker: string): number {
    return this.prompts.filter((text) => text.includes(marker)).length;
  }
  /** Wraps the agents a gateway builds so each prompt is logged before it goes out. */
  readonly createAgents = (config: GatewayConfig, logger: Logger): Agent[] =>
    createAgents(config, logger).map((agent) => this.wrap(agent));

  private wrap(agent: Agent): Agent {
    const prompts = this.prompts;
    return new Proxy(agent, {
      get(target, property) {
        if (property === 'prompt') {
          return (handle: unknown, blocks: PromptBlock[], options: unknown) => {
            prompts.push(blocks.map((block) => (block.type === 'text' ? block.text : '')).join('\n'));
            return (target.prompt as (...args: unknown[]) => unknown)(handle, blocks, options);
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

export interface JobsGatewayOptions extends TestGatewayOverrides {
  clock?: TestClock;
  log?: PromptLog;
  redisPrefix?: string;
  afterClaim?: NonNullable<GatewayOptions['jobs']>['afterClaim'];
}

/** A gateway with the scripted agent, two keys, a fast scheduler tick and the given clock. */
export function startJobsGateway({
  clock,
  log,
  redisPrefix,
  afterClaim,
  options,
  ...overrides
}: JobsGatewayOptions = {}): Promise<TestGateway> {
  return startTestGateway({
    agents: [scriptedAgentConfig()],
    keys: [
      { name: 'test', key: 'sk-test-0123456789abcdef' },
      { name: 'other', key: OTHER_KEY },
    ],
    jobs: { tickSeconds: 0.02, claimLeaseSeconds: 1 },
    ...overrides,
    options: {
      ...(log ? { createAgents: log.createAgents } : {}),
      jobs: { now: clock?.now, redisPrefix, afterClaim },
      ...options,
    },
  });
}

export const uniquePrefix = () => `agw-test:jobs:${randomBytes(4).toString('hex')}`;

export async function createJob(gw: TestGateway, json: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await gw.request('/api/jobs', { method: 'POST', json, headers });
  return { status: res.status, body: await bodyOf(res) };
}

/** A call to a job route: status and body. */
export async function jobCall(gw: TestGateway, path: string, init: RequestInit & { json?: unknown } = {}) {
  const res = await gw.request(path, init);
  return { status: res.status, body: await bodyOf(res) };
}

export async function executionsOf(gw: TestGateway, id: string): Promise<any[]> {
  return (await jobCall(gw, `/api/jobs/${id}/executions`)).body.executions;
}

export async function jobOf(gw: TestGateway, id: string): Promise<any> {
  return (await jobCall(gw, `/api/jobs/${id}`)).body.job;
}

/** Polls `check` every 20 ms until it holds; throws with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every execution of the job is recorded as finished on the job (not only its run). */
export async function settled(gw: TestGateway, id: string): Promise<boolean> {
  const executions = await executionsOf(gw, id);
  return executions.every((e) => e.finished_at !== null);
}
