/*
 * A client's state as commands see it: selected database, protocol, name, authentication and
 * the reply writer. It knows nothing of sockets; the listener that created it supplies `close`.
 */
import type { Database } from '../engine/keyspace.js';
import type { Reply } from '../resp/writer.js';
import type { ServerContext } from './server-context.js';

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
}

export class Client {
  name = '';
  libName = '';
  libVer = '';
  dbIndex = 0;
  db: Database;
  authenticated: boolean;
  /** the time of the command being run: read once by dispatch */
  now = 0;
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = 'NULL';
  /** set by QUIT or a protocol error: stop reading, write the replies, close */
  closeAfterReply = false;
  noEvict = false;
  monitor = false;
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

  constructor(
    readonly server: ServerContext,
    readonly id: number,
    readonly reply: Reply,
    readonly conn: ClientConnection,
  ) {
    this.db = server.keyspace.dbs[0]!;
    this.authenticated = !server.config.requirepass;
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
   * 'del', 'expire'…). Families call it wherever Redis does.
   */
  notify(cls: string, event: string, key: string): void {
    const notifier = this.server.notifier;
    if (notifier !== null) notifier(cls, event, key, this.db.id);
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

  select(index: number): void {
    this.dbIndex = index;
    this.db = this.server.keyspace.dbs[index]!;
  }
}
