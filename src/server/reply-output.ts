/*
 * The way out of a client connection, shared by RESP (resp-connection.ts) and the binary protocol
 * (binary/binary-connection.ts): what the connection's reply writer holds goes to the socket with
 * one write per flush.
 *
 * On a plain socket that write goes straight to the libuv handle (direct-write.ts) from the
 * writer's own buffer (`takeShared`, no copy); when the kernel takes only part of it, libuv holds
 * the rest, the writer moves on to a new buffer (`detach`) and the replies that follow wait in the
 * writer until that write completes. TLS sockets (their handle encrypts in JS) write through the
 * stream. Replies waiting for a client that does not read are checked against
 * client-output-buffer-limit, and past OUTPUT_HIGH_WATER the socket stops being read until the
 * output has drained (`drained` is then called). `close` ends the socket after the last replies,
 * also when they wait behind a held write.
 *
 * Flushes are batched per event-loop turn by `scheduleFlush`: after every socket readable in the
 * turn has been read and its commands run, as Redis writes in beforeSleep — the JS work of a turn
 * runs together, then the writes go out in a burst. Measured under redis-benchmark -P 16 this kept
 * the load generator busy instead of waking it once per connection: pinned -P 16 runs went from
 * 0.5-1.05M SET/s (depending on the run) to 0.92-1.06M.
 */
import type { Socket } from 'node:net';
import type { Client } from '../core/client.js';
import type { ServerContext } from '../core/server-context.js';
import { directHandle, QUEUED, WRITTEN, writeDirect, type StreamHandle } from './direct-write.js';

/** Stop reading from a client while this many reply bytes wait for the socket (back-pressure). */
export const OUTPUT_HIGH_WATER = 64 * 1024 * 1024;

/** What a reply writer offers the output (RespWriter, BinaryReply). */
export interface ReplyBuffer {
  readonly pending: number;
  /** a copy of what is pending, the writer emptied */
  take(): Buffer | null;
  /** a view of the writer's own buffer, the writer emptied; `detach(view)` if the view is kept */
  takeShared(): Buffer | null;
  detach(view: Buffer): void;
}

export class ReplyOutput {
  /** reading stopped because replies piled up past OUTPUT_HIGH_WATER; `drained` resumes it */
  paused = false;
  /** `close` was called: the socket ends after what was written so far */
  private ending = false;
  /** not TLS: a completed stream write leaves nothing of ours in the socket (see `flush`) */
  private readonly plainSocket: boolean;
  /** the socket's libuv handle, written to directly; null: through the stream */
  private readonly handle: StreamHandle | null;
  /** a direct write whose rest libuv still holds; replies wait in the writer until it is done */
  private inFlight: Buffer | null = null;
  /** bytes may wait in the stream's own buffer (socket.writableLength): it was written through
   *  (TLS, a write behind queued bytes, `end`). Until then `queuedBytes`, asked per delivered
   *  PUBLISH message by the output limit's check, need not call the stream's getter. */
  private streamUsed: boolean;
  private readonly writeDone = (status: number) => this.onWriteDone(status);

  constructor(
    private readonly socket: Socket,
    private readonly writer: ReplyBuffer,
    private readonly server: ServerContext,
    private readonly client: Client,
    /** the output that paused reading has drained: the connection runs its waiting input */
    private readonly drained: () => void,
  ) {
    this.plainSocket = (socket as { encrypted?: boolean }).encrypted !== true;
    this.handle = directHandle(socket);
    this.streamUsed = this.handle === null;
    socket.on('drain', () => this.onDrain());
  }

  /** closed, destroyed, or gone: nothing more is written */
  private get done(): boolean {
    return this.ending || this.socket.destroyed;
  }

