// A gateway in a process of its own, for the session ownership specs (spec/e2e/session-ownership*.spec.ts) and the
// instances bench (bench/instances.ts): several of them on one Redis, each with its own scripted agent process.
// Environment: GW_STORE (a redis:// URL); GW_SECRET (the instances' internal secret: with it the gateway advertises
// http://127.0.0.1:{port} and forwards turns to a conversation's owner; without it, turns run where they arrive);
// GW_OWNERSHIP_TTL_SECONDS, GW_FORWARD_TIMEOUT_SECONDS; GW_AGENT_ARGS (a JSON array: the agent's command line after
// node, default the scripted agent); GW_CHECK_RESPONSES=1: print `VIOLATION <json>` for any response body that
// breaks openapi.yaml; GW_LOG_LEVEL (default info). Logs JSON lines on stdout; prints `READY <url>` once listening.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { destination, pino } from 'pino';
import { createAgents } from '../../lib/agents/create-agents.js';
import { defaultConfig } from '../../lib/config/defaults.js';
import { startGateway } from '../../lib/gateway.js';
import { scriptedAgentConfig } from '../agents/scripted-agent-config.js';

/** The one API key of these gateways (the specs and the bench send it). */
const KEY = 'sk-test-0123456789abcdef';

const env = process.env;
const level = (env.GW_LOG_LEVEL ?? 'info') as 'info';
const logger = pino({ level }, destination({ fd: 1, sync: true }));
const agentArgs = env.GW_AGENT_ARGS ? (JSON.parse(env.GW_AGENT_ARGS) as string[]) : null;

const gateway = await startGateway(
  {
    ...defaultConfig(),
    host: '127.0.0.1',
    port: 0,
    store: env.GW_STORE ?? 'memory://',
    dataDir: mkdtempSync(join(tmpdir(), 'agw-ownership-process-')),
    keys: [{ name: 'test', key: KEY }],
    agents: [
      agentArgs ? { name: 'scripted-agent', command: process.execPath, args: agentArgs } : scriptedAgentConfig(),
    ],
    logLevel: level,
    ...(env.GW_SECRET
      ? {
          instances: {
            advertisedUrl: 'http://127.0.0.1:{port}',
            internalSecret: env.GW_SECRET,
            ownershipTtlSeconds: Number(env.GW_OWNERSHIP_TTL_SECONDS ?? 15),
            forwardTimeoutSeconds: Number(env.GW_FORWARD_TIMEOUT_SECONDS ?? 5),
          },
        }
      : {}),
  },
  {
    logger,
    createAgents,
    ...(env.GW_CHECK_RESPONSES === '1'
      ? {
          onResponseViolation: (violation) => void process.stdout.write(`VIOLATION ${JSON.stringify(violation)}\n`),
        }
      : {}),
  },
);
process.stdout.write(`READY ${gateway.url}\n`);
process.on('SIGTERM', () => {
  gateway.close(1000).then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
