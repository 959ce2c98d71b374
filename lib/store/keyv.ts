// One Keyv factory for the whole gateway: sqlite:// (default), redis:// and memory://, a namespace per kind of state.
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { RedisClientType } from '@keyv/redis';
import { Keyv } from 'keyv';
import type { Logger } from '../log.js';
import { deserializeValue, serializeValue } from './value-codec.js';

/** How every namespace writes its values (value-codec.ts). */
const VALUE_CODEC = { serialize: serializeValue, deserialize: deserializeValue };

export type StoreBackend = 'sqlite' | 'redis' | 'memory';

export interface Store {
  readonly backend: StoreBackend;
  /** Where the data lives, without credentials (for logs and /health/detailed). */
  readonly location: string;
  /** The raw Redis client, for operations that must be atomic across gateway instances. */
  readonly redis: RedisClientType | null;
  /** Put before every key this store writes (profiles sharing one Redis). */
  readonly prefix: string;
  namespace<T>(name: string): Keyv<T>;
  /** Round-trips a probe key; resolves with the latency in ms. */
  ping(): Promise<number>;
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  logger: Logger;
  /** Put before every namespace, so several gateways (profiles) share one Redis without sharing keys. */
  namespacePrefix?: string;
  /** How long start-up waits for a Redis store to answer before giving up (default 10 s). */
  connectTimeoutMs?: number;
}

export const DEFAULT_STORE_CONNECT_TIMEOUT_MS = 10_000;
/** Reconnect attempts back off from 50 ms to this: a Redis that came back is used again within half a second. */
const RECONNECT_MAX_MS = 500;
/** A single connection attempt; a Redis that cannot accept within this is as good as down. */
const CONNECT_ATTEMPT_MS = 2000;

export async function createStore(
  url: string,
  { dataDir, logger, namespacePrefix = '', connectTimeoutMs = DEFAULT_STORE_CONNECT_TIMEOUT_MS }: StoreOptions,
): Promise<Store> {
  const scheme = url.slice(0, url.indexOf('://'));
  const log = logger.child({ component: 'store' });
  if (scheme === 'memory')
    return keyvStore(
      'memory',
      'memory',
      null,
      (name) => new Keyv({ namespace: name, ...VALUE_CODEC }),
      log,
      namespacePrefix,
    );
  if (scheme === 'sqlite') {
    const path = sqlitePath(url, dataDir);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Each backend's client is loaded when a store uses it: a SQLite gateway never loads the Redis client.
    const { default: KeyvSqlite } = await import('@keyv/sqlite');
    const open = (name: string) =>
      new KeyvSqlite({ uri: `sqlite://${path}`, table: `gw_${name.replace(/\W/g, '_')}`, busyTimeout: 5000 });
    // Write-ahead log, synced at checkpoints: a write is a commit to the log, not an fsync of the file (measured,
    // 0.2 to 4 ms per write on this kind of host, three writes per chat turn). A process that crashes or is killed
    // loses nothing committed; only a power loss may take the last commits. The mode is the file's, set once
    // before the namespaces open their own connections; `synchronous` is each connection's.
    const boot = open('health');
    await boot.query('PRAGMA journal_mode = WAL').catch((error: Error) => {
      log.warn({ err: error.message }, 'SQLite write-ahead log not available; using the rollback journal');
    });
    await boot.close();
    const make = (name: string) => {
      const store = open(name);
      store.query('PRAGMA synchronous = NORMAL').catch((error: Error) => {
        log.warn({ err: error.message }, 'could not set SQLite synchronous = NORMAL');
      });
      return new Keyv({ store, namespace: name, ...VALUE_CODEC });
    };
    return keyvStore('sqlite', path, null, make, log, namespacePrefix);
  }
  if (scheme === 'redis' || scheme === 'rediss') {
    const { default: KeyvRedis, createClient } = await import('@keyv/redis');
    const client = await connectRedis(createClient, url, log, connectTimeoutMs);
    const make = (name: string) =>
      new Keyv({
        store: new KeyvRedis(client, {
          namespace: namespacePrefix + name,
          throwOnErrors: true,
          throwOnConnectError: true,
        }),
        namespace: namespacePrefix + name,
        useKeyPrefix: false,
        ...VALUE_CODEC,
      });
    return keyvStore('redis', redactUrl(url), client, make, log, namespacePrefix);
  }
  throw new Error(`unsupported store URL scheme '${scheme}'`);
}

