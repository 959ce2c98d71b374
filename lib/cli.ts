#!/usr/bin/env node
// The agent-gateway command: load config, start, log one line, drain and exit 0 on SIGTERM/SIGINT.
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import type { GatewayConfig } from './config/config.js';
import type { LoadedConfig } from './config/load-config.js';
import type { RunningGateway } from './gateway.js';
import { VERSION } from './version.js';

/**
 * Start-up runs once, and two V8 settings made for a long-running process only leave memory behind for it; both are
 * held until the gateway listens:
 * - the young generation: start-up allocates a burst of long-lived objects (modules, the contract, the agent SDK's
 *   schemas) and V8 doubles the young generation each time as much survives as it holds, so an idle gateway would
 *   keep 32 MB of young space that only the burst needed. It keeps its initial size until then; afterwards it grows
 *   with the load up to YOUNG_GENERATION_CAP (see capYoungGeneration);
 * - the optimizing compiler (TurboFan): optimizing start-up code (module bodies, schema construction), which never
 *   runs again, pages in the compiler and leaves its working memory in malloc's arenas (about 8 MB of RSS). Code
 *   that gets hot once the gateway serves is optimized as usual.
 * A node started with its own setting for one of them keeps it.
 */
const STARTUP_FLAGS: ReadonlyArray<{ during: string; after: () => void; own: RegExp }> = [
  {
    during: '--semi-space-growth-factor=1',
    after: () => capYoungGeneration(YOUNG_GENERATION_CAP),
    own: /--(max-|min-)?semi-space|--max-heap-size/,
  },
  { during: '--no-turbofan', after: () => setFlagsFromString('--turbofan'), own: /--(no-)?(turbofan|opt)\b|--jitless/ },
];
const nodeFlags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
const heldFlags = STARTUP_FLAGS.filter((flag) => !flag.own.test(nodeFlags));
for (const flag of heldFlags) setFlagsFromString(flag.during);
const startupDone = () => {
  for (const flag of heldFlags) flag.after();
};

/** Young generation (both semi-spaces) V8 may grow to while the gateway serves; its own maximum is 32 MB. */
const YOUNG_GENERATION_CAP = 8 * 1024 * 1024;

/**
 * Lets V8 grow the young generation under load, up to `cap`. Its own ceiling (32 MB) is set when the process starts
 * (`--max-semi-space-size`) and cannot be lowered afterwards, but its growth factor can: checked after each minor GC,
 * growth stops at the cap and resumes if V8 shrinks the space below it. Why 8 MB (bench/RESULTS.md, "Stalled
 * readers" and "Young generation cap"): with 32 MB five stalled streams grew the gateway past its 64 MB budget, with
 * 16 MB to its edge; with 8 MB a chat turn's median did not move, a streamed turn's first delta came 0.15 ms later
 * and the gateway used 1.5 % more CPU than without a cap (more scavenges).
 */
function capYoungGeneration(cap: number): void {
  let growing: boolean | null = null;
  const check = () => {
    const size = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
    const grow = size < cap;
    if (grow === growing) return;
    growing = grow;
    setFlagsFromString(`--semi-space-growth-factor=${grow ? 2 : 1}`);
  };
  check();
  const minor = (gc: PerformanceEntry) =>
    (gc as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR;
  new PerformanceObserver((list) => {
    if (list.getEntries().some(minor)) check();
  }).observe({ entryTypes: ['gc'] });
}

async function main(): Promise<void> {
  // Imported here, after the flags above: static imports would be evaluated before them.
  const { ConfigError, loadConfig, USAGE } = await import('./config/load-config.js');
  let loaded: LoadedConfig;
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
  const { createLogger } = await import('./log.js');
  const logger = createLogger(config.logLevel, config.logFormat);
  if (generatedKey) {
    // Printed once, on the run that created it; later runs only say where it is.
    process.stdout.write(`Generated API key (stored in ${generatedKey.path}, mode 0600):\n  ${generatedKey.key}\n`);
  } else if (keyFile) {
    logger.info({ keyFile }, 'using the generated API key from the data dir');
  }

  const [{ startGateway }, { createAgents }] = await Promise.all([
    import('./gateway.js'),
    import('./agents/create-agents.js'),
  ]);
  const gateway = await startGateway(config, { logger, createAgents });
  startupDone();
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
