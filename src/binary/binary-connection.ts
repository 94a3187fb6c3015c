/*
 * One binary-protocol connection (docs/protocol.md): frames in, the argv of each request through
 * the same dispatcher as RESP, typed reply frames out. As RespConnection: per socket read, every
 * complete frame runs synchronously and all replies go out in one write; replies are in request
 * order (a blocked command holds the requests behind it).
 *
 * Unlike RespConnection, that write is made at the end of the read rather than in the turn's
 * flush (reply-output.ts scheduleFlush: a setImmediate, then Node's check-phase callback into JS).
 * The turn's flush keeps a load generator with fifty connections busy (measured under
 * redis-benchmark -P 16); the binary protocol's clients keep their requests in flight on few
 * connections instead, and with one request in flight the hop cost the server 3,600 of its
 * 14,300 instructions per GET (bench/RESULTS.md, branch binperf). Replies that arrive from
 * elsewhere (pub/sub messages, a blocked request served) still go through the turn's flush.
 */
import type { Socket } from 'node:net';
import { Client, ReplyMode, type ClientConnection, type ConnectionMemory } from '../core/client.js';
import type { ServerContext } from '../core/server-context.js';
import { RunResult, type Dispatcher } from '../core/dispatch.js';
import { Err } from '../resp/errors.js';
import { VERSION } from '../core/version.js';
import { adoptWithSharedBuffer, readView } from '../server/shared-read-buffer.js';
import { OUTPUT_HIGH_WATER, ReplyOutput, scheduleFlush } from '../server/reply-output.js';
import { BinaryReply } from './binary-reply.js';
import { ErrorCode, FrameDecoder, MalformedFrame, Op, PayloadReader, PROTOCOL_VERSION, Tag } from './codec.js';
import { binaryRangeArgv, parseRequest, RangeRequest, type Request, type TypedRows } from './requests.js';

/** the frame limit before a client has authenticated (when requirepass is set) */
const UNAUTHENTICATED_MAX_FRAME = 64 * 1024;

export class BinaryConnection implements ClientConnection {
  readonly client: Client;
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  readonly socket: Socket;
  private readonly decoder: FrameDecoder;
  private readonly reader = new PayloadReader();
  private readonly writer = new BinaryReply();
  private readonly typed: TypedRows;
  /** the GET, SET or MGET frame being run from its bytes (runFrameRange) */
  private readonly range: RangeRequest;
  private closed = false;
  private handshaken = false;
  /** the replies' way to the socket (shared with RESP): direct handle writes, back-pressure */
  private readonly output: ReplyOutput;
  private held: Request | null = null;
  private readonly resumeAfterPause = () => this.onPauseEnded();
  private flushQueued = false;