/**
 * The shared Redis client. Commands never wait for a connection: with the offline queue disabled, a command issued
 * while the client is reconnecting fails at once (503 store_unavailable in the caller) instead of being sent when
 * Redis is back, long after its request was answered. Start-up waits at most `connectTimeoutMs` for Redis.
 */
async function connectRedis(
  createClient: typeof import('@keyv/redis').createClient,
  url: string,
  log: Logger,
  connectTimeoutMs: number,
): Promise<RedisClientType> {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: Math.min(CONNECT_ATTEMPT_MS, connectTimeoutMs),
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, RECONNECT_MAX_MS),
    },
  }) as RedisClientType;
  const where = redactUrl(url);
  let lastError: string | null = null;
  let up = false;
  // One line when the connection is lost and one when it is back, not one per reconnect attempt.
  client.on('error', (error: Error) => {
    lastError = error.message;
    if (up) log.warn({ store: where, err: error.message }, 'store connection lost; commands fail until it is back');
    else log.debug({ store: where, err: error.message }, 'store not reachable yet');
    up = false;
  });
  client.on('ready', () => {
    if (lastError !== null) log.info({ store: where }, 'store connection back');
    up = true;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), connectTimeoutMs);
  });
  try {
    await Promise.race([client.connect(), timeout]);
    return client;
  } catch (error) {
    client.destroy();
    const why = lastError ?? (error instanceof Error && error.message !== 'timeout' ? error.message : 'no answer');
    throw new Error(`store ${where} unreachable after ${connectTimeoutMs / 1000} s (${why})`);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether an error is the Redis client's own (not connected, connection lost, command timed out): 503, not 500. */
export function isStoreConnectionError(error: unknown): boolean {
  return error instanceof Error && STORE_CONNECTION_ERRORS.has(error.constructor.name);
}

const STORE_CONNECTION_ERRORS: ReadonlySet<string> = new Set([
  'ClientOfflineError',
  'ClientClosedError',
  'SocketClosedUnexpectedlyError',
  'ConnectionTimeoutError',
  'SocketTimeoutError',
  'TimeoutError',
  'ReconnectStrategyError',
  'DisconnectsClientError',
]);

function keyvStore(
  backend: StoreBackend,
  location: string,
  redis: RedisClientType | null,
  make: (name: string) => Keyv,
  log: Logger,
  prefix: string,
): Store {
  const spaces = new Map<string, Keyv>();
  const namespace = <T>(name: string): Keyv<T> => {
    let keyv = spaces.get(name);
    if (!keyv) {
      keyv = make(name);
      keyv.throwOnErrors = true;
      // Keyv also emits errors; without a listener an emitter 'error' would crash the process.
      keyv.on('error', (error: Error) => log.warn({ namespace: name, err: error.message }, 'store error'));
      spaces.set(name, keyv);
    }
    return keyv as Keyv<T>;
  };
  return {
    backend,
    location,
    redis,
    prefix,
    namespace,
    async ping() {
      const started = performance.now();
      const probe = namespace<number>('health');
      await probe.set('ping', Date.now(), 60_000);
      await probe.get('ping');
      return performance.now() - started;
    },
    async close() {
      await Promise.allSettled([...spaces.values()].map((keyv) => keyv.disconnect()));
      if (redis?.isOpen) await redis.quit().catch(() => undefined); // already closing: nothing to release
    },
  };
}

function sqlitePath(url: string, dataDir: string): string {
  const rest = url.slice('sqlite://'.length);
  if (!rest) return resolve(dataDir, 'gateway.sqlite');
  return isAbsolute(rest) ? rest : resolve(rest);
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis'; // unparsable URL: say nothing that could leak a secret
  }
}
