/*
 * What KV.LOCK keeps beside the keyspace (commands/locks.ts): the fencing token of each held lock,
 * the source of tokens, and the timers that wake lock waiters when a holder's TTL runs out.
 *
 * Tokens: every acquisition gets `max(last + 1, now × 1000)` — one counter for all locks, so a
 * lock's tokens strictly increase, and seeded from the wall clock in microsecond units, so that
 * after a restart (there is no persistence yet) the new tokens exceed every token of the previous
 * run. That holds as long as the server issued fewer than 1000 tokens per millisecond on average
 * (the counter never ran ahead of the clock) and the wall clock does not step back across the
 * restart. Tokens stay below 2^53 until the year 2255.
 *
 * A token is forgotten when its key is modified by anything but the lock commands (deleted,
 * expired, overwritten, flushed): the modification hook (server-context.ts onModified) is
 * listened to only while some lock has a token, so writes cost nothing otherwise.
 */
import type { Database } from '../engine/keyspace.js';
import type { ServerContext } from './server-context.js';

export class LockState {
  /** per database: lock key → its fencing token */
  private readonly tokens = new Map<Database, Map<string, number>>();
  private count = 0;
  private lastToken = 0;
  private stopListening: (() => void) | null = null;
  /** per database: lock key → the timer armed at its holder's expiry time (while waiters wait) */
  private readonly timers = new Map<Database, Map<string, ExpiryTimer>>();
  /** set while a lock command writes its own key: the hook leaves the token alone */
  writing = false;

  constructor(private readonly server: ServerContext) {}

  /** The fencing token of the lock at `key`, or undefined when it was not taken by KV.LOCK. */
  tokenOf(db: Database, key: string): number | undefined {
    return this.tokens.get(db)?.get(key);
  }

  /** Issues the next token at time `now` (ms) for the lock at `key` and records it. */
  issue(db: Database, key: string, now: number): number {
    const token = Math.max(this.lastToken + 1, now * 1000);
    this.lastToken = token;
    let map = this.tokens.get(db);
    if (map === undefined) this.tokens.set(db, (map = new Map()));
    if (!map.has(key)) this.counted(1);
    map.set(key, token);
    return token;
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

  private modified(db: Database, key: string | null): void {
    if (this.writing) return;
    const map = this.tokens.get(db);
    if (map === undefined) return;
    if (key === null) {
      const n = map.size;
      this.tokens.delete(db);
      for (let i = 0; i < n; i++) this.counted(-1);
    } else if (map.delete(key)) {
      if (map.size === 0) this.tokens.delete(db);
      this.counted(-1);
    }
  }

  /**
   * Arms (once per lock) a timer at the expiry time of `key`, for the clients now waiting on it:
   * when it fires the key is looked up (expiring it on time, which makes it ready for them) and
   * the ready keys are served. A renewed lock re-arms at its new time; the timer stops once no one
   * waits on the key.
   */
  wakeOnExpiry(db: Database, key: string): void {
    let map = this.timers.get(db);
    if (map === undefined) this.timers.set(db, (map = new Map()));
    const armed = map.get(key);
    if (armed !== undefined) {
      // armed for an earlier holder: keep it only if it fires no later than this one expires
      const at = db.expireAt(key);
      if (at === undefined || armed.at <= at) return;
      clearTimeout(armed.timer);
    }
    this.arm(db, key, map);
  }

  private arm(db: Database, key: string, map: Map<string, ExpiryTimer>): void {
    const server = this.server;
    const at = db.expireAt(key);
    // no TTL: only a write can free the key, and writes wake the waiters
    if (at === undefined || server.blocking.waitersOn(db, key) === 0) {
      map.delete(key);
      if (map.size === 0) this.timers.delete(db);
      return;
    }
    const delay = Math.max(1, Math.min(at - server.clock.now(), 2 ** 31 - 1));
    const timer = setTimeout(() => {
      const now = server.clock.now();
      db.lookupWrite(key, now);
      if (server.blocking.hasReady) server.blocking.serveReady(now);
      this.arm(db, key, map);
    }, delay);
    timer.unref();
    map.set(key, { timer, at });
  }
}

interface ExpiryTimer {
  timer: NodeJS.Timeout;
  /** the expiry time it was armed for */
  at: number;
}

const states = new WeakMap<ServerContext, LockState>();

/** The lock state of `server`, created on first use. */
export function lockStateOf(server: ServerContext): LockState {
  let state = states.get(server);
  if (state === undefined) states.set(server, (state = new LockState(server)));
  return state;
}
