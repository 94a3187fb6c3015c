/*
 * Blocking operations (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP; later BZPOPMIN/BZPOPMAX/BZMPOP
 * and lock waits), after Redis's blocked.c. A command that finds nothing to do calls `block` with
 * the keys it waits on, a deadline and a `serve` callback, and replies nothing. The client is then
 * queued on each key, first come first served; its connection runs none of its further commands
 * until it is unblocked.
 *
 * Wake-ups come from the keyspace's one write path: every modification of a key someone waits on
 * (push, RENAME onto it, a flush or swap: every key of the database) puts the key on the ready
 * list — nothing polls. After each command dispatch calls `serveReady`: for each ready key, in the
 * order they became ready, the waiters are offered the key in the order they blocked; `serve`
 * re-checks it (type, emptiness) and, if it can, does the work, replies and returns true, and the
 * client is unblocked (its reply flushed, its buffered commands resumed). Serving stops for a key
 * once it no longer exists. What a served command propagates is what it passed to `c.rewrite`
 * (the pop itself, never the blocking command), emitted to the effects stream as it is served.
 * Writes made while serving (BLMOVE's push) make their keys ready in turn, so chains resolve in
 * the same call.
 *
 * Timeouts: one heap of deadlines and one timer armed for the earliest; a client that times out
 * gets its request's `timedOut` reply (the null array by default). CLIENT UNBLOCK and a
 * disconnect remove a waiter everywhere at once. Blocked clients cost nothing until woken: a
 * modification of a key no one waits on costs one size check.
 *
 * MULTI/EXEC and scripts must not block: they set `Client.denyBlocking` while running commands,
 * and a blocking command that finds nothing then replies as if it had timed out.
 */
import type { Database } from '../engine/keyspace.js';
import type { LongDouble } from '../engine/long-double.js';
import { parseLongDouble } from '../engine/long-double.js';
import { Err } from '../resp/errors.js';
import { performance } from 'node:perf_hooks';
import type { Client } from './client.js';
import type { CommandSpec } from './command-types.js';
import { recordServed } from './dispatch.js';
import type { ServerContext } from './server-context.js';

/** What a blocking command hands to `block`. */
export interface BlockRequest {
  /** the keys waited on, in the command's order (a key given twice counts once) */
  readonly keys: readonly string[];
  /** absolute deadline in ms (as `parseTimeout` returns it); 0 waits forever */
  readonly deadline: number;
  /**
   * Offered `key` (one of `keys`) when it may be ready, with `c.now` set to the serving time and
   * `c.db` the database the client blocked in. Re-checks the key and, when it can serve, does the
   * work, replies through `c.reply` (an error reply also counts), notifies, calls `c.rewrite` with
   * what the work propagates, and returns true: the client is unblocked. Returns false (having
   * changed nothing and replied nothing) to keep waiting.
   */
  serve(c: Client, key: string): boolean;
  /** Replies the timeout (also CLIENT UNBLOCK … TIMEOUT). Default: the null array. */
  timedOut?(c: Client): void;
}

/** A blocked client: its request and where it is queued. */
export class Waiter {
  /** position in the timeout heap, -1 when not there */
  heapIndex = -1;
  readonly deadline: number;
  /** the command that blocked and its arguments (set by dispatch; null for a block made elsewhere) */
  spec: CommandSpec | null = null;
  argv: string[] | null = null;
  /** the time its first run took, µs (dispatch's accounting) */
  callUsec = 0;
  constructor(
    readonly client: Client,
    readonly db: Database,
    readonly request: BlockRequest,
    readonly keys: readonly string[],
  ) {
    this.deadline = request.deadline;
  }

  /** Dispatch names the command that blocked: the slow log lists it when it is served. */
  blockedCall(spec: CommandSpec, argv: string[]): void {
    this.spec = spec;
    this.argv = argv;
  }
}

/** The clients waiting on one key of one database, in the order they blocked. */
class KeyQueue {
  readonly waiters = new Set<Waiter>();
  ready = false;
  constructor(
    readonly db: Database,
    readonly key: string,
  ) {}
}

const LLONG_MAX = 9223372036854775807n;
const TWO_64 = 1n << 64n;

/**
 * `ceill(x * 1000)` as Redis computes it in long double (the product rounded to a 64-bit
 * significand, ties to even), as a bigint; null where the cast to long long overflows (it yields
 * LLONG_MIN on x86-64: "timeout is negative").
 */
function ceilMillis(x: LongDouble): bigint | null {
  if (x.inf) return null;
  if (x.mant === 0n) return 0n;
  let p = x.mant * 1000n;
  let e = x.exp;
  let bits = p.toString(2).length;
  if (bits > 64) {
    const shift = BigInt(bits - 64);
    const q = p >> shift;
    const rem = p - (q << shift);
    const half = 1n << (shift - 1n);
    let r = q;
    if (rem > half || (rem === half && (q & 1n) === 1n)) r++;
    if (r === TWO_64) {
      r = TWO_64 >> 1n;
      e++;
    }
    p = r;
    e += Number(shift);
    bits = 64;
  }
  let magnitude: bigint;
  if (e >= 0) {
    if (bits + e > 64) return null;
    magnitude = p << BigInt(e);
  } else if (-e >= bits + 1) {
    magnitude = x.neg ? 0n : 1n; // 0 < |v| < 1: ceil is 1, or -0 for a negative value
    return magnitude;
  } else {
    const shift = BigInt(-e);
    const whole = p >> shift;
    const frac = p - (whole << shift);
    magnitude = x.neg ? whole : whole + (frac !== 0n ? 1n : 0n);
  }
  const v = x.neg ? -magnitude : magnitude;
  if (v > LLONG_MAX || v < -LLONG_MAX - 1n) return null;
  return v;
}

