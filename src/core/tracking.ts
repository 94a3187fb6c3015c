/*
 * Client-side caching (CLIENT TRACKING), as Redis's tracking.c.
 *
 * Default mode: the keys a tracking client reads with read-only commands (the row's key
 * positions) are remembered in one table, key name → client ids (as Redis, not per database).
 * When a remembered key is modified (the keyspace modification hook), each client that read it
 * gets one invalidation and the key is forgotten. OPTIN tracks only the command after CLIENT
 * CACHING YES, OPTOUT all but the one after CLIENT CACHING NO.
 * BCAST mode: nothing is remembered; every modified key matching one of the client's prefixes
 * (all keys without prefixes) is announced, batched once per event-loop turn.
 * Scripts: a read-only command a script calls remembers the keys the script declares (EVAL's
 * KEYS) for its caller; EVAL_RO and FCALL_RO remember nothing of their own.
 * NOLOOP: no invalidation for keys the client modified itself, from its scripts too (a script's
 * commands run for its caller: `server.currentClient`).
 * Flushes send an invalidation with a null key to every tracking client.
 *
 * An invalidation goes to the client, or to its REDIRECT client: a RESP3 push
 * `>2 invalidate [keys]`, or, for a RESP2 redirect client subscribed to `__redis__:invalidate`,
 * a message on that channel. An invalidation for the client whose command is running is sent
 * after that command's reply, as Redis 7 does.
 *
 * The hook listener is attached only while some client tracks.
 */
import type { Database } from '../engine/keyspace.js';
import type { Client } from './client.js';
import type { CommandSpec } from './command-types.js';
import type { ServerContext } from './server-context.js';
import { keyPositions } from './table.js';

export const INVALIDATE_CHANNEL = '__redis__:invalidate';

export interface TrackingState {
  /** the client invalidations go to; 0 for the client itself */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING YES/NO was given for the next command */
  caching: boolean;
  /** the redirect client went away (flag R; reported once, in RESP3) */
  brokenRedirect: boolean;
  /** BCAST prefixes ('' for all keys) */
  prefixes: string[];
  /** the script command (EVAL, FCALL…) this client is running, and its arguments: the keys it
   *  declares are remembered when the script reads (scriptRead) */
  scriptSpec: CommandSpec | null;
  scriptArgv: string[] | null;
}

interface Prefix {
  clients: Set<Client>;
  /** keys modified since the last broadcast → the client that modified them (null: several or none) */
  keys: Map<string, Client | null>;
}

export class Tracking {
  /** key → ids of the clients that read it */
  private readonly table = new Map<string, Set<number>>();
  private readonly prefixes = new Map<string, Prefix>();
  /** clients with tracking on */
  private readonly clients = new Set<Client>();
  /** invalidations held for the running client until its reply is out */
  private pending: Array<string | null> = [];
  private unlisten: (() => void) | null = null;
  private broadcastScheduled = false;
  private limit = 0;
  /** the table holds more keys than `maxKeys`: the one field dispatch tests (limitTable) */
  overLimit = false;
  /** consecutive limitTable runs that ended still over the limit (more effort next time) */
  private limitRuns = 0;
  /** the totalCommands value of the last flush invalidation (FLUSHALL signals every database) */
  private lastFlushCommand = -1;

  constructor(private readonly server: ServerContext) {}

  /** INFO tracking_clients */
  get clientCount(): number {
    return this.clients.size;
  }

  /** Keys in the table (INFO tracking_total_keys). */
  get keyCount(): number {
    return this.table.size;
  }

  /** Client ids over all keys of the table (INFO tracking_total_items). */
  get itemCount(): number {
    let n = 0;
    for (const ids of this.table.values()) n += ids.size;
    return n;
  }

  get prefixCount(): number {
    return this.prefixes.size;
  }

