/*
 * A client's state as commands see it: selected database, protocol, name, authentication and
 * the reply writer. It knows nothing of sockets; the listener that created it supplies `close`.
 */
import type { Database } from '../engine/keyspace.js';
import type { Waiter } from './blocking.js';
import type { Reply } from '../resp/writer.js';
import type { ServerContext } from './server-context.js';
import type { CommandSpec } from './command-types.js';
import type { WatchedKey } from './watch.js';
import type { TrackingState } from './tracking.js';
import type { AclUser } from '../security/acl-user.js';

export interface ClientConnection {
  /** peer address as `ip:port` */
  addr: string;
  /** local address as `ip:port` */
  laddr: string;
  fd: number;
  /** Closes the connection once pending replies are written. */
  close(): void;
  /** Sets the protocol version the reply writer speaks. */
  setProto(proto: 2 | 3): void;
  /** Has what the writer holds written at the end of this event-loop turn (replies written outside
   *  the client's own request, e.g. MONITOR lines). */
  flushSoon(): void;
  /** Bytes of input held for an incomplete command, and of replies not yet written. */
  queryBufferBytes(): number;
  outputBufferBytes(): number;
  /** Runs the commands that waited while the client was suspended (a busy script ended). */
  resume?(): void;
  /** The client's blocking command has finished (blocking.ts): run the commands its input holds. */
  unblocked(): void;
  /** CLIENT LIST's memory fields, as Redis's names: qbuf-free, argv-mem (of an incomplete
   *  command), obl (replies not yet handed to the socket), oll/omem (handed, not yet sent), rbs,
   *  rbp; and whether the connection reads (events `r`) and has output waiting (`w`). */
  memoryFields(): ConnectionMemory;
  /** Closes at once, dropping replies not yet written (a client over its output buffer limit). */
  destroy(): void;
}

export interface ConnectionMemory {
  qbufFree: number;
  argvMem: number;
  obl: number;
  oll: number;
  omem: number;
  rbs: number;
  rbp: number;
  reading: boolean;
  writing: boolean;
}

/** CLIENT REPLY's modes; the connection drops replies accordingly after each command. */
export enum ReplyMode {
  On = 0,
  Off = 1,
  /** set by CLIENT REPLY SKIP: becomes Skip once that command is done */
  SkipNext = 2,
  /** the replies of this command are dropped */
  Skip = 3,
  /** set by SYNC/PSYNC: this command's reply goes out, then every reply is dropped (Off) */
  OffNext = 4,
}

/** A transaction in progress (after MULTI): the queued commands, and whether one was rejected. */
export interface MultiState {
  /** the queued commands: their rows and, at the same index, their argv (no object per command) */
  specs: CommandSpec[];
  argvs: string[][];
  /** a command was rejected while queueing (unknown, arity, NOAUTH…): EXEC answers EXECABORT */
  aborted: boolean;
  /** a queued command may replicate: CLIENT PAUSE WRITE holds the EXEC (Redis's mstate.cmd_flags) */
  mayReplicate: boolean;
}

/** A client's pub/sub subscriptions (null on the client while it has none). */
export interface Subscriptions {
  channels: Set<string>;
  patterns: Set<string>;
  shardChannels: Set<string>;
}