  constructor(
    accepted: Socket,
    private readonly server: ServerContext,
    private readonly dispatcher: Dispatcher,
  ) {
    this.addr = formatAddress(accepted.remoteAddress, accepted.remotePort);
    this.laddr = formatAddress(accepted.localAddress, accepted.localPort);
    this.fd = (accepted as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    this.decoder = new FrameDecoder(server.config.int('bin-max-frame-size'));
    this.client = new Client(server, server.newClientId(), this.writer, this);
    // replies have RESP3's shapes; handlers and dispatch see a RESP3 client
    this.client.setProto(3);
    this.client.libName = 'kv-binary';
    const table = server.commandTable;
    this.typed = { gett: table.get('kv.gett') !== undefined, sett: table.get('kv.sett') !== undefined };
    this.range = new RangeRequest(table, this.typed);
    this.writer.onError = (message) => server.errorStats.count(message);
    server.clients.set(this.client.id, this.client);
    server.stats.totalConnections++;

    const socket = adoptWithSharedBuffer(accepted, (nread, buffer) => this.onRead(nread, buffer));
    this.socket = socket;
    this.output = new ReplyOutput(socket, this.writer, server, this.client, () => this.onDrain());
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('close', () => this.onClose());
  }

  private onRead(nread: number, buffer: Buffer): void {
    if (this.client.closeAfterReply) return;
    this.server.stats.netInputBytes += nread;
    // as RESP's tighter limits before AUTH: an unauthenticated client cannot make the server
    // collect a large frame
    const max = this.maxFrame();
    this.decoder.maxFrame = this.client.authenticated ? max : Math.min(max, UNAUTHENTICATED_MAX_FRAME);
    this.decoder.feed(readView(buffer, nread));
    this.runRequests();
    this.decoder.detachInput();
  }

  /** bin-max-frame-size, parsed again only when its text changed (CONFIG SET) */
  private maxFrameText = '';
  private maxFrameValue = 0;
  private maxFrame(): number {
    const text = this.server.config.get('bin-max-frame-size');
    if (text !== this.maxFrameText) {
      this.maxFrameText = text;
      this.maxFrameValue = Number(text);
    }
    return this.maxFrameValue;
  }

  /**
   * The next request frame, in the decoder: false when there is none (no complete frame, a
   * malformed one — `protocolError` set —, or a refused handshake). HELLO is handled here.
   */
  private protocolError: string | null = null;
  private nextFrame(): boolean {
    for (;;) {
      const d = this.decoder;
      if (!d.nextFrame()) {
        if (d.error !== null) this.protocolError = d.error;
        return false;
      }
      if (this.handshaken) return true;
      this.reader.resetRange(d.payload, d.payloadStart, d.payloadEnd);
      try {
        if (d.op !== Op.HELLO) throw new MalformedFrame('the first frame must be HELLO');
        if (!this.handshake(d.id)) return false;
      } catch (e) {
        this.malformed(e);
        return false;
      }
    }
  }

  /** The request of the frame nextFrame found, or null (malformed: `protocolError` set). */
  private parseFrame(): Request | null {
    const d = this.decoder;
    this.reader.resetRange(d.payload, d.payloadStart, d.payloadEnd);
    try {
      const req = parseRequest(d.op, this.reader, this.typed);
      req.id = d.id;
      return req;
    } catch (e) {
      this.malformed(e);
      return null;
    }
  }

  private malformed(e: unknown): void {
    if (!(e instanceof MalformedFrame)) throw e;
    this.protocolError = e.message;
    this.decoder.error = e.message;
  }

  /**
   * Runs the frame nextFrame found through its row's byte-range handler (GET, SET, MGET: see
   * RangeRequest) when it is one of those and the handler takes it; false: it is to be parsed.
   */
  private runFrameRange(now: number): boolean {
    const d = this.decoder;
    const r = this.range;
    const buf = d.payload;
    if (!r.read(d.op, buf, d.payloadStart, d.payloadEnd) || r.spec === undefined) return false;
    const writer = this.writer;
    writer.requestId = d.id;
    writer.typedGet = r.typedGet;
    const ran = this.dispatcher.runRangeOf(this.client, r.spec, r.argc, writer, buf, r, now);
    writer.typedGet = false;
    writer.requestId = 0;
    if (ran) this.dispatcher.pendingRange(binaryRangeArgv, buf, d.op, r.typedBits, d.payloadStart, d.payloadEnd, 0, 0);
    return ran;
  }

  /**
   * HELLO: version, then AUTH, KV.NS USE and CLIENT SETNAME run through the dispatcher (the same
   * code paths as over RESP; their replies are dropped). Returns false when it refused (and the
   * connection is closing).
   */
  private handshake(id: number): boolean {
    const r = this.reader;
    const min = r.u16();
    const max = r.u16();
    const options = readOptions(r);
    const writer = this.writer;
    writer.requestId = id;
    if (min > PROTOCOL_VERSION || max < PROTOCOL_VERSION) {
      this.refuse(ErrorCode.UNSUPPORTED_VERSION, `ERR Protocol error: unsupported protocol version (this server speaks ${PROTOCOL_VERSION})`);
      return false;
    }
    if (options.lib !== undefined) this.client.libName = options.lib;
    const steps: string[][] = [];
    if (options.pass !== undefined) steps.push(options.user !== undefined ? ['AUTH', options.user, options.pass] : ['AUTH', options.pass]);
    if (options.namespace !== undefined) steps.push(['KV.NS', 'USE', options.namespace]);
    if (options.name !== undefined) steps.push(['CLIENT', 'SETNAME', options.name]);
    const now = this.server.clock.now();
    for (const argv of steps) {
      const mark = writer.pending;
      const errors = writer.errors;
      this.dispatcher.run(this.client, argv, now);
      writer.truncate(mark);
      if (writer.errors !== errors) {
        this.refuse(0, writer.lastError);
        return false;
      }
    }
    this.handshaken = true;
    writer.map(5);
    writer.simple('proto');
    writer.int(PROTOCOL_VERSION);
    writer.simple('server');
    writer.simple('kv-server');
    writer.simple('version');
    writer.simple(VERSION);
    writer.simple('id');
    writer.int(this.client.id);
    writer.simple('max-frame');
    writer.int(this.server.config.int('bin-max-frame-size'));
    writer.requestId = 0;
    return true;
  }

  /** Answers an error (code 0: from its text) and closes after writing it. */
  private refuse(code: number, message: string): void {
    if (code === 0) this.writer.error(message);
    else this.errorWithCode(code, message);
    this.client.closeAfterReply = true;
  }

  private errorWithCode(code: number, message: string): void {
    const w = this.writer;
    w.begin(Op.REPLY, w.requestId);
    w.u8(Tag.ERROR);
    w.u16(code);
    w.latin1(message);
    w.end();
  }

  private runRequests(): void {
    const client = this.client;
    const writer = this.writer;
    const dispatcher = this.dispatcher;
    const clock = this.server.clock;
    let now = clock.now();
    client.lastInteraction = now;
    dispatcher.beginBatch();
    let ranges = dispatcher.rangeOpen(client);
    while (client.blockedBy === null && !client.suspended && !client.closeAfterReply) {
      let req = this.held;
      if (req === null) {
        if (!this.nextFrame()) break;
        // GET, SET and MGET straight from the frame when nothing needs the ordinary path (runRangeOf)
        if (ranges && this.runFrameRange(now)) {
          if (writer.pending > OUTPUT_HIGH_WATER) {
            this.flush();
            if (this.output.paused) break;
          }
          continue;
        }
        if ((req = this.parseFrame()) === null) break;
      }
      this.held = null;
      const mark = writer.pending;
      writer.requestId = req.id;
      writer.typedGet = req.typedGet;
      const r = dispatcher.run(client, req.argv, now);
      writer.typedGet = false;
      if (r !== RunResult.Bounded) {
        if (r === RunResult.Held) {
          this.holdUntilUnpaused(req);
          break;
        }
        now = clock.now();
      }
      // a blocked command answers later with this id
      if (client.blockedBy === null) writer.requestId = 0;
      if (client.replyMode !== 0) this.applyReplyMode(mark);
      ranges = dispatcher.rangeOpen(client);
      if (writer.pending > OUTPUT_HIGH_WATER) {
        this.flush();
        if (this.output.paused) break;
      }
    }
    dispatcher.endBatch();
    if (this.output.paused || this.held !== null) return;
    if (this.protocolError !== null && !client.closeAfterReply) {
      writer.requestId = 0;
      this.errorWithCode(ErrorCode.PROTOCOL, Err.PROTOCOL(this.protocolError));
      this.server.errorStats.count(Err.PROTOCOL(this.protocolError));
      this.server.log.verbose(`Protocol error (${this.protocolError}) from binary client: id=${client.id} addr=${this.addr}`);
      client.closeAfterReply = true;
    }
    if (client.closeAfterReply) this.close();
    // the replies go out now, at the end of the read, not in the turn's flush (scheduleFlush, as
    // RESP connections do): see the header
    else if (writer.pending !== 0) this.flush();
  }

  private applyReplyMode(mark: number): void {
    const client = this.client;
    const mode = client.replyMode;
    if (mode === ReplyMode.Off) this.writer.truncate(mark);
    else if (mode === ReplyMode.SkipNext) client.replyMode = ReplyMode.Skip;
    else if (mode === ReplyMode.Skip) {
      this.writer.truncate(mark);
      client.replyMode = ReplyMode.On;
    }
  }

  private holdUntilUnpaused(req: Request): void {
    this.held = req;
    this.client.held = true;
    this.socket.pause();
    this.server.pause.wait(this.resumeAfterPause);
    if (this.writer.pending !== 0) scheduleFlush(this);
  }

  private onPauseEnded(): void {
    this.client.held = false;
    if (this.closed) return;
    this.runRequests();
    if (!this.output.paused && !this.closed && this.held === null) this.socket.resume();
  }

  /** The replies that stopped reading have drained (ReplyOutput). */
  private onDrain(): void {
    if (this.closed) return;
    this.runRequests();
    if (!this.output.paused && !this.closed && this.held === null) this.socket.resume();
  }

  resume(): void {
    if (!this.closed) this.runRequests();
  }

  flushSoon(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    scheduleFlush(this);
  }

  unblocked(): void {
    if (this.closed) return;
    this.writer.requestId = 0;
    if (this.writer.pending !== 0) this.flushSoon();
    setImmediate(() => {
      if (this.closed || this.output.paused || this.client.blockedBy !== null) return;
      this.runRequests();
    });
  }

  flush(): void {
    this.flushQueued = false;
    if (!this.closed) this.output.flush();
  }

  close(): void {
    if (this.closed) return;
    this.server.blocking.disconnected(this.client);
    this.output.close();
    this.closed = true;
  }

  destroy(): void {
    this.server.blocking.disconnected(this.client);
    this.closed = true;
    this.socket.destroy();
  }

  /** Replies keep RESP3's shapes whatever HELLO asked for (docs/protocol.md). */
  setProto(): void {}

  queryBufferBytes(): number {
    return this.decoder.bufferedBytes;
  }

  memoryFields(): ConnectionMemory {
    const queued = this.output.queuedBytes();
    return {
      qbufFree: 0,
      argvMem: 0,
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

/** HELLO's options: a Map of String keys to String/Bytes values. */
function readOptions(r: PayloadReader): Record<string, string> {
  const out: Record<string, string> = {};
  if (r.u8() !== Tag.MAP) throw new MalformedFrame('HELLO options must be a Map');
  const n = r.count(10);
  for (let i = 0; i < n; i++) {
    const kt = r.u8();
    if (kt !== Tag.STRING && kt !== Tag.BYTES) throw new MalformedFrame('HELLO option names must be strings');
    const k = r.latin1();
    const vt = r.u8();
    if (vt !== Tag.STRING && vt !== Tag.BYTES) throw new MalformedFrame('HELLO option values must be strings');
    out[k] = r.latin1();
  }
  if (!r.done) throw new MalformedFrame('bytes left over after the payload');
  return out;
}

function formatAddress(host: string | undefined, port: number | undefined): string {
  if (!host) return '?:0';
  const h = host.startsWith('::ffff:') ? host.slice(7) : host;
  return `${h}:${port ?? 0}`;
}