  /**
   * Turns tracking on for `c` (CLIENT TRACKING ON, options checked by the command). Turning it on
   * again replaces the options and redirect and adds `prefixes`, as Redis's enableTracking; BCAST
   * without prefixes tracks the prefix '' (every key).
   */
  enable(c: Client, opts: Pick<TrackingState, 'redirect' | 'bcast' | 'optin' | 'optout' | 'noloop'>, prefixes: string[]): void {
    const had = c.tracking;
    const all = had === null ? [] : had.prefixes;
    c.tracking = { ...opts, caching: had?.caching ?? false, brokenRedirect: false, prefixes: all, scriptSpec: null, scriptArgv: null };
    if (opts.bcast) {
      for (const p of prefixes.length === 0 ? [''] : prefixes) {
        if (all.includes(p)) continue;
        all.push(p);
        let entry = this.prefixes.get(p);
        if (entry === undefined) this.prefixes.set(p, (entry = { clients: new Set(), keys: new Map() }));
        entry.clients.add(c);
      }
    }
    this.clients.add(c);
    if (this.unlisten === null) {
      const unModified = this.server.onModified((db, key) => this.modified(db, key));
      const unEmptying = this.server.onEmptying((_db, replacedWith) => {
        if (replacedWith === null) this.flushed();
      });
      this.unlisten = () => {
        unModified();
        unEmptying();
      };
    }
  }

  /** Turns tracking off for `c` (CLIENT TRACKING OFF, RESET, disconnection). */
  disable(c: Client): void {
    const t = c.tracking;
    if (t === null) return;
    c.tracking = null;
    // invalidations held for its running command have no one to go to now
    if (c === this.server.currentClient) this.pending = [];
    for (const p of t.prefixes) {
      const entry = this.prefixes.get(p);
      if (entry === undefined) continue;
      entry.clients.delete(c);
      if (entry.clients.size === 0) this.prefixes.delete(p);
    }
    this.clients.delete(c);
    if (this.clients.size === 0 && this.unlisten !== null) {
      this.unlisten();
      this.unlisten = null;
      this.table.clear();
    }
  }

  /** After a read-only command of tracking client `c`: remembers the keys it read. */
  remember(c: Client, spec: CommandSpec, argv: string[]): void {
    const t = c.tracking!;
    if (t.bcast) return;
    if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
    // movable keys (ZUNION, SINTERCARD, SORT_RO…) through the row's key finder, as Redis finds them
    const positions = spec.getKeys !== undefined ? spec.getKeys(argv).map((k) => k.pos) : keyPositions(spec, argv.length);
    for (const i of positions) {
      const key = argv[i]!;
      let ids = this.table.get(key);
      if (ids === undefined) this.table.set(key, (ids = new Set()));
      ids.add(c.id);
    }
    if (this.limit !== 0 && this.table.size > this.limit) this.overLimit = true;
  }

  /**
   * A read-only command of a script that tracking client `caller` runs: the keys the script
   * declares (EVAL's numkeys, FCALL's) are remembered, not those the command read — as Redis 7.0
   * remembers its caller's keys for a script's reads.
   */
  scriptRead(caller: Client): void {
    const t = caller.tracking;
    if (t === null || t.scriptSpec === null) return;
    this.remember(caller, t.scriptSpec, t.scriptArgv!);
  }

  /**
   * After each command `c` sent (not those EXEC runs): CLIENT CACHING applies to one command
   * (or one transaction), and invalidations held for `c` go out after its reply.
   */
  afterCommand(c: Client, spec: CommandSpec): void {
    const t = c.tracking;
    if (t !== null && spec.name !== 'client|caching' && c.multi === null) t.caching = false;
    this.sendPending(c);
  }

  /** Sends the invalidations held for `c` while its command ran (after its reply, as Redis). */
  sendPending(c: Client): void {
    if (this.pending.length === 0) return;
    const keys = this.pending;
    this.pending = [];
    for (const key of keys) this.send(c, key === null ? null : [key]);
  }

  /** `tracking-table-max-keys` (0: no limit), kept in step by the server */
  get maxKeys(): number {
    return this.limit;
  }

  set maxKeys(n: number) {
    this.limit = n;
    this.overLimit = n !== 0 && this.table.size > n;
  }

