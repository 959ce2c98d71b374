#!/usr/bin/env node
// The agent-gateway command: load config, start, log one line, drain and exit 0 on SIGTERM/SIGINT.
import { ConfigError, loadConfig, USAGE } from './config/load-config.js';
import { createAgents } from './agents/create-agents.js';
import type { GatewayConfig } from './config/config.js';
import { type RunningGateway, startGateway } from './gateway.js';
import { createLogger } from './log.js';
import { VERSION } from './version.js';

async function main(): Promise<void> {
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`agent-gateway: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (loaded.help) return void process.stdout.write(`${USAGE}\n`);
  if (loaded.version) return void process.stdout.write(`${VERSION}\n`);
  const { config, generatedKey, keyFile } = loaded;
  const logger = createLogger(config.logLevel, config.logFormat);
  if (generatedKey) {
    // Printed once, on the run that created it; later runs only say where it is.
    process.stdout.write(`Generated API key (stored in ${generatedKey.path}, mode 0600):\n  ${generatedKey.key}\n`);
  } else if (keyFile) {
    logger.info({ keyFile }, 'using the generated API key from the data dir');
  }

  const gateway = await startGateway(config, { logger, createAgents });
  logger.info(
    {
      store: gateway.services.store.location,
      models: gateway.services.agents.ids(),
      upstreams: [...gateway.services.router.upstreams.values()].map((u) => u.displayUrl),
    },
    `listening on ${gateway.url}`,
  );
  if (process.stderr.isTTY) process.stderr.write(banner(gateway, config, generatedKey?.path ?? keyFile));

  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'draining: refusing new work, finishing in-flight requests');
    gateway.close().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (error: Error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** For a person at a terminal: where the gateway is, what it serves, and how to point a client at it. */
function banner(gateway: RunningGateway, config: GatewayConfig, keyFile: string | null): string {
  const models = gateway.services.agents.ids();
  const routed = config.routes.map((route) => route.model).filter((model) => !models.includes(model));
  const upstreams = [...gateway.services.router.upstreams.values()].map((u) => `${u.name} (${u.displayUrl})`);
  const lines = [
    '',
    `  agent-gateway ${VERSION} listening on ${gateway.url}`,
    `  models     ${[...models, ...routed].join(', ') || '(none)'}`,
    ...(upstreams.length ? [`  upstreams  ${upstreams.join(', ')}`] : []),
    `  store      ${gateway.services.store.location}`,
    `  API key    ${keyFile ? `in ${keyFile}` : 'from the configuration (API_SERVER_KEY or keys:)'}`,
    '',
    `  Connect Open WebUI, LibreChat or the OpenAI SDK with base URL ${gateway.url}/v1 and that key;`,
    `  API reference at ${gateway.url}/docs.`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

main().catch((error: Error) => {
  process.stderr.write(`agent-gateway: failed to start: ${error.message}\n`);
  process.exit(1);
});