export class Client {
  name = '';
  libName = '';
  libVer = '';
  /** the selected database's id: its index, or a namespace's negative id (KV.NS USE) */
  dbIndex = 0;
  db: Database;
  /**
   * The namespace this connection may not leave (an ACL user bound to a namespace: see
   * commands/namespaces.ts enterNamespace); null when unbound. SELECT, KV.NS USE of another name,
   * SWAPDB, FLUSHALL, MOVE and COPY … DB then answer NOPERM.
   */
  boundNamespace: string | null = null;
  authenticated: boolean;
  /** the ACL user the client runs as (`default` until AUTH/HELLO AUTH; RESET goes back to it) */
  user: AclUser;
  /** the time of the command being run: read once by dispatch */
  now = 0;
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = 'NULL';
  /** set by QUIT or a protocol error: stop reading, write the replies, close */
  closeAfterReply = false;
  noEvict = false;
  monitor = false;
  /** CLIENT REPLY ON|OFF|SKIP (the connection drops replies; handlers never look) */
  replyMode: ReplyMode = ReplyMode.On;
  /** CLIENT NO-TOUCH: this client's reads leave keys' access clocks alone (except TOUCH) */
  noTouch = false;
  /** a command of this client waits for CLIENT PAUSE to end */
  held = false;
  /** a script this client started is still running (past busy-reply-threshold): its connection
   *  runs nothing else for it until `conn.resume()` */
  suspended = false;
  /** the protocol the client chose with HELLO (CLIENT LIST's resp=; replies follow it in the writer) */
  private protoVersion: 2 | 3 = 2;
  /**
   * What the running command propagates instead of its own argv, when it rewrote itself (see
   * `rewrite`); reset by dispatch before each command.
   */
  rewritten: string[][] | null = null;
  /** MULTI's queue; null when not in a transaction (dispatch's slow branch tests it) */
  multi: MultiState | null = null;
  /** the keys this client WATCHes (watch.ts); null when none */
  watched: WatchedKey[] | null = null;
  /** a watched key was modified (Redis's CLIENT_DIRTY_CAS): EXEC will answer the null array */
  watchDirty = false;
  /** the scripting engine's client (Redis's CLIENT_SCRIPT): commands a script calls run on it */
  script = false;
  /** true while EXEC (or a script) runs this client's commands: blocking commands must not block */
  denyBlocking = false;
  /** pub/sub subscriptions; null when none (dispatch's slow branch tests it) */
  subscriptions: Subscriptions | null = null;
  /** a replica (it sent SYNC/PSYNC): core/replication-feed.ts writes it the replication stream */
  replica = false;
  /** client-output-buffer-limit's soft limit: when it was first exceeded (0: it is not) */
  softLimitSince = 0;
  /** client-side caching (CLIENT TRACKING); null when off */
  tracking: TrackingState | null = null;
  /** while blocked by BLPOP and friends (core/blocking.ts): where it waits; the connection runs
   *  none of its further commands until this is null again */
  blockedBy: Waiter | null = null;

  constructor(
    readonly server: ServerContext,
    readonly id: number,
    readonly reply: Reply,
    readonly conn: ClientConnection,
  ) {
    this.db = server.keyspace.dbs[0]!;
    this.user = server.acl.defaultUser;
    this.authenticated = !server.acl.authRequired;
    this.createdAt = this.lastInteraction = server.clock.now();
  }

  get proto(): 2 | 3 {
    return this.protoVersion;
  }

  /** Switches the protocol of this client's replies (HELLO, RESET). */
  setProto(proto: 2 | 3): void {
    this.protoVersion = proto;
    this.conn.setProto(proto);
  }

  /**
   * Signals a keyspace event for `key` in the selected database, as Redis's notifyKeyspaceEvent:
   * `cls` is the class character ('g' generic, '$' string, 'l' list, 's' set, 'h' hash, 'z'
   * sorted set, 'x' expired, 't' stream, 'n' new key), `event` Redis's exact event name ('lpush',
   * 'del', 'expire'…). Families call it wherever Redis does; `db` when the key is in another
   * database than the selected one (MOVE's move_to, COPY … DB's copy_to).
   */
  notify(cls: string, event: string, key: string, db: number | string = this.db.label): void {
    const notifier = this.server.notifier;
    if (notifier !== null) notifier(cls, event, key, db);
  }

  /**
   * Propagates `argv` in place of the running command (Redis's rewriteClientCommandVector, or
   * alsoPropagate when called more than once): a relative expiry made absolute, INCRBYFLOAT as
   * SET … KEEPTTL. Called with no argument, the command propagates nothing. Costs nothing when no
   * one consumes the effects stream.
   */
  rewrite(...argv: string[]): void {
    if (this.server.effects === null) return;
    if (this.rewritten === null) this.rewritten = [];
    if (argv.length !== 0) this.rewritten.push(argv);
  }

  /** Selects the database with id `index`: a numbered database, or a namespace (negative id). */
  select(index: number): void {
    const db = index >= 0 ? this.server.keyspace.dbs[index] : this.server.keyspace.byId(index);
    if (db === undefined) throw new RangeError(`no database with id ${index}`);
    this.dbIndex = index;
    this.db = db;
  }

  /** Selects `db` (a numbered database or a namespace). */
  useDatabase(db: Database): void {
    this.dbIndex = db.id;
    this.db = db;
  }
}