/**
 * Parses a blocking command's timeout (seconds as a long double) at time `now`, as Redis's
 * getTimeoutFromObjectOrReply: the absolute deadline in ms (0: forever), or an error text.
 * A fraction of a millisecond rounds up (0.0001 waits 1 ms; -0.0001 is 0, forever).
 */
export function parseTimeout(arg: string, now: number): number | string {
  const x = parseLongDouble(arg);
  if (x === null) return Err.TIMEOUT_NOT_FLOAT;
  const ms = ceilMillis(x);
  if (ms === null || ms < 0n) return Err.TIMEOUT_NEGATIVE;
  if (ms === 0n) return 0;
  const at = ms + BigInt(now);
  // Redis's sum overflows into a negative deadline, which never fires
  return at > LLONG_MAX ? 0 : Number(at);
}

/** The server's blocked clients, their keys, the ready list and the timeouts. */
export class Blocking {
  /** per database index: key → its queue */
  private readonly queues: Array<Map<string, KeyQueue> | undefined> = [];
  private queuedKeys = 0;
  private ready: KeyQueue[] = [];
  private serving = false;
  /** waiters with a deadline, as a binary min-heap */
  private readonly heap: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  /** blocked clients (INFO blocked_clients) */
  count = 0;

  /** Removes this object's listener from the write path's hook: set while any key has waiters,
   *  so that with nobody blocked the hook costs writes nothing. */
  private stopListening: (() => void) | null = null;

  constructor(private readonly server: ServerContext) {}

  private countKey(delta: 1 | -1): void {
    this.queuedKeys += delta;
    if (this.queuedKeys === 1 && this.stopListening === null) {
      this.stopListening = this.server.onModified((db, key) => this.modified(db, key));
    } else if (this.queuedKeys === 0 && this.stopListening !== null) {
      this.stopListening();
      this.stopListening = null;
    }
  }

  /** Clients blocked with a timeout (INFO clients_in_timeout_table). */
  get withTimeout(): number {
    return this.heap.length;
  }

  /** How many clients wait on `key` of `db` (lock waits check it: first come first served). */
  waitersOn(db: Database, key: string): number {
    const q = this.queues[db.id]?.get(key);
    return q !== undefined && q.db === db ? q.waiters.size : 0;
  }

  /** Whether keys wait to be served (dispatch checks this after each command). */
  get hasReady(): boolean {
    return this.ready.length !== 0;
  }

  /**
   * Blocks `c` (which must not be blocked, nor have `denyBlocking`) on `request.keys` of its
   * selected database. No reply is written; the connection holds the client's further commands.
   */
  block(c: Client, request: BlockRequest): void {
    const keys = [...new Set(request.keys)];
    const w = new Waiter(c, c.db, request, keys);
    let map = this.queues[c.db.id];
    if (map === undefined) map = this.queues[c.db.id] = new Map();
    for (const key of keys) {
      let q = map.get(key);
      if (q === undefined) {
        q = new KeyQueue(c.db, key);
        map.set(key, q);
        this.countKey(1);
      }
      q.waiters.add(w);
    }
    c.blockedBy = w;
    this.count++;
    if (request.deadline !== 0) {
      this.heapPush(w);
      this.armTimer();
    }
  }

  /**
   * Makes `key` of `db` ready for its waiters without a modification of the keyspace (Redis's
   * signalKeyAsReady alone: XGROUP DESTROY wakes XREADGROUP waiters, which WATCH does not see).
   */
  keyReady(db: Database, key: string): void {
    this.modified(db, key);
  }

  /** The write path's hook: a modification of `key` (null: every key) of `db`. */
  private modified(db: Database, key: string | null): void {
    if (this.queuedKeys === 0) return;
    const map = this.queues[db.id];
    if (map === undefined || map.size === 0) return;
    if (key !== null) {
      const q = map.get(key);
      if (q !== undefined && !q.ready) {
        q.ready = true;
        this.ready.push(q);
      }
      return;
    }
    for (const q of map.values()) {
      if (!q.ready) {
        q.ready = true;
        this.ready.push(q);
      }
    }
  }