  /** Writes what the writer holds now. */
  flush(): void {
    if (this.done) return;
    // the append-only file gets the effects of the commands these replies answer first
    // (appendfsync always: on disk before any reply acknowledges them)
    if (this.server.aof.bufferLength !== 0) this.server.aof.flush();
    const writer = this.writer;
    const handle = this.handle;
    if (handle !== null && (!this.streamUsed || this.socket.writableLength === 0)) {
      // the usual way: straight to the handle (direct-write.ts)
      if (this.inFlight !== null) {
        // replies wait in the writer for the write libuv holds (see onWriteDone)
        this.outputWaits();
        return;
      }
      const out = writer.takeShared();
      if (out === null) return;
      this.server.stats.netOutputBytes += out.length;
      const r = writeDirect(handle, out, this.writeDone);
      if (r === WRITTEN) return;
      if (r === QUEUED) {
        this.inFlight = out;
        writer.detach(out);
        this.outputWaits();
        return;
      }
      // EPIPE, ECONNRESET…: the client is gone ('close' follows)
      this.socket.destroy();
      return;
    }
    // through the stream: TLS, or bytes the socket already queued
    // a plain socket's write usually completes at once (the kernel copies the bytes): the reply
    // buffer is then written again from its start, no copy made; if the socket kept the bytes
    // (a partial write, or writes already queued), the writer moves on to a new buffer
    const shared = this.plainSocket;
    const out = shared ? writer.takeShared() : writer.take();
    if (out === null) return;
    this.server.stats.netOutputBytes += out.length;
    this.streamUsed = true;
    const written = this.socket.write(out);
    if (shared && this.socket.writableLength !== 0) writer.detach(out);
    if (!written) this.outputWaits();
  }

  /**
   * Replies wait for a client that does not read: client-output-buffer-limit (its class's hard
   * and soft limits) disconnects it; below them, reading stops past the high-water mark.
   */
  private outputWaits(): void {
    this.server.pubsub.checkOutputLimit(this.client);
    if (this.done || this.paused) return;
    if (this.queuedBytes() + this.writer.pending > OUTPUT_HIGH_WATER) {
      this.paused = true;
      this.socket.pause();
    }
  }

  /** Reply bytes handed to the socket and not yet sent. */
  queuedBytes(): number {
    return (this.streamUsed ? this.socket.writableLength : 0) + (this.inFlight === null ? 0 : this.inFlight.length);
  }

  /** libuv finished the direct write it held: what waited in the writer goes now. */
  private onWriteDone(status: number): void {
    this.inFlight = null;
    if (status < 0) {
      if (!this.socket.destroyed) this.socket.destroy();
      return;
    }
    if (this.ending) {
      // closed while this write was held: the socket ends after the rest
      if (!this.socket.destroyed && !this.socket.writableEnded) this.end();
      return;
    }
    if (this.socket.destroyed) return;
    if (this.writer.pending !== 0) this.flush();
    if (this.inFlight === null && this.socket.writableLength === 0) this.onDrain();
  }

  private onDrain(): void {
    if (!this.paused || this.done) return;
    this.paused = false;
    this.drained();
  }

  /** Writes what the writer holds, then ends the socket (after a held write, if one is). */
  close(): void {
    if (this.done) return;
    this.flush();
    this.ending = true;
    if (this.inFlight === null) this.end();
  }

  /** Writes what the writer still holds through the stream, then ends the socket. */
  private end(): void {
    const rest = this.writer.take();
    this.streamUsed = true;
    if (rest !== null) {
      this.server.stats.netOutputBytes += rest.length;
      this.socket.write(rest);
    }
    this.socket.end();
    this.socket.destroySoon();
  }
}

/** A connection whose replies are written at the end of the turn. */
export interface Flushable {
  flush(): void;
}

/**
 * The connections to flush at the end of this turn, the first `flushCount` entries. The array is
 * never shortened: setting `length = 0` each turn cost a runtime call through the length accessor
 * and a new backing store on the next push (~800 instructions a turn under callgrind).
 */
const toFlush: Array<Flushable | null> = [];
let flushCount = 0;

/** Has `conn.flush()` called once every socket readable in this turn has been read. */
export function scheduleFlush(conn: Flushable): void {
  toFlush[flushCount++] = conn;
  if (flushCount === 1) setImmediate(flushAll);
}

function flushAll(): void {
  try {
    // newest first, as Redis's handleClientsWithPendingWrites walks its pending list (each client
    // is linked at its head): a command's sender is queued after the clients its command wrote to
    // (a PUBLISH's subscribers, a served BLPOP, MONITORs), so its reply leaves before the fan-out
    // and it can send its next commands while the fan-out is written. A flush may queue more
    // (a blocked client's reply): they are flushed in a further round of this loop.
    let start = 0;
    let end = flushCount;
    while (start < end) {
      for (let i = end - 1; i >= start; i--) {
        const conn = toFlush[i]!;
        toFlush[i] = null;
        conn.flush();
      }
      start = end;
      end = flushCount;
    }
  } finally {
    // even after a throw: the next scheduleFlush must queue a new flushAll
    flushCount = 0;
  }
}
