/*
 * RDB persistence: the dataset written to `dir`/`dbfilename` (SAVE, BGSAVE, save points,
 * SHUTDOWN, DEBUG RELOAD) and read back at start-up, in Redis 7.0's file format
 * (engine/rdb/rdb-file.ts). The numbered databases and the function libraries are saved;
 * namespaces (KV.NS) are not part of an RDB file.
 *
 * There is no fork: a snapshot is taken in one turn of the event loop (BGSAVE included), so it
 * is consistent, and a large dataset stalls the loop while it is serialized (docs/compatibility.md).
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readRdb, RdbError, writeRdb, type RdbDatabase, type RdbRecord } from '../engine/rdb/rdb-file.js';
import type { RdbLimits } from '../engine/rdb/rdb-value.js';
import { TTL_BIT } from '../engine/shard.js';
import type { Database } from '../engine/keyspace.js';
import type { ServerContext } from './server-context.js';
import { REDIS_VERSION } from './version.js';

/** What INFO persistence reports about saving, kept by the server. */
export class PersistenceState {
  /** the keyspace's dirty counter at the last successful save (rdb_changes_since_last_save) */
  dirtyAtSave = 0;
  saves = 0;
  lastStatus: 'ok' | 'err' = 'ok';
  /** seconds the last save took, -1 before the first */
  lastSaveSeconds = -1;
  /** Unix seconds of the last save attempt (save points retry a failed save after 5 s, as Redis) */
  lastAttempt = 0;
}

export function rdbLimitsOf(server: ServerContext): RdbLimits {
  const config = server.config;
  return {
    hashEntries: config.int('hash-max-listpack-entries'),
    hashValue: config.int('hash-max-listpack-value'),
    setIntsetEntries: config.int('set-max-intset-entries'),
    zsetEntries: config.int('zset-max-listpack-entries'),
    zsetValue: config.int('zset-max-listpack-value'),
    listFill: config.int('list-max-listpack-size'),
    listCompressDepth: config.int('list-compress-depth'),
  };
}

export const rdbPath = (server: ServerContext): string => join(server.config.get('dir'), server.config.get('dbfilename'));

/** Every record of `db` as the RDB file takes it (expired keys not yet removed included). */
export function* recordsOf(db: Database): Generator<RdbRecord> {
  for (const shard of db.shards) {
    for (const a of shard.addresses()) {
      const key = shard.keyOf(a);
      const expireAt = shard.meta(a) & TTL_BIT ? shard.expiryOf(a) : -1;
      yield { key, value: db.valueIn(shard, a, key), expireAt, idle: -1, freq: -1 };
    }
  }
}

/** The RDB file image of the whole dataset now (`aofBase`: as an append-only file's base). */
export function snapshot(server: ServerContext, libraries: readonly string[], aofBase = false): Uint8Array {
  const now = server.clock.now();
  const aux: Array<[string, string]> = [
    ['redis-ver', REDIS_VERSION],
    ['redis-bits', '64'],
    ['ctime', String(Math.floor(now / 1000))],
    ['used-mem', String(process.memoryUsage.rss())],
    ['aof-base', aofBase ? '1' : '0'],
  ];
  const dbs: RdbDatabase[] = [];
  for (const db of server.keyspace.dbs) if (db.size !== 0) dbs.push({ id: db.id, records: recordsOf(db) });
  return writeRdb(aux, libraries, dbs, rdbLimitsOf(server));
}

/**
 * Writes the dataset to the RDB file (a temporary file, fsynced, then renamed over it, as Redis).
 * Returns null, or the reason it failed (also logged).
 */
export function saveDataset(server: ServerContext, libraries: readonly string[], counted = true): string | null {
  const started = performance.now();
  const state = server.persistence;
  const path = rdbPath(server);
  const temp = join(server.config.get('dir'), `temp-${process.pid}.rdb`);
  state.lastAttempt = Math.floor(server.clock.now() / 1000);
  try {
    const bytes = snapshot(server, libraries);
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was created
    }
    state.lastStatus = 'err';
    const reason = (e as Error).message;
    server.log.warning(`Failed saving the DB: ${reason}`);
    return reason;
  }
  state.dirtyAtSave = server.keyspace.stats.dirty;
  if (counted) state.saves++;
  state.lastStatus = 'ok';
  state.lastSaveSeconds = Math.round((performance.now() - started) / 1000);
  server.lastSave = Math.floor(server.clock.now() / 1000);
  server.log.notice('DB saved on disk');
  return null;
}

export interface LoadResult {
  keys: number;
  expired: number;
  libraries: string[];
}

/**
 * Loads the RDB file into the keyspace (keys already expired are skipped). Without `merge`, a key
 * that exists already is an error (the load stops there; DEBUG RELOAD NOFLUSH without MERGE).
 * Returns what it loaded (the libraries' code for the caller to install), or an error text.
 */
export function loadDataset(server: ServerContext, merge: boolean): LoadResult | string {
  const path = rdbPath(server);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return `Error opening the RDB file ${server.config.get('dbfilename')} (in server root dir ${server.config.get('dir')}) for reading: ${(e as Error).message}`;
  }
  return loadImage(server, bytes, merge);
}

/** loadDataset of the RDB image `bytes` (a file's, or an append-only file's base). */
export function loadImage(server: ServerContext, bytes: Uint8Array, merge: boolean): LoadResult | string {
  const now = server.clock.now();
  let contents;
  try {
    contents = readRdb(bytes, rdbLimitsOf(server), now, server.config.get('rdbchecksum') === 'yes' && !server.skipChecksum);
  } catch (e) {
    if (e instanceof RdbError) return e.message;
    throw e;
  }
  const result: LoadResult = { keys: 0, expired: 0, libraries: contents.libraries };
  for (const file of contents.databases) {
    const db = server.keyspace.byId(file.id);
    if (db === undefined || file.id < 0) return `FATAL: Data file was created with a Redis server configured to handle more than ${server.keyspace.dbs.length} databases. Exiting`;
    for (const rec of file.records) {
      if (db.lookupWrite(rec.key, now) !== undefined) {
        if (!merge) return `RDB has duplicated key '${rec.key}' in DB ${db.id}`;
        db.delete(rec.key);
      }
      db.set(rec.key, rec.value);
      if (rec.expireAt !== -1) db.setExpire(rec.key, rec.expireAt);
      // a small collection stored by `set` is packed now, as after a command
      server.keyspace.settle();
      result.keys++;
    }
  }
  server.persistence.dirtyAtSave = server.keyspace.stats.dirty;
  return result;
}

/** Whether the RDB file exists (start-up loads it only then). */
export const rdbExists = (server: ServerContext): boolean => existsSync(rdbPath(server));

/** The save points (`save` config) one of which is due at `nowSeconds`. */
export function savePointDue(server: ServerContext, nowSeconds: number): boolean {
  const points = server.config.get('save');
  if (points === '') return false;
  const state = server.persistence;
  const changes = server.keyspace.stats.dirty - state.dirtyAtSave;
  // after a failed save, wait 5 seconds before the next attempt (Redis's CONFIG_BGSAVE_RETRY_DELAY)
  if (state.lastStatus === 'err' && nowSeconds - state.lastAttempt <= 5) return false;
  const parts = points.split(' ').map(Number);
  for (let i = 0; i + 1 < parts.length; i += 2) {
    if (changes >= parts[i + 1]! && nowSeconds - server.lastSave > parts[i]!) return true;
  }
  return false;
}