  /**
   * Keeps the table within `tracking-table-max-keys` (Redis's trackingLimitUsedSlots; dispatch
   * calls it before a command and the cron once per run while `overLimit`): keys past the limit
   * are forgotten, their readers told as if the key had changed. Redis picks them at random, up
   * to 100 a run, 100 more for each run that could not get under the limit; here the
   * longest-remembered go first, with the same effort.
   */
  limitTable(): void {
    const table = this.table;
    const max = this.limit;
    let effort = 100 * (this.limitRuns + 1);
    for (const key of table.keys()) {
      if (table.size <= max || effort-- === 0) break;
      this.invalidate(key);
    }
    this.overLimit = table.size > max;
    this.limitRuns = this.overLimit ? this.limitRuns + 1 : 0;
  }

  /** The modification hook: `key` of `db` changed (null: a flush or swap, handled by `flushed`). */
  private modified(_db: Database, key: string | null): void {
    if (key === null) return;
    if (this.prefixes.size !== 0) this.rememberForBroadcast(key);
    this.invalidate(key);
  }

  /** Forgets `key`, telling each client that read it (Redis's trackingInvalidateKey without broadcast). */
  private invalidate(key: string): void {
    const ids = this.table.get(key);
    if (ids === undefined) return;
    this.table.delete(key);
    const current = this.server.currentClient;
    for (const id of ids) {
      const target = this.server.clients.get(id);
      if (target === undefined || target.tracking === null || target.tracking.bcast) continue;
      if (target.tracking.noloop && target === current) continue;
      if (target === current) this.pending.push(key);
      else this.send(target, [key]);
    }
  }

  /** Every key of a database is gone: every tracking client is told with a null key, once per command. */
  private flushed(): void {
    const marker = this.server.stats.totalCommands;
    if (marker === this.lastFlushCommand) return;
    this.lastFlushCommand = marker;
    const current = this.server.currentClient;
    for (const c of [...this.clients]) {
      if (c === current) this.pending.push(null);
      else this.send(c, null);
    }
    this.table.clear();
  }

  private rememberForBroadcast(key: string): void {
    const current = this.server.currentClient;
    for (const [prefix, entry] of this.prefixes) {
      if (!key.startsWith(prefix)) continue;
      const seen = entry.keys.get(key);
      entry.keys.set(key, seen === undefined ? current : seen === current ? current : null);
    }
    if (!this.broadcastScheduled) {
      this.broadcastScheduled = true;
      setImmediate(() => this.broadcast());
    }
  }

  /** Sends the keys each prefix collected to its clients (Redis does it in beforeSleep). */
  private broadcast(): void {
    this.broadcastScheduled = false;
    for (const entry of this.prefixes.values()) {
      if (entry.keys.size === 0) continue;
      const keys = entry.keys;
      entry.keys = new Map();
      for (const c of [...entry.clients]) {
        let list: string[];
        if (c.tracking?.noloop) {
          list = [];
          for (const [key, by] of keys) if (by !== c) list.push(key);
        } else list = [...keys.keys()];
        if (list.length !== 0) this.send(c, list);
      }
    }
  }

  /**
   * Sends one invalidation for tracking client `c` (keys, or null for a flush) to it or its
   * redirect client (Redis's sendTrackingMessage).
   */
  private send(c: Client, keys: string[] | null): void {
    const t = c.tracking;
    if (t === null) return;
    let target = c;
    let redirected = false;
    if (t.redirect !== 0) {
      const redir = this.server.clients.get(t.redirect);
      if (redir === undefined) {
        if (!t.brokenRedirect) {
          t.brokenRedirect = true;
          if (c.proto === 3) {
            c.reply.push(2);
            c.reply.bulk('tracking-redir-broken');
            c.reply.int(t.redirect);
            c.conn.flushSoon();
          }
        }
        return;
      }
      target = redir;
      redirected = true;
    }
    const r = target.reply;
    if (target.proto === 3) {
      r.push(2);
      r.bulk('invalidate');
    } else if (redirected && target.subscriptions?.channels.has(INVALIDATE_CHANNEL)) {
      r.push(3);
      r.bulk('message');
      r.bulk(INVALIDATE_CHANNEL);
    } else {
      return; // a RESP2 client without redirect cannot be told
    }
    if (keys === null) r.nil();
    else r.bulks(keys);
    target.conn.flushSoon();
  }
}
