/*
 * The replication stream, as Redis's master side of it (replicationFeedSlaves, syncCommand): a
 * client that sends SYNC or PSYNC becomes a replica. It receives the dataset once, as an RDB
 * payload (`$<length>\r\n<bytes>`, after `+FULLRESYNC <replid> <offset>` for PSYNC), then every
 * effect of every write (core/effects.ts) as the RESP command a replica replays, with SELECT
 * before the first one and whenever the database changes, and a PING every
 * repl-ping-replica-period seconds. A replica's own commands run without replies (REPLCONF ACK
 * records its offset).
 *
 * Full resynchronisation only: there is no backlog, so PSYNC with a known replid is answered as
 * a new replica. The snapshot is taken synchronously (as SAVE), so a large dataset holds the event
 * loop while it is encoded; nothing is written in between, so the stream starts exactly after it.
 *
 * The feed consumes the effects stream while a replica is attached; with no consumer
 * `server.effects` is null (nothing is encoded, dispatch keeps its fast path).
 */
import { RespWriter } from '../resp/writer.js';
import type { Client } from './client.js';
import type { EffectSink } from './effects.js';
import type { ServerContext } from './server-context.js';

/** What the feed knows of one replica. */
interface ReplicaState {
  /** REPLCONF listening-port (0 until told) */
  port: number;
  /** the replication offset it last acknowledged (REPLCONF ACK), and when */
  ackOffset: number;
  ackAt: number;
}

const PING = encodeCommand(['PING']);

/** `argv` as a RESP array of bulk strings (arguments are latin1 strings: one char per byte). */
export function encodeCommand(argv: readonly string[]): Buffer {
  let size = 1 + String(argv.length).length + 2;
  for (const a of argv) size += 1 + String(a.length).length + 2 + a.length + 2;
  const out = Buffer.allocUnsafe(size);
  let at = out.latin1Write(`*${argv.length}\r\n`, 0);
  for (const a of argv) {
    at += out.latin1Write(`$${a.length}\r\n`, at);
    at += out.latin1Write(a, at);
    at += out.latin1Write('\r\n', at);
  }
  return out;
}

export class ReplicationFeed {
  readonly replicas = new Map<Client, ReplicaState>();
  /** master_repl_offset: bytes of stream produced so far */
  offset = 0;
  /** the database the stream last selected (-1: the next effect selects) */
  private selected = -1;
  private lastPing = 0;
  /** removes the feed from the effects stream's consumers (while replicas are attached) */
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly server: ServerContext) {}

  /**
   * Makes `c` a replica: writes the RDB payload `rdb` (after FULLRESYNC for PSYNC), then feeds it.
   * The caller has checked it is not one already.
   */
  attach(c: Client, rdb: Uint8Array, psync: boolean): void {
    if (psync) c.reply.simple(`FULLRESYNC ${this.server.runId} ${this.offset}`);
    const head = Buffer.from(`$${rdb.length}\r\n`, 'latin1');
    // the payload is not checked against the replica class's output limit (Redis's applies to
    // the stream that follows: a dataset larger than the limit must still reach a replica); once
    // handed to the socket it is no longer part of the output buffer the limit counts
    this.write(c, Buffer.concat([head, rdb]), false);
    const now = this.server.clock.now();
    // the first PING comes a period after the first replica attached
    if (this.replicas.size === 0) this.lastPing = now;
    this.replicas.set(c, { port: 0, ackOffset: 0, ackAt: now });
    c.replica = true;
    // a new replica has no database selected: the next effect selects one for every replica
    this.selected = -1;
    this.unsubscribe ??= this.server.addEffectsConsumer(this.sink);
  }

  /** `c` is gone (or was RESET): it no longer receives the stream. */
  detach(c: Client): void {
    if (!this.replicas.delete(c)) return;
    c.replica = false;
    if (this.replicas.size === 0 && this.unsubscribe !== null) {
      this.unsubscribe();
      this.unsubscribe = null;
    }
  }

  /** REPLCONF listening-port / ACK from `c` (ignored from a client that is not a replica yet). */
  replicaConf(c: Client, port: number | null, ack: number | null): void {
    const state = this.replicas.get(c);
    if (state === undefined) return;
    if (port !== null) state.port = port;
    if (ack !== null) {
      state.ackOffset = ack;
      state.ackAt = this.server.clock.now();
    }
  }

  /** The server cron: a PING into the stream every repl-ping-replica-period seconds. */
  cron(now: number): void {
    if (this.replicas.size === 0) return;
    const period = this.server.config.int('repl-ping-replica-period') * 1000;
    if (now - this.lastPing < period) return;
    this.lastPing = now;
    this.broadcast(PING);
  }

  /** INFO replication's slave<N> lines: [ip, port, state, offset, lag seconds]. */
  replicaInfo(now: number): string[] {
    const lines: string[] = [];
    for (const [c, s] of this.replicas) {
      const ip = c.conn.addr.slice(0, c.conn.addr.lastIndexOf(':')) || c.conn.addr;
      lines.push(`ip=${ip},port=${s.port},state=online,offset=${s.ackOffset},lag=${Math.floor((now - s.ackAt) / 1000)}`);
    }
    return lines;
  }

  /** The effects sink while replicas are attached. */
  private readonly sink: EffectSink = (db, argv) => {
    // namespaces (negative ids) have no number a replica could SELECT: they are not replicated
    if (db < 0) return;
    if (db !== this.selected) {
      this.selected = db;
      this.broadcast(encodeCommand(['SELECT', String(db)]));
    }
    this.broadcast(encodeCommand(argv));
  };

  private broadcast(bytes: Buffer): void {
    this.offset += bytes.length;
    for (const c of this.replicas.keys()) this.write(c, bytes, true);
  }

  /** Appends `bytes` to `c`'s output, then (`limited`) checks the replica class's output limit. */
  private write(c: Client, bytes: Buffer, limited: boolean): void {
    const r = c.reply;
    if (r instanceof RespWriter) r.preencoded(bytes);
    else r.bulkBuffer(bytes);
    c.conn.flushSoon();
    if (limited) this.server.pubsub.checkOutputLimit(c);
  }
}
