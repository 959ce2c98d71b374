// Starts a real gateway on a loopback port for a test, with a test key and the response-contract audit on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FakeUpstream,
  type FakeUpstreamOptions,
  startFakeUpstream,
} from '../../fixtures/upstream/openai-upstream.js';
import { createAgents } from '../../lib/agents/create-agents.js';
import type { GatewayConfig } from '../../lib/config/config.js';
import { defaultConfig } from '../../lib/config/defaults.js';
import { type GatewayOptions, type RunningGateway, startGateway } from '../../lib/gateway.js';
import type { ResponseViolation } from '../../lib/http/response-check.js';
import { silentLogger } from '../../lib/log.js';

export const TEST_KEY = 'sk-test-0123456789abcdef';

export { scriptedAgentConfig } from '../agents/scripted-agent-config.js';

/** Contract violations seen by any gateway in this test; the root hook fails the test when non-empty. */
export const responseViolations: ResponseViolation[] = [];

export interface TestGateway extends RunningGateway {
  key: string;
  dataDir: string;
  /** fetch relative to the gateway, with the test key unless `auth: false` or an Authorization header is given. */
  request(path: string, init?: RequestInit & { auth?: boolean; json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

export type TestGatewayOverrides = Partial<GatewayConfig> & { options?: Partial<GatewayOptions> };

export async function startTestGateway(overrides: TestGatewayOverrides = {}): Promise<TestGateway> {
  const { options, ...configOverrides } = overrides;
  const dataDir = configOverrides.dataDir ?? mkdtempSync(join(tmpdir(), 'agw-test-'));
  const config: GatewayConfig = {
    ...defaultConfig(),
    host: '127.0.0.1',
    port: 0,
    store: 'memory://',
    dataDir,
    keys: [{ name: 'test', key: TEST_KEY }],
    logLevel: 'silent',
    ...configOverrides,
  };
  const gateway = await startGateway(config, {
    logger: silentLogger,
    // Agents only when the test configures some: most transport tests need none.
    createAgents: config.agents.length > 0 ? createAgents : undefined,
    onResponseViolation: (v) => responseViolations.push(v),
    ...options,
  });
  return {
    ...gateway,
    key: TEST_KEY,
    dataDir,
    request(path, { auth = true, json, headers, ...init } = {}) {
      const h = new Headers(headers);
      if (auth && !h.has('authorization')) h.set('authorization', `Bearer ${TEST_KEY}`);
      if (json !== undefined) h.set('content-type', 'application/json');
      return fetch(`${gateway.url}${path}`, {
        ...init,
        headers: h,
        body: json !== undefined ? JSON.stringify(json) : init.body,
      });
    },
    async stop() {
      await gateway.close(2000);
      if (!configOverrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The JSON body of a response, typed loosely for assertions. */
export const bodyOf = (res: Response): Promise<any> => res.json();

/**
 * A fake upstream and a test gateway configured against it, for the describe block it is called in: both started
 * before its tests and stopped after them, the upstream's record and handler cleared before each test. `use`
 * receives them once they run.
 */
export function withUpstreamGateway(
  upstreamOptions: FakeUpstreamOptions,
  gatewayOverrides: (up: FakeUpstream) => TestGatewayOverrides,
  use: (up: FakeUpstream, gw: TestGateway) => void,
): void {
  let up: FakeUpstream;
  let gw: TestGateway;
  before(async () => {
    up = await startFakeUpstream(upstreamOptions);
    gw = await startTestGateway(gatewayOverrides(up));
    use(up, gw);
  });
  after(async () => {
    await gw.stop();
    await up.close();
  });
  beforeEach(() => {
    up.requests.length = 0;
    up.handler = null;
  });
}
