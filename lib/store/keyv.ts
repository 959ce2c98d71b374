// One Keyv factory for the whole gateway: sqlite:// (default), redis:// and memory://, a namespace per kind of state.
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import KeyvRedis, { createClient, type RedisClientType } from '@keyv/redis';
import KeyvSqlite from '@keyv/sqlite';
import { Keyv } from 'keyv';
import type { Logger } from '../log.js';

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
}

export async function createStore(
  url: string,
  { dataDir, logger, namespacePrefix = '' }: StoreOptions,
): Promise<Store> {
  const scheme = url.slice(0, url.indexOf('://'));
  const log = logger.child({ component: 'store' });
  if (scheme === 'memory')
    return keyvStore('memory', 'memory', null, (name) => new Keyv({ namespace: name }), log, namespacePrefix);
  if (scheme === 'sqlite') {
    const path = sqlitePath(url, dataDir);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const make = (name: string) =>
      new Keyv({
        store: new KeyvSqlite({ uri: `sqlite://${path}`, table: `gw_${name.replace(/\W/g, '_')}`, busyTimeout: 5000 }),
        namespace: name,
      });
    return keyvStore('sqlite', path, null, make, log, namespacePrefix);
  }
  if (scheme === 'redis' || scheme === 'rediss') {
    const client = createClient({
      url,
      socket: { connectTimeout: 3000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 3000) },
    }) as RedisClientType;
    client.on('error', (error: Error) => log.warn({ err: error.message }, 'redis client error'));
    await client.connect();
    const make = (name: string) =>
      new Keyv({
        store: new KeyvRedis(client, {
          namespace: namespacePrefix + name,
          throwOnErrors: true,
          throwOnConnectError: true,
        }),
        namespace: namespacePrefix + name,
        useKeyPrefix: false,
      });
    return keyvStore('redis', redactUrl(url), client, make, log, namespacePrefix);
  }
  throw new Error(`unsupported store URL scheme '${scheme}'`);
}

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
