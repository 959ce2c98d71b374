// Builds the gateway config: defaults < YAML file < environment < flags, validated against the config schema.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { packagePath } from '../paths.js';
import type { ApiKeyConfig, GatewayConfig, RouteConfig, UpstreamConfig } from './config.js';
import { DEFAULT_DATA_DIR, defaultConfig } from './defaults.js';
import { agentFromArgv, expandProfileEntry } from './agent-profiles.js';
import { splitCommand } from './split-command.js';

/** A bad configuration: its message is one line naming the field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadedConfig {
  config: GatewayConfig;
  /** Set when no key was configured and one was generated now (print it once). */
  generatedKey: { key: string; path: string } | null;
  /** Where a generated key lives, when the gateway uses one. */
  keyFile: string | null;
  help: boolean;
  version: boolean;
}

export const USAGE = `usage: agent-gateway [--config FILE] [--agent "CMD ARGS"|NAME] [--host H] [--port P] [--store URL]
                     [--upstream URL] [--data-dir DIR] [--log-level LEVEL] [--log-format json|pretty]
                     [--help] [--version]`;

const FLAGS = {
  config: { type: 'string' },
  agent: { type: 'string', multiple: true },
  host: { type: 'string' },
  port: { type: 'string' },
  store: { type: 'string' },
  upstream: { type: 'string' },
  'data-dir': { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type Layer = Record<string, unknown>;

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let flags: ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];
  try {
    flags = parseArgs({ args: argv, options: FLAGS, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new ConfigError(`invalid command line: ${(error as Error).message}`);
  }
  if (flags.help || flags.version) {
    return {
      config: {} as GatewayConfig,
      generatedKey: null,
      keyFile: null,
      help: !!flags.help,
      version: !!flags.version,
    };
  }

  const sources = new Map<string, string>(); // top-level field -> where its value came from
  const merged: Layer = { ...defaultConfig() };
  const apply = (layer: Layer, source: (field: string) => string) => {
    for (const [field, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      merged[field] =
        isPlainObject(value) && isPlainObject(merged[field]) ? { ...(merged[field] as Layer), ...value } : value;
      sources.set(field, source(field));
    }
  };

  const file = flags.config ?? env.GATEWAY_CONFIG;
  if (file) apply(expandAgentProfiles(readYaml(file), file), (field) => `${field} in ${file}`);
  apply(envLayer(env), (field) => ENV_NAMES[field] ?? field);
  apply(flagLayer(flags), (field) => `--${FLAG_NAMES[field] ?? field}`);

  merged.dataDir = resolve(String(merged.dataDir ?? DEFAULT_DATA_DIR));
  merged.store ??= 'sqlite://';
  if (typeof merged.store === 'string' && merged.store === 'sqlite://') {
    merged.store = `sqlite://${join(merged.dataDir as string, 'gateway.sqlite')}`;
  }
  validate(merged, sources);
  const config = merged as unknown as GatewayConfig;
  checkKeys(config, sources);
  checkRoutes(config);
  checkProfiles(config);

  const keyFile = join(config.dataDir, 'api-key');
  if (config.keys.length > 0) return { config, generatedKey: null, keyFile: null, help: false, version: false };
  const { key, generated } = readOrCreateKey(config.dataDir, keyFile);
  config.keys = [{ name: 'generated', key }];
  return { config, generatedKey: generated ? { key, path: keyFile } : null, keyFile, help: false, version: false };
}

const ENV_NAMES: Record<string, string> = {
  keys: 'API_SERVER_KEY',
  host: 'API_SERVER_HOST',
  port: 'API_SERVER_PORT',
  corsOrigins: 'API_SERVER_CORS_ORIGINS',
  modelName: 'API_SERVER_MODEL_NAME',
  maxConcurrentRuns: 'API_SERVER_MAX_CONCURRENT_RUNS',
  agents: 'GATEWAY_AGENT_COMMAND',
  store: 'GATEWAY_STORE',
  dataDir: 'GATEWAY_DATA_DIR',
  upstreams: 'GATEWAY_UPSTREAM_URL',
  logLevel: 'LOG_LEVEL',
  logFormat: 'LOG_FORMAT',
  strictModels: 'GATEWAY_STRICT_MODELS',
  instances: 'GATEWAY_ADVERTISED_URL / GATEWAY_INTERNAL_SECRET',
};
const FLAG_NAMES: Record<string, string> = {
  dataDir: 'data-dir',
  logLevel: 'log-level',
  logFormat: 'log-format',
  agents: 'agent',
  upstreams: 'upstream',
};

function envLayer(env: NodeJS.ProcessEnv): Layer {
  const list = (value: string | undefined) =>
    value === undefined
      ? undefined
      : value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  return {
    keys: list(env.API_SERVER_KEY)?.map((key): ApiKeyConfig => ({ key })),
    host: env.API_SERVER_HOST,
    port: numeric(env.API_SERVER_PORT),
    corsOrigins: list(env.API_SERVER_CORS_ORIGINS),
    modelName: env.API_SERVER_MODEL_NAME,
    maxConcurrentRuns: numeric(env.API_SERVER_MAX_CONCURRENT_RUNS),
    agents: env.GATEWAY_AGENT_COMMAND ? [agentFromCommand(env.GATEWAY_AGENT_COMMAND)] : undefined,
    store: env.GATEWAY_STORE,
    dataDir: env.GATEWAY_DATA_DIR,
    upstreams: env.GATEWAY_UPSTREAM_URL ? [upstream(env.GATEWAY_UPSTREAM_URL, env.GATEWAY_UPSTREAM_KEY)] : undefined,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    strictModels: flag(env.GATEWAY_STRICT_MODELS),
    instances: instancesLayer(env),
  };
}

/** The instance's advertised URL and the instances' shared secret, when the environment gives them. */
function instancesLayer(env: NodeJS.ProcessEnv): Layer | undefined {
  const { GATEWAY_ADVERTISED_URL: advertisedUrl, GATEWAY_INTERNAL_SECRET: internalSecret } = env;
  if (advertisedUrl === undefined && internalSecret === undefined) return undefined;
  return { ...(advertisedUrl !== undefined ? { advertisedUrl } : {}), ...(internalSecret ? { internalSecret } : {}) };
}

function flagLayer(flags: Record<string, unknown>): Layer {
  const agents = flags.agent as string[] | undefined;
  return {
    agents: agents?.map(agentFromCommand),
    host: flags.host,
    port: numeric(flags.port as string | undefined),
    store: flags.store,
    upstreams: flags.upstream ? [upstream(flags.upstream as string, process.env.GATEWAY_UPSTREAM_KEY)] : undefined,
    dataDir: flags['data-dir'],
    logLevel: flags['log-level'],
    logFormat: flags['log-format'],
  };
}

function agentFromCommand(line: string) {
  let argv: string[];
  try {
    argv = splitCommand(line);
  } catch (error) {
    throw new ConfigError(`invalid config: agent command: ${(error as Error).message}`);
  }
  if (argv.length === 0) throw new ConfigError('invalid config: agent command is empty');
  return agentFromArgv(argv);
}

/** `agents: [{ profile: hermes, ... }]` (top level and in profiles) becomes the launch profile's command and quirks. */
function expandAgentProfiles(layer: Layer, file: string): Layer {
  const expand = (agents: unknown, field: string) =>
    Array.isArray(agents)
      ? agents.map((entry, i) => {
          try {
            return expandProfileEntry(entry);
          } catch (error) {
            throw new ConfigError(`invalid config: ${field}[${i}].profile (from ${file}) ${(error as Error).message}`);
          }
        })
      : agents;
  const out: Layer = { ...layer };
  if ('agents' in layer) out.agents = expand(layer.agents, 'agents');
  if (Array.isArray(layer.profiles)) {
    out.profiles = layer.profiles.map((profile, p) =>
      isPlainObject(profile) && 'agents' in profile
        ? { ...profile, agents: expand(profile.agents, `profiles[${p}].agents`) }
        : profile,
    );
  }
  return out;
}

function upstream(baseUrl: string, key: string | undefined) {
  return { name: 'default', baseUrl, ...(key ? { key } : {}) };
}

/** Numbers from the environment stay strings when malformed, so the schema names the field. */
function numeric(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

/** A boolean from the environment (true/false, 1/0, yes/no, on/off); anything else stays a string the schema names. */
function flag(value: string | undefined): boolean | string | undefined {
  if (value === undefined) return undefined;
  const word = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(word)) return true;
  if (['0', 'false', 'no', 'off'].includes(word)) return false;
  return value;
}

function readYaml(file: string): Layer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let doc: unknown;
  try {
    // The YAML parser is loaded only for a config file: a gateway configured by its environment never holds it.
    const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    doc = parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isPlainObject(doc)) throw new ConfigError(`config file ${file} must hold a mapping of settings`);
  return doc;
}

let compiled: ReturnType<Ajv2020['compile']> | null = null;

function validate(config: Layer, sources: Map<string, string>): void {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(packagePath('schemas', 'config.schema.json'), 'utf8'));
    compiled = new Ajv2020({ strict: false, allErrors: false }).compile(schema);
  }
  if (compiled(config)) return;
  const error = compiled.errors![0];
  const path = error.instancePath.split('/').slice(1);
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  const field = path.reduce((name, s) => (/^\d+$/.test(s) ? `${name}[${s}]` : name ? `${name}.${s}` : s), '');
  const source = sources.get(path[0]);
  const where = source && source !== path[0] ? ` (from ${source})` : '';
  // Never echo a key back: the message names the field only.
  const detail =
    error.keyword === 'minLength' && path.includes('key')
      ? 'must be at least 16 characters'
      : error.keyword === 'additionalProperties'
        ? 'is not a known setting'
        : error.keyword === 'enum'
          ? `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`
          : error.message;
  throw new ConfigError(`invalid config: ${field || 'config'}${where} ${detail}`);
}

