/*
 * `kv-server/client`: the TypeScript client of kv-server's binary protocol (docs/protocol.md).
 *
 *   import { connect } from 'kv-server/client';
 *   const kv = await connect('kv://user:pass@localhost:6381/namespace');
 *   await kv.set('n', 42); await kv.get('n'); // 42 (an Int, with the server's typed values)
 *   await using lock = await kv.lock('job:1', { ttlMs: 30_000 });
 */
export { connect, parseUrl, KvClient, Batch, Decimal, Float } from './client.js';
export type { KvValue, KvInput, KvArg, ConnectOptions, ReconnectOptions, SetOptions, RequestOptions, LockOptions } from './client.js';
export { LockHolder } from './lock.js';
export { createPool, KvPool } from './pool.js';
export type { PoolOptions, PoolStats } from './pool.js';
export { KvError, ConnectionError, TimeoutError, ProtocolError, LockError, ErrorCode } from './errors.js';
