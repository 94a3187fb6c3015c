/*
 * One RESP connection: socket bytes in, decoded commands to dispatch, replies out.
 * Per socket read: decode every complete command, run them synchronously, write all their
 * replies with one socket write. No Promise or closure per command.
 */
import type { Socket } from 'node:net';
import { Client, ReplyMode, type ClientConnection, type ConnectionMemory } from '../core/client.js';
import type { ServerContext } from '../core/server-context.js';
import { RunResult, type Dispatcher } from '../core/dispatch.js';
import { Err } from '../resp/errors.js';
import { RequestDecoder } from '../resp/decoder.js';
import { RespWriter } from '../resp/writer.js';
import { adoptWithSharedBuffer, READ_SIZE, readView } from './shared-read-buffer.js';
import { QueryReadSizes } from './query-read-sizes.js';
import { ReplyOutput, scheduleFlush } from './reply-output.js';

/**
 * Reply bytes one client may produce in one event-loop turn: past them its replies are written
 * and its next commands wait for the next turn, so that a client pipelining large replies cannot
 * hold the others up for long (Redis reads 16 KB of a client's input per event for the same end).
 */
const TURN_OUTPUT_SHARE = 1024 * 1024;

export class RespConnection implements ClientConnection {
  readonly client: Client;
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  private readonly decoder: RequestDecoder;
  private readonly writer = new RespWriter();
  /** how Redis would have cut the input into reads (where its limits are checked) */
  private readonly reads = new QueryReadSizes();
  private closed = false;
  /** a command held while clients are paused (CLIENT PAUSE); run when the pause ends */
  private held: string[] | null = null;
  private readonly resumeAfterPause = () => this.onPauseEnded();

  /** the client's socket, reading into the shared buffer (shared-read-buffer.ts) */
  readonly socket: Socket;
  /** the replies' way to the socket: direct handle writes, back-pressure, the final end */
  private readonly output: ReplyOutput;