/**
 * Placeholder values Hermes refuses as API_SERVER_KEY (`has_usable_secret` in hermes_cli/auth.py: trimmed,
 * case-insensitive), compared with `-` and `_` as one; most are under 16 characters and refused by length already.
 */
const PLACEHOLDER_KEYS = new Set(
  ['*', '**', '***', 'changeme', 'your_api_key', 'your_api_key_here', 'your-api-key', 'placeholder', 'example']
    .concat(['dummy', 'null', 'none'])
    .map((word) => word.replace(/-/g, '_')),
);
/** Also refused: a template's key with something appended (`your-api-key-here-0123`, `YOUR_API_KEY_HERE_…`). */
const PLACEHOLDER_PREFIX = /^your_api_key/;

function checkKeys(config: GatewayConfig, sources: Map<string, string>): void {
  const where = sources.has('keys') ? ` (from ${sources.get('keys')})` : '';
  checkPlaceholders(config.keys, 'keys', where);
}

function checkPlaceholders(keys: readonly ApiKeyConfig[], field: string, where = ''): void {
  keys.forEach(({ key }, i) => {
    const word = key.trim().toLowerCase().replace(/-/g, '_');
    // Never echo a key back: the message names the field only.
    if (PLACEHOLDER_KEYS.has(word) || PLACEHOLDER_PREFIX.test(word)) {
      throw new ConfigError(`invalid config: ${field}[${i}].key${where} is a placeholder, not a key`);
    }
  });
}

