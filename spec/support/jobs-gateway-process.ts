// A gateway in a process of its own, for the multi-process jobs specs (spec/e2e/jobs-processes.spec.ts): the
// scripted agent reports every prompt it receives on stderr, which the gateway logs as JSON lines on stdout.
// Environment: JOBS_STORE (a redis:// URL), JOBS_PREFIX (the jobs key prefix), JOBS_TICK_SECONDS,
// JOBS_LEASE_SECONDS, and JOBS_KILL_AFTER_CLAIM=1: SIGKILL itself as soon as it claims an occurrence (a crash
// between claim and run start). Prints `READY <url>` once listening, and `VIOLATION <json>` for any response body
// that breaks the contract.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destination, pino } from 'pino';
import { createAgents } from '../../lib/agents/create-agents.js';
import { defaultConfig } from '../../lib/config/defaults.js';
import { startGateway } from '../../lib/gateway.js';
import { scriptedAgentConfig } from '../agents/scripted-agent-config.js';

const env = process.env;
const logger = pino({ level: 'info' }, destination({ fd: 1, sync: true }));

const gateway = await startGateway(
  {
    ...defaultConfig(),
    host: '127.0.0.1',
    port: 0,
    store: env.JOBS_STORE ?? 'memory://',
    dataDir: mkdtempSync(join(tmpdir(), 'agw-jobs-process-')),
    keys: [{ name: 'test', key: 'sk-test-0123456789abcdef' }],
    agents: [scriptedAgentConfig({ env: { SCRIPTED_AGENT_STDERR: '1' } })],
    logLevel: 'info',
    jobs: {
      tickSeconds: Number(env.JOBS_TICK_SECONDS ?? 0.1),
      claimLeaseSeconds: Number(env.JOBS_LEASE_SECONDS ?? 1),
    },
  },
  {
    logger,
    createAgents,
    // Every JSON body this gateway sends is checked against openapi.yaml; the spec fails on any violation.
    onResponseViolation: (violation) => void process.stdout.write(`VIOLATION ${JSON.stringify(violation)}\n`),
    jobs: {
      redisPrefix: env.JOBS_PREFIX,
      afterClaim: env.JOBS_KILL_AFTER_CLAIM === '1' ? () => void process.kill(process.pid, 'SIGKILL') : undefined,
    },
  },
);
process.stdout.write(`READY ${gateway.url}\n`);
process.on('SIGTERM', () => {
  gateway.close(1000).then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