  /**
   * Serves the ready keys at time `now` (after a command; see the file comment). Keys made ready
   * while serving are served in the same call.
   */
  serveReady(now: number): void {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.ready.length !== 0) {
        const batch = this.ready;
        this.ready = [];
        for (const q of batch) {
          q.ready = false;
          for (const w of q.waiters) {
            if (this.serveOne(w, q.key, now)) this.finish(w);
            if (q.db.lookupWrite(q.key, now) === undefined) break;
          }
        }
      }
    } finally {
      this.serving = false;
    }
  }

  /** Offers `key` to `w`; emits the effects of what it did. Returns whether it was served. */
  private serveOne(w: Waiter, key: string, now: number): boolean {
    const c = w.client;
    const effects = this.server.effects;
    c.now = now;
    c.rewritten = null;
    const errors = c.reply.errors;
    const server = this.server;
    const start = performance.now();
    let served: boolean;
    // the served client is the one whose command runs (tracking: NOLOOP, its invalidations after its reply)
    const caller = server.currentClient;
    server.currentClient = c;
    try {
      served = w.request.serve(c, key);
      // served with an error (XREADGROUP's group destroyed: NOGROUP): a failed call, as Redis
      if (c.reply.errors !== errors) {
        const spec = w.spec ?? server.commandTable.get(c.lastCommand);
        if (spec !== undefined) spec.stats.failed++;
      }
    } catch (e) {
      server.log.warning(`serving a blocked client failed: ${(e as Error).stack ?? e}`);
      c.reply.error(Err.INTERNAL(c.lastCommand, (e as Error).message));
      return true;
    } finally {
      server.currentClient = caller;
      server.keyspace.settle();
    }
    if (served) {
      if (w.spec !== null) recordServed(c, w.spec, w.argv!, w.callUsec, (performance.now() - start) * 1000);
      server.tracking.sendPending(c);
    }
    // serve called c.rewrite (TypeScript cannot see that it may have set this)
    const rewritten = c.rewritten as string[][] | null;
    if (served && effects !== null && rewritten !== null) {
      for (const argv of rewritten) effects(w.db.id, argv);
    }
    c.rewritten = null;
    return served;
  }

  /** Unblocks `w`'s client after its reply: flushes it and resumes its buffered commands. */
  private finish(w: Waiter): void {
    this.remove(w);
    w.client.conn.flushSoon();
    w.client.conn.unblocked();
  }

  /** Removes `w` from every queue and the timeout heap. */
  private remove(w: Waiter): void {
    const map = this.queues[w.db.id]!;
    for (const key of w.keys) {
      const q = map.get(key);
      if (q === undefined) continue;
      q.waiters.delete(w);
      if (q.waiters.size === 0) {
        map.delete(key);
        this.countKey(-1);
      }
    }
    if (w.heapIndex >= 0) this.heapRemove(w);
    w.client.blockedBy = null;
    this.count--;
  }

  /**
   * CLIENT UNBLOCK: unblocks `c` now with its timeout reply, or with `-UNBLOCKED` when
   * `withError`. Returns false when `c` was not blocked.
   */
  unblock(c: Client, withError: boolean): boolean {
    const w = c.blockedBy;
    if (w === null) return false;
    if (withError) c.reply.error(Err.UNBLOCKED);
    else this.replyTimedOut(w);
    this.finish(w);
    return true;
  }

  /** A client that goes away while blocked leaves nothing behind (no reply). */
  disconnected(c: Client): void {
    const w = c.blockedBy;
    if (w !== null) this.remove(w);
  }

  private replyTimedOut(w: Waiter): void {
    if (w.request.timedOut !== undefined) w.request.timedOut(w.client);
    else w.client.reply.nilArray();
  }

  /** Times out every waiter whose deadline is at or before `now`. */
  expireTimeouts(now: number): void {
    while (this.heap.length !== 0 && this.heap[0]!.deadline <= now) {
      const w = this.heap[0]!;
      this.replyTimedOut(w);
      this.finish(w);
    }
  }

  private armTimer(): void {
    if (this.heap.length === 0) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      return;
    }
    const at = this.heap[0]!.deadline;
    if (this.timer !== null && this.timerAt === at) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = at;
    const delay = Math.max(0, Math.min(at - this.server.clock.now(), 2 ** 31 - 1));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.expireTimeouts(this.server.clock.now());
      this.armTimer();
    }, delay);
    this.timer.unref();
  }

  /* The timeout heap, ordered by deadline (ties: the earlier blocked first). */

  private heapPush(w: Waiter): void {
    w.heapIndex = this.heap.length;
    this.heap.push(w);
    this.siftUp(w.heapIndex);
  }

  private heapRemove(w: Waiter): void {
    const heap = this.heap;
    const i = w.heapIndex;
    const last = heap.pop()!;
    w.heapIndex = -1;
    if (last !== w) {
      heap[i] = last;
      last.heapIndex = i;
      this.siftUp(i);
      this.siftDown(last.heapIndex);
    }
    if (i === 0) this.armTimer();
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const w = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.deadline <= w.deadline) break;
      heap[i] = heap[parent]!;
      heap[i]!.heapIndex = i;
      i = parent;
    }
    heap[i] = w;
    w.heapIndex = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const w = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1]!.deadline < heap[child]!.deadline) child++;
      if (heap[child]!.deadline >= w.deadline) break;
      heap[i] = heap[child]!;
      heap[i]!.heapIndex = i;
      i = child;
    }
    heap[i] = w;
    w.heapIndex = i;
  }
}