function checkRoutes(config: GatewayConfig): void {
  checkRouteList(config.routes, config.upstreams, 'routes');
}

function checkRouteList(routes: readonly RouteConfig[], upstreams: readonly UpstreamConfig[], field: string): void {
  routes.forEach((route, i) => {
    if (!!route.agent === !!route.upstream) {
      throw new ConfigError(`invalid config: ${field}[${i}] needs exactly one of agent or upstream`);
    }
    if (route.upstream && !upstreams.some((u) => u.name === route.upstream)) {
      throw new ConfigError(`invalid config: ${field}[${i}].upstream names no configured upstream '${route.upstream}'`);
    }
  });
}

/**
 * Profiles: unique names, and keys that open one door only (a key equal to a top-level key or to another profile's
 * would make the same caller two owners). Also run by createGateway, for configs that never went through loadConfig.
 */
export function checkProfiles(config: GatewayConfig): void {
  const names = new Set<string>();
  const owners = new Map<string, string>(config.keys.map(({ key }, i) => [key, `keys[${i}]`]));
  (config.profiles ?? []).forEach((profile, p) => {
    const field = `profiles[${p}]`;
    if (names.has(profile.name)) throw new ConfigError(`invalid config: ${field}.name repeats '${profile.name}'`);
    names.add(profile.name);
    checkPlaceholders(profile.keys, `${field}.keys`);
    profile.keys.forEach(({ key }, i) => {
      const owner = owners.get(key);
      // Never echo a key back: the message names the fields only.
      if (owner) throw new ConfigError(`invalid config: ${field}.keys[${i}].key is already used by ${owner}`);
      owners.set(key, `${field}.keys[${i}]`);
    });
    checkRouteList(profile.routes ?? config.routes, profile.upstreams ?? config.upstreams, `${field}.routes`);
  });
}

function readOrCreateKey(dataDir: string, keyFile: string): { key: string; generated: boolean } {
  if (existsSync(keyFile)) {
    const key = readFileSync(keyFile, 'utf8').trim();
    if (key.length >= 16) return { key, generated: false };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = `agk-${randomBytes(24).toString('base64url')}`;
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600); // the file may have existed with wider rights
  return { key, generated: true };
}

function isPlainObject(value: unknown): value is Layer {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
