/*
 * A pool of client connections on generic-pool: min/max size, acquire timeout, idle timeout with
 * a periodic eviction run, a health check (PING) when a connection is borrowed, and statistics.
 */
import genericPool from 'generic-pool';
import { KvClient, parseUrl, type ConnectOptions } from './client.js';

export interface PoolOptions extends ConnectOptions {
  /** connections kept open (default 0) */
  min?: number;
  /** most connections (default 10) */
  max?: number;
  /** acquire() fails after this long without a free connection (default 0: waits) */
  acquireTimeoutMs?: number;
  /** an idle connection above `min` is closed after this long (default 30000 ms) */
  idleTimeoutMs?: number;
  /** how often idle connections are checked (default 1000 ms; 0: never) */
  evictionIntervalMs?: number;
  /** PING a connection before handing it out; a failed one is replaced (default true) */
  healthCheck?: boolean;
}

export interface PoolStats {
  /** connections open and free */
  idle: number;
  /** connections handed out */
  active: number;
  /** acquire() calls waiting */
  waiting: number;
  /** open connections (idle + active + being created) */
  size: number;
  min: number;
  max: number;
}

const asyncDispose: typeof Symbol.asyncDispose =
  (Symbol as { asyncDispose?: typeof Symbol.asyncDispose }).asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);

export class KvPool {
  private readonly pool: genericPool.Pool<KvClient>;

  constructor(url: string | URL, opts: PoolOptions = {}) {
    const target = parseUrl(url);
    const { min = 0, max = 10, acquireTimeoutMs, idleTimeoutMs = 30_000, evictionIntervalMs = 1000, healthCheck = true, ...connectOpts } = opts;
    this.pool = genericPool.createPool<KvClient>(
      {
        create: async () => {
          // a pooled connection does not reconnect by itself: the pool replaces a broken one
          const c = new KvClient(target, { reconnect: false, ...connectOpts });
          await c.ready();
          return c;
        },
        destroy: (c) => c.close(),
        validate: async (c) => {
          if (!c.connected) return false;
          try {
            await c.ping();
            return true;
          } catch {
            return false;
          }
        },
      },
      {
        min,
        max,
        acquireTimeoutMillis: acquireTimeoutMs,
        idleTimeoutMillis: idleTimeoutMs,
        evictionRunIntervalMillis: evictionIntervalMs,
        testOnBorrow: healthCheck,
        autostart: true,
      },
    );
  }

  /** A connection for your exclusive use; give it back with `release`. */
  acquire(): Promise<KvClient> {
    return this.pool.acquire() as Promise<KvClient>;
  }

  release(c: KvClient): Promise<void> {
    return this.pool.release(c) as Promise<void>;
  }

  /** Closes `c` instead of returning it (after an error that left it unusable). */
  destroy(c: KvClient): Promise<void> {
    return this.pool.destroy(c) as Promise<void>;
  }

  /** Runs `fn` with a connection and releases it afterwards. */
  async use<T>(fn: (c: KvClient) => Promise<T>): Promise<T> {
    const c = await this.acquire();
    try {
      return await fn(c);
    } finally {
      await this.release(c);
    }
  }

  stats(): PoolStats {
    const p = this.pool;
    return { idle: p.available, active: p.borrowed, waiting: p.pending, size: p.size, min: p.min, max: p.max };
  }

  /** Waits for borrowed connections to come back, then closes every connection. */
  async close(): Promise<void> {
    await this.pool.drain();
    await this.pool.clear();
  }

  async [asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** `createPool('kv://host:6381', { min: 1, max: 8 })`. */
export function createPool(url: string | URL, opts: PoolOptions = {}): KvPool {
  return new KvPool(url, opts);
}
