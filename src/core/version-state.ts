/*
 * Key versions (commands/versions.ts): once a key is tracked — written by KV.SETV or read by
 * KV.GETV / KV.VERSION — every modification of it by any command (the write path's
 * modification hook: the same signal WATCH uses) gives it a new version, for any type. Versions
 * come from one counter, `max(last + 1, wall-clock ms × 1000)`, so a key deleted and created
 * again never gets a version it had before, also across a restart (as fencing tokens,
 * lock-state.ts). A tracked key that is deleted, expires or is flushed stops being tracked (its
 * version is 0, a missing key's, until it is tracked again).
 *
 * Untracked keys cost nothing: the hook is listened to only while some key is tracked, and then
 * a modification costs a map lookup per database.
 */
import type { Database } from '../engine/keyspace.js';
import type { ServerContext } from './server-context.js';

export class VersionState {
  private readonly versions = new Map<Database, Map<string, number>>();
  private count = 0;
  private last = 0;
  private stopListening: (() => void) | null = null;

  constructor(private readonly server: ServerContext) {}

  /** The version of `key`, or undefined when it is not tracked. */
  versionOf(db: Database, key: string): number | undefined {
    return this.versions.get(db)?.get(key);
  }

  /** Gives `key` (which exists) a new version and tracks it from now on; returns the version. */
  bump(db: Database, key: string): number {
    let map = this.versions.get(db);
    if (map === undefined) this.versions.set(db, (map = new Map()));
    if (!map.has(key)) this.counted(1);
    const v = this.next();
    map.set(key, v);
    return v;
  }

  private next(): number {
    const server = this.server;
    const now = server.currentClient?.now ?? server.clock.now();
    this.last = Math.max(this.last + 1, now * 1000);
    return this.last;
  }

  private counted(delta: 1 | -1): void {
    this.count += delta;
    if (this.count === 1 && this.stopListening === null) {
      this.stopListening = this.server.onModified((db, key) => this.modified(db, key));
    } else if (this.count === 0 && this.stopListening !== null) {
      this.stopListening();
      this.stopListening = null;
    }
  }

  /** The write path's hook: a tracked key modified gets a new version; one removed is forgotten. */
  private modified(db: Database, key: string | null): void {
    const map = this.versions.get(db);
    if (map === undefined) return;
    if (key === null) {
      const n = map.size;
      this.versions.delete(db);
      for (let i = 0; i < n; i++) this.counted(-1);
      return;
    }
    if (!map.has(key)) return;
    if (db.stored(key)) {
      map.set(key, this.next());
      return;
    }
    map.delete(key);
    if (map.size === 0) this.versions.delete(db);
    this.counted(-1);
  }
}

const states = new WeakMap<ServerContext, VersionState>();

/** The version state of `server`, created on first use. */
export function versionStateOf(server: ServerContext): VersionState {
  let state = states.get(server);
  if (state === undefined) states.set(server, (state = new VersionState(server)));
  return state;
}