  /** `accepted` comes from a server created with `pauseOnConnect`; this takes it over. */
  /** `unixPath`: the Unix socket it came through (addresses then read `/path:0`, as in Redis). */
  constructor(
    accepted: Socket,
    private readonly server: ServerContext,
    private readonly dispatcher: Dispatcher,
    unixPath?: string,
  ) {
    this.addr = unixPath !== undefined ? `${unixPath}:0` : formatAddress(accepted.remoteAddress, accepted.remotePort);
    this.laddr = unixPath !== undefined ? `${unixPath}:0` : formatAddress(accepted.localAddress, accepted.localPort);
    this.fd = (accepted as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    /** a TLS socket's handle is the TLS layer, the descriptor is its transport's */
    if (this.fd === -1) this.fd = (accepted as unknown as { _parent?: { _handle?: { fd?: number } } })._parent?._handle?.fd ?? -1;
    this.decoder = new RequestDecoder(server.decoderLimits);
    this.client = new Client(server, server.newClientId(), this.writer, this);
    this.decoder.authenticated = this.client.authenticated;
    this.writer.onError = (message) => server.errorStats.count(message);
    server.clients.set(this.client.id, this.client);
    server.stats.totalConnections++;

    const socket = adoptWithSharedBuffer(accepted, (nread, buffer) => this.onRead(nread, buffer));
    this.socket = socket;
    this.output = new ReplyOutput(socket, this.writer, server, this.client, () => this.onDrain());
    socket.setNoDelay(true);
    socket.on('error', () => {}); // ECONNRESET and the like: 'close' follows
    socket.on('close', () => this.onClose());
  }

  /** One socket read: `buffer` is shared and reused by the next read, so nothing may keep it. */
  private onRead(nread: number, buffer: Buffer): void {
    if (this.client.closeAfterReply) return;
    try {
      this.readInput(nread, buffer);
    } catch (e) {
      // a bug (or an allocation refused) while decoding: this client goes, the server stays
      this.server.log.warning(`Closing client id=${this.client.id} addr=${this.addr} after an internal error reading its input: ${(e as Error).stack ?? String(e)}`);
      this.destroy();
    }
  }

  private readInput(nread: number, buffer: Buffer): void {
    this.server.stats.netInputBytes += nread;
    // the input as Redis would have read it (query-read-sizes.ts): its limits are checked per read
    const full = nread === READ_SIZE;
    const reads = this.reads;
    let at = 0;
    while (at < nread) {
      const n = reads.next(nread - at, full);
      this.decoder.feed(at === 0 ? readView(buffer, n) : buffer.subarray(at, at + n));
      at += n;
      if (at === nread && full && reads.midRead) {
        // the read goes on in the next Node read, if one comes in this turn
        if (!this.carryCheckQueued) {
          this.carryCheckQueued = true;
          setImmediate(this.endCarriedRead);
        }
        break;
      }
      // a client that gave up its turn runs the rest in `continueTurn`
      if (!this.yielded) this.runCommands();
      reads.consumed(this.decoder.bufferedBytes);
      if (this.closed || this.client.closeAfterReply) break;
    }
    this.decoder.detachInput();
  }

  private carryCheckQueued = false;
  /** No more bytes came right behind a full read: what it brought is a whole read after all. */
  private readonly endCarriedRead = (): void => {
    this.carryCheckQueued = false;
    if (!this.reads.midRead || this.closed) return;
    this.reads.endRead();
    if (this.client.closeAfterReply) return;
    this.runCommands();
    this.reads.consumed(this.decoder.bufferedBytes);
  };

  /**
   * Runs every complete command the decoder holds, then writes their replies at once. Stops early
   * when the replies outgrow OUTPUT_HIGH_WATER and the socket cannot take them: the rest stay in
   * the decoder until 'drain', so a client that does not read holds bounded memory.
   */
  private runCommands(): void {
    const decoder = this.decoder;
    const client = this.client;
    const writer = this.writer;
    const dispatcher = this.dispatcher;
    const clock = this.server.clock;
    let now = clock.now();
    client.lastInteraction = now;
    dispatcher.beginBatch();
    let argv: string[] | null;
    let ranges = dispatcher.rangeOpen(client);
    // a blocked client (BLPOP…) or one whose script is still running runs nothing more until
    // unblocked or resumed (see `unblocked`, `resume`)
    while (client.blockedBy === null && !client.suspended) {
      // GET/SET straight from the read buffer when nothing needs the ordinary path (runRange)
      if (ranges && this.held === null) {
        const argc = decoder.peekRange();
        if (argc !== 0 && dispatcher.runRange(client, argc, writer, decoder.rangeBuffer, decoder, now)) {
          decoder.skipRange();
          if (writer.pending > TURN_OUTPUT_SHARE) {
            this.flush();
            if (this.output.paused || this.closed) break;
            this.yieldTurn();
            break;
          }
          continue;
        }
      }
      if ((argv = this.held ?? decoder.next()) === null) break;
      this.held = null;
      const mark = writer.pending;
      const pushes = writer.pushes;
      const r = dispatcher.run(client, argv, now);
      if (r !== RunResult.Bounded) {
        if (r === RunResult.Held) {
          this.holdUntilUnpaused(argv);
          break;
        }
        now = clock.now();
      }
      // CLIENT REPLY OFF / SKIP: what the command replied is dropped here, not in handlers —
      // except pushes ((un)subscribe confirmations), which Redis sends whatever the mode
      if (client.replyMode !== 0) this.applyReplyMode(writer.pushes === pushes ? mark : writer.pending);
      decoder.authenticated = client.authenticated;
      ranges = dispatcher.rangeOpen(client);
      if (client.closeAfterReply) break;
      if (writer.pending > TURN_OUTPUT_SHARE) {
        // enough output for one turn: write it and let the other clients have theirs first
        this.flush();
        if (this.output.paused || this.closed) break;
        this.yieldTurn();
        break;
      }
    }
    dispatcher.endBatch();
    if (this.output.paused || this.held !== null || this.yielded) return;
    if (decoder.protocolError !== null) {
      writer.error(Err.PROTOCOL(decoder.protocolError));
      this.server.log.verbose(`Protocol error (${decoder.protocolError}) from client: id=${client.id} addr=${this.addr}`);
      client.closeAfterReply = true;
    } else if (decoder.overLimit) {
      this.server.log.warning(`Closing client that reached max query buffer length: id=${client.id} addr=${this.addr}`);
      client.closeAfterReply = true;
    }
    if (client.closeAfterReply) this.close();
    else if (writer.pending !== 0) scheduleFlush(this);
  }

  /** the client gave up its turn (TURN_OUTPUT_SHARE); reading waits until `continueTurn` */
  private yielded = false;

  private yieldTurn(): void {
    this.yielded = true;
    this.socket.pause();
    setImmediate(this.continueTurn);
  }

  private readonly continueTurn = (): void => {
    this.yielded = false;
    if (this.closed) return;
    this.runCommands();
    if (!this.output.paused && !this.closed && this.held === null && !this.yielded) this.socket.resume();
  };

  /** CLIENT REPLY OFF drops every reply; SKIP drops the next command's (after its own, none). */
  private applyReplyMode(mark: number): void {
    const client = this.client;
    const mode = client.replyMode;
    if (mode === ReplyMode.Off) this.writer.truncate(mark);
    else if (mode === ReplyMode.SkipNext) client.replyMode = ReplyMode.Skip;
    else if (mode === ReplyMode.OffNext) client.replyMode = ReplyMode.Off;
    else if (mode === ReplyMode.Skip) {
      this.writer.truncate(mark);
      client.replyMode = ReplyMode.On;
    }
  }

  /** Keeps `argv` until the pause ends; reading stops meanwhile (the event loop runs on). */
  private holdUntilUnpaused(argv: string[]): void {
    this.held = argv;
    this.client.held = true;
    this.socket.pause();
    this.server.pause.wait(this.resumeAfterPause);
    if (this.writer.pending !== 0) scheduleFlush(this);
  }

  private onPauseEnded(): void {
    this.client.held = false;
    if (this.closed) return;
    this.runCommands();
    if (!this.output.paused && !this.closed && this.held === null && !this.yielded) this.socket.resume();
  }

  /** The replies that stopped reading have drained (ReplyOutput). */
  private onDrain(): void {
    if (this.closed) return;
    this.runCommands();
    if (!this.output.paused && !this.closed && this.held === null && !this.yielded) this.socket.resume();
  }

  /** flushSoon already queued this connection for the end of the turn */
  private flushQueued = false;
  resume(): void {
    if (!this.closed) this.runCommands();
  }

  flushSoon(): void {
    // a PUBLISH fan-out asks once per message: queue the connection once
    if (this.flushQueued) return;
    this.flushQueued = true;
    scheduleFlush(this);
  }

  /** Its blocking command finished: the commands pipelined behind it run in the next turn. */
  unblocked(): void {
    if (this.closed) return;
    setImmediate(() => {
      if (this.closed || this.output.paused || this.client.blockedBy !== null) return;
      this.runCommands();
    });
  }

  /** Writes what the writer holds now. */
  flush(): void {
    this.flushQueued = false;
    if (!this.closed) this.output.flush();
  }

  close(): void {
    if (this.closed) return;
    this.server.blocking.disconnected(this.client);
    // the last replies may wait behind a write libuv holds: the socket ends after them
    this.output.close();
    this.closed = true;
  }

  /** Closes at once, replies or not (CLIENT KILL, shutdown). */
  destroy(): void {
    this.server.blocking.disconnected(this.client);
    this.closed = true;
    this.socket.destroy();
  }

  setProto(proto: 2 | 3): void {
    this.writer.proto = proto;
  }

  queryBufferBytes(): number {
    return this.decoder.bufferedBytes;
  }

  memoryFields(): ConnectionMemory {
    const queued = this.output.queuedBytes();
    return {
      qbufFree: this.decoder.freeBytes,
      argvMem: this.decoder.partialArgBytes,
      obl: this.writer.pending,
      oll: queued === 0 ? 0 : 1,
      omem: queued,
      rbs: this.writer.capacity,
      rbp: this.writer.peak,
      reading: !this.closed && !this.output.paused && this.held === null && !this.client.closeAfterReply,
      writing: queued !== 0,
    };
  }

  outputBufferBytes(): number {
    return this.writer.pending + this.output.queuedBytes();
  }

  private onClose(): void {
    this.closed = true;
    this.server.pause.forget(this.resumeAfterPause);
    this.server.blocking.disconnected(this.client);
    this.server.clients.delete(this.client.id);
    this.server.monitors.delete(this.client);
    this.server.releaseClientState(this.client);
  }
}

function formatAddress(host: string | undefined, port: number | undefined): string {
  if (!host) return '?:0';
  const h = host.startsWith('::ffff:') ? host.slice(7) : host;
  return `${h}:${port ?? 0}`;
}
