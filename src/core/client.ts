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
    return this.reply.proto;
  }

  select(index: number): void {
    this.dbIndex = index;
    this.db = this.server.keyspace.dbs[index]!;
  }
}
