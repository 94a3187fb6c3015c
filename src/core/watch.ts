/*
 * WATCH: which clients watch which keys, and marking them dirty when a watched key changes, as
 * Redis's multi.c. The registry listens to the keyspace's modification hook only while some key
 * is watched, so a server where no one WATCHes pays nothing; while keys are watched, a write to an
 * unwatched key costs one Map lookup.
 *
 * Redis 7 details kept:
 *  - a key that has already expired (but not yet been removed) when WATCHed is flagged `expired`:
 *    its removal by expiry is not a change, but any other write is;
 *  - EXEC fails when a watched key (not flagged) has expired by EXEC's time;
 *  - FLUSHDB/FLUSHALL/SWAPDB dirty a watcher only when the key existed in the emptied database
 *    (or, for SWAPDB, exists in the one replacing it).
 */
import type { Database } from '../engine/keyspace.js';
import type { Client } from './client.js';
import type { ServerContext } from './server-context.js';

export interface WatchedKey {
  readonly client: Client;
  readonly db: Database;
  readonly key: string;
  /** the key had expired (logically) when WATCHed */
  expired: boolean;
}

/** Whether `key` is stored in `db`, expired or not (no lazy expiry, no stats). */
function stored(db: Database, key: string): boolean {
  return db.stored(key);
}

/** Whether `key` is stored in `db` with a TTL that has passed at `now` (Redis's keyIsExpired). */
export function keyIsExpired(db: Database, key: string, now: number): boolean {
  const at = db.expireAt(key);
  return at !== undefined && at <= now;
}

export class WatchRegistry {
  /** per database id: key → the watches on it */
  private readonly byDb = new Map<number, Map<string, Set<WatchedKey>>>();
  private count = 0;
  private unlisten: (() => void) | null = null;
  private unlistenEmptying: (() => void) | null = null;

  constructor(private readonly server: ServerContext) {}

  /** WATCH `key` of `db` for `c` at time `now` (a key already watched by `c` is left as is). */
  watch(c: Client, db: Database, key: string, now: number): void {
    const list = (c.watched ??= []);
    for (const wk of list) if (wk.db === db && wk.key === key) return;
    let keys = this.byDb.get(db.id);
    if (keys === undefined) this.byDb.set(db.id, (keys = new Map()));
    let set = keys.get(key);
    if (set === undefined) keys.set(key, (set = new Set()));
    const wk: WatchedKey = { client: c, db, key, expired: keyIsExpired(db, key, now) };
    set.add(wk);
    list.push(wk);
    if (this.count++ === 0) this.listen();
  }

  /** UNWATCH: forgets every key `c` watches (not its dirty flag). */
  unwatchAll(c: Client): void {
    const list = c.watched;
    if (list === null) return;
    c.watched = null;
    for (const wk of list) {
      const keys = this.byDb.get(wk.db.id)!;
      const set = keys.get(wk.key)!;
      set.delete(wk);
      if (set.size === 0) keys.delete(wk.key);
      if (--this.count === 0) this.stopListening();
    }
  }

  /** EXEC's check: a watched key (not flagged expired at WATCH) has expired by `now`. */
  anyExpired(c: Client, now: number): boolean {
    if (c.watched === null) return false;
    for (const wk of c.watched) if (!wk.expired && keyIsExpired(wk.db, wk.key, now)) return true;
    return false;
  }

  /** How many keys are watched, by all clients (tests). */
  get size(): number {
    return this.count;
  }

  private listen(): void {
    this.unlisten = this.server.onModified((db, key) => {
      if (key !== null) this.touched(db, key);
    });
    this.unlistenEmptying = this.server.onEmptying((db, replacedWith) => this.emptied(db, replacedWith));
  }

  private stopListening(): void {
    this.unlisten?.();
    this.unlistenEmptying?.();
    this.unlisten = this.unlistenEmptying = null;
  }

  /** `key` of `db` was modified (Redis's touchWatchedKey). */
  private touched(db: Database, key: string): void {
    const set = this.byDb.get(db.id)?.get(key);
    if (set === undefined) return;
    const dirty: Client[] = [];
    for (const wk of set) {
      // an already expired key that is now gone (its expiry removed it): no logical change
      if (wk.expired && !stored(db, key)) {
        wk.expired = false;
        continue;
      }
      dirty.push(wk.client);
    }
    for (const c of dirty) this.markDirty(c);
  }

  /** Every key of `db` is about to go (flush), or to be replaced by `replacedWith`'s (SWAPDB). */
  private emptied(db: Database, replacedWith: Database | null): void {
    const keys = this.byDb.get(db.id);
    if (keys === undefined) return;
    const now = this.server.clock.now();
    for (const [key, set] of keys) {
      const existed = stored(db, key);
      const incoming = replacedWith !== null && stored(replacedWith, key);
      if (!existed && !incoming) continue;
      for (const wk of set) {
        if (wk.expired) {
          // the expired key is gone, or replaced by another expired one: no logical change
          if (!incoming) {
            wk.expired = false;
            continue;
          }
          if (keyIsExpired(replacedWith!, key, now)) continue;
        } else if (!existed && keyIsExpired(replacedWith!, key, now)) {
          // a missing key replaced by an expired one
          wk.expired = true;
          continue;
        }
        // not unwatched here: SWAPDB signals both databases, and the sets are being iterated
        wk.client.watchDirty = true;
      }
    }
  }

  private markDirty(c: Client): void {
    c.watchDirty = true;
    this.unwatchAll(c);
  }
}
