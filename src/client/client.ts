/*
 * The TypeScript client of the binary protocol (docs/protocol.md). Requests are encoded straight
 * into one frame buffer and written once per microtask turn, so every request issued in the same
 * turn goes out in one write (pipelining without asking); `batch()` does the same explicitly.
 * That write goes from the frame buffer straight to the socket's libuv handle, and replies are
 * read into one shared buffer (`onread`) and decoded in place: no Writable, request object,
 * nextTick, Buffer or 'data' event per request (TLS sockets use the streams).
 * Replies are matched by request id. One timer serves every request's timeout. A lost
 * connection is re-established with exponential backoff; requests issued meanwhile wait in the
 * buffer (within their timeouts) and go out after the new handshake.
 */
import net from 'node:net';
import tls from 'node:tls';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
// imported, not the global: a module binding is a plain load where the global `Buffer` is a global
// lookup per Bytes value read (copyBytes)
import { Buffer } from 'node:buffer';
import { ErrorCode, FrameDecoder, FrameWriter, Op, PayloadReader, PROTOCOL_VERSION, SetFlag, Tag } from '../binary/codec.js';
import { ConnectionError, KvError, LockError, ProtocolError, TimeoutError } from './errors.js';
import { LockHolder } from './lock.js';
import { PendingTable } from './pending-table.js';
import { directHandle, QUEUED, WRITTEN, writeDirect, type StreamHandle } from '../server/direct-write.js';

/** An exact decimal (the Decimal type): its canonical text. */
export class Decimal {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** A number to be stored as Float even when it is integral (`set(k, new Float(2))`). */
export class Float {
  constructor(readonly value: number) {}
}

/** What the server answers, decoded. Bytes are Buffers (or strings with `bytes: 'utf8'`). */
export type KvValue = null | number | bigint | string | Buffer | Decimal | boolean | KvError | KvValue[] | Map<KvValue, KvValue>;

/** What `set` stores: string → String, Buffer → Bytes, integer/bigint → Int, other number or Float → Float, Decimal → Decimal. */
export type KvInput = string | Buffer | Uint8Array | number | bigint | Decimal | Float;

/** A command argument: strings are sent as UTF-8. */
export type KvArg = string | Buffer | Uint8Array | number | bigint;

export interface ReconnectOptions {
  /** attempts before giving up (default Infinity) */
  retries?: number;
  /** first delay (default 50 ms), doubled on each attempt up to maxDelayMs (default 2000 ms) */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface ConnectOptions {
  /** default timeout of every request in ms (default 10000; 0: none) */
  timeoutMs?: number;
  /** timeout of establishing a connection and its handshake (default 5000 ms) */
  connectTimeoutMs?: number;
  /** reconnect after a lost connection (default true) */
  reconnect?: boolean | ReconnectOptions;
  /** CLIENT SETNAME */
  name?: string;
  /** how Bytes values are returned (default 'buffer') */
  bytes?: 'buffer' | 'utf8';
  /** credentials and namespace, instead of (or over) the URL's */
  user?: string;
  password?: string;
  namespace?: string;
  /**
   * TLS (the server's binary port runs TLS when it has a tls-port, docs/protocol.md): `true`, or
   * node:tls options — `ca` to trust the server's CA, `cert` and `key` for a client certificate
   * (tls-auth-clients), `servername`, `rejectUnauthorized`… A `kvs://` URL turns it on too.
   */
  tls?: boolean | tls.ConnectionOptions;
}

export interface SetOptions {
  /** expire after this many ms */
  px?: number;
  nx?: boolean;
  xx?: boolean;
  keepTtl?: boolean;
}

export interface RequestOptions {
  /** this request's timeout in ms (0: none) */
  timeoutMs?: number;
}

export interface LockOptions {
  ttlMs: number;
  /** wait up to this long for the lock (served first come, first served) */
  waitMs?: number;
  /** the owner token (default a random UUID) */
  owner?: string;
  /** renew this often while held (default ttlMs / 3) */
  renewEveryMs?: number;
  /** called when a renewal finds the lock no longer held by this owner */
  onLost?: () => void;
}

/** what scheduleFlush chains the flush of a turn's requests to (a microtask, as queueMicrotask's, without its per-call AsyncResource and bound function) */
const RESOLVED = Promise.resolve();

interface Target {
  host: string;
  port: number;
  /** a `kvs://` URL */
  tls?: boolean;
  user?: string;
  password?: string;
  namespace?: string;
}

/** `kv://user:pass@host:6381/namespace` (all parts but the host optional); `kvs://` for TLS. */
export function parseUrl(url: string | URL): Target {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (u.protocol !== 'kv:' && u.protocol !== 'kvs:') throw new TypeError(`kv-server/client: expected a kv:// or kvs:// URL, got ${u.protocol}`);
  const target: Target = { host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: u.port === '' ? 6381 : Number(u.port) };
  if (u.protocol === 'kvs:') target.tls = true;
  if (u.username !== '') target.user = decodeURIComponent(u.username);
  if (u.password !== '') target.password = decodeURIComponent(u.password);
  const ns = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (ns !== '') target.namespace = ns;
  return target;
}

/** Connects and completes the handshake; rejects with ConnectionError, TimeoutError or the server's KvError (WRONGPASS…). */
export async function connect(url: string | URL, opts: ConnectOptions = {}): Promise<KvClient> {
  const client = new KvClient(parseUrl(url), opts);
  await client.ready();
  return client;
}

/**
 * What plain TCP connections read into (net's `onread`): one buffer for every client of the
 * process, as each read is handled synchronously and whatever outlives it is copied out
 * (`FrameDecoder.detachInput`, Buffer.from of Bytes values). No Buffer and no stream event per
 * read, as the server's shared-read-buffer.ts.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** the last view of READ_BUFFER's first bytes: replies of a workload repeat their lengths */
let lastReadView: Buffer = READ_BUFFER.subarray(0, 0);

/** Values up to this many bytes are copied into a new Buffer byte by byte (no view made). */
const SMALL_COPY = 64;

const asyncDispose: typeof Symbol.asyncDispose =
  (Symbol as { asyncDispose?: typeof Symbol.asyncDispose }).asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);

type State = 'connecting' | 'ready' | 'reconnecting' | 'closed';

export class KvClient extends EventEmitter {
  private state: State = 'connecting';
  private socket: net.Socket | null = null;
  private readonly out = new FrameWriter();
  private decoder = new FrameDecoder(0xffffffff);
  private readonly reader = new PayloadReader();
  private readonly pending = new PendingTable();
  private nextId = 1;
  /** requests with ids up to this one were written to the current socket */
  private sentUpTo = 0;
  private flushQueued = false;
  /** the socket's libuv handle, written to directly (server/direct-write.ts); null: the stream */
  private handle: StreamHandle | null = null;
  /** a direct write whose rest libuv still holds: requests wait in `out` until it completes */
  private inFlightWrite: Buffer | null = null;
  /** the completion of a held direct write, made per socket (a cancelled write of a lost socket must not touch the next) */
  private writeDone: (status: number) => void = () => {};
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private attempt = 0;
  private readyPromise: Promise<void>;
  private readyResolve!: () => void;
  private readyReject!: (e: Error) => void;
  private everReady = false;
  private readonly timeoutMs: number;
  private readonly utf8Bytes: boolean;
  private readonly reconnect: Required<ReconnectOptions> | null;
  /** the server's handshake answer: proto, server, version, id, max-frame */
  serverInfo: Map<KvValue, KvValue> | null = null;

  constructor(
    private readonly target: Target,
    private readonly opts: ConnectOptions = {},
  ) {
    super();
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.utf8Bytes = opts.bytes === 'utf8';
    const r = opts.reconnect ?? true;
    this.reconnect = r === false ? null : { retries: Infinity, minDelayMs: 50, maxDelayMs: 2000, ...(r === true ? {} : r) };
    this.readyPromise = this.newReadyPromise();
    this.open();
  }

  private newReadyPromise(): Promise<void> {
    const p = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    p.catch(() => {});
    return p;
  }

  /** Resolves once connected and handshaken. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  get connected(): boolean {
    return this.state === 'ready';
  }

  /** Requests waiting for a reply (in flight or queued). */
  get inFlight(): number {
    return this.pending.size;
  }

  // ---- connection ----

  private open(): void {
    const t = this.target;
    const tlsOption = this.opts.tls ?? t.tls ?? false;
    const secure = tlsOption !== false;
    const socket: net.Socket = secure
      ? tls.connect({
          host: t.host,
          port: t.port,
          // SNI takes a host name, never an address (RFC 6066)
          ...(net.isIP(t.host) === 0 ? { servername: t.host } : {}),
          ...(tlsOption === true ? {} : tlsOption),
        })
      : net.connect({ host: t.host, port: t.port, noDelay: true, onread: { buffer: READ_BUFFER, callback: (n: number, buf: Uint8Array): boolean => this.onRead(socket, n, buf as Buffer) } });
    if (secure) socket.setNoDelay(true);
    this.socket = socket;
    // a fresh decoder: nothing of the old connection's stream carries over
    this.decoder = new FrameDecoder(0xffffffff);
    const helloId = this.nextId++;
    const connectTimer = setTimeout(() => socket.destroy(new TimeoutError(`connect timeout after ${this.opts.connectTimeoutMs ?? 5000} ms`)), this.opts.connectTimeoutMs ?? 5000);
    connectTimer.unref();
    let handshaken = false;
    this.handle = null;
    this.inFlightWrite = null;
    this.writeDone = (status) => this.onWriteDone(socket, status);
    socket.on(secure ? 'secureConnect' : 'connect', () => {
      if (this.socket === socket) this.handle = directHandle(socket);
      const w = new FrameWriter();
      w.begin(Op.HELLO, helloId);
      w.u16(PROTOCOL_VERSION);
      w.u16(PROTOCOL_VERSION);
      const options: Array<[string, string]> = [];
      const user = this.opts.user ?? t.user;
      const pass = this.opts.password ?? t.password;
      const ns = this.opts.namespace ?? t.namespace;
      if (pass !== undefined) {
        if (user !== undefined && user !== '') options.push(['user', user]);
        options.push(['pass', pass]);
      }
      if (ns !== undefined) options.push(['namespace', ns]);
      if (this.opts.name !== undefined) options.push(['name', this.opts.name]);
      w.u8(Tag.MAP);
      w.u32(options.length);
      for (const [k, v] of options) {
        w.u8(Tag.STRING);
        w.utf8(k);
        w.u8(Tag.STRING);
        w.utf8(v);
      }
      w.end();
      socket.write(w.take()!);
    });
    this.pending.add({
      id: helloId,
      seq: 0,
      deadline: 0,
      map: null,
      resolve: (info) => {
        clearTimeout(connectTimer);
        handshaken = true;
        this.serverInfo = info as Map<KvValue, KvValue>;
        this.state = 'ready';
        this.attempt = 0;
        this.everReady = true;
        this.readyResolve();
        this.emit('ready');
        // what was issued while connecting goes out now
        this.flush();
      },
      reject: (e) => {
        clearTimeout(connectTimer);
        // refused by the server (WRONGPASS…): final
        this.fail(e);
        socket.destroy();
      },
    });
    if (secure) socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => {
      if (this.listenerCount('error') > 0 && this.everReady) this.emit('error', e);
      (socket as { lastError?: Error }).lastError = e;
    });
    socket.on('close', () => {
      clearTimeout(connectTimer);
      if (this.socket !== socket) return;
      this.socket = null;
      this.pending.take(helloId);
      const cause = (socket as { lastError?: Error }).lastError;
      this.lost(handshaken, cause);
    });
  }

  /** The connection is gone: fail what was in flight, then reconnect or give up. */
  private lost(wasReady: boolean, cause?: Error): void {
    if (this.state === 'closed') return;
    const err = new ConnectionError(`connection to ${this.target.host}:${this.target.port} lost${cause ? `: ${cause.message}` : ''}`);
    for (const p of this.pending.all()) {
      if (p.id <= this.sentUpTo) {
        this.pending.take(p.id);
        p.reject(err);
      }
    }
    if (!this.everReady && !wasReady) {
      // the first connection never came up: connect() rejects
      if (cause instanceof TimeoutError) return this.fail(cause);
      return this.fail(err);
    }
    if (this.reconnect === null || this.attempt >= this.reconnect.retries) return this.fail(err);
    this.state = 'reconnecting';
    if (wasReady) {
      this.readyPromise = this.newReadyPromise();
      this.emit('reconnecting');
    }
    const delay = Math.min(this.reconnect.maxDelayMs, this.reconnect.minDelayMs * 2 ** this.attempt++);
    // not unref'd: a request waiting for the new connection keeps the process alive, as ioredis does
    setTimeout(() => {
      if (this.state === 'reconnecting') this.open();
    }, delay);
  }

  /** Closed for good: every request fails with `e`. */
  private fail(e: Error): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.readyReject(e);
    const all = this.pending.all();
    this.pending.clear();
    for (const p of all) p.reject(e);
    this.out.take();
    if (this.timer !== null) clearTimeout(this.timer);
    this.emit('close');
  }

  /** Closes the connection; requests not answered yet fail with ConnectionError. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const socket = this.socket;
    this.fail(new ConnectionError('client closed'));
    if (socket !== null) {
      this.flushTo(socket);
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
      });
    }
  }

  async [asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- replies ----

  /** A read into READ_BUFFER (plain TCP): the decoder copies what it keeps before the next read. */
  private onRead(socket: net.Socket, nread: number, buffer: Buffer): boolean {
    if (this.socket !== socket) return true;
    let view = lastReadView;
    // `buffer` is READ_BUFFER itself (net hands back the buffer it was given)
    if (view.length !== nread || buffer !== READ_BUFFER) view = lastReadView = buffer.subarray(0, nread);
    this.onData(view);
    this.decoder.detachInput();
    return true;
  }

  private onData(chunk: Buffer): void {
    const decoder = this.decoder;
    decoder.feed(chunk);
    while (decoder.nextFrame()) {
      const id = decoder.id;
      this.reader.resetRange(decoder.payload, decoder.payloadStart, decoder.payloadEnd);
      let value: KvValue;
      try {
        if (decoder.op !== Op.REPLY) throw new ProtocolError(`unexpected frame op 0x${decoder.op.toString(16)}`);
        value = this.readValue();
      } catch (e) {
        this.protocolFailure(e instanceof ProtocolError ? e : new ProtocolError(String((e as Error).message)));
        return;
      }
      const p = id === 0 ? undefined : this.pending.take(id);
      if (p === undefined) {
        if (value instanceof KvError && (value.code === ErrorCode.PROTOCOL || value.code === ErrorCode.UNSUPPORTED_VERSION)) {
          this.protocolFailure(new ProtocolError(value.message));
          return;
        }
        this.emit('push', value, id);
        continue;
      }
      if (value instanceof KvError) p.reject(value);
      else p.resolve(p.map === null ? value : p.map(value));
    }
    if (decoder.error !== null) this.protocolFailure(new ProtocolError(decoder.error));
  }

  private protocolFailure(e: ProtocolError): void {
    const all = this.pending.all();
    this.pending.clear();
    for (const p of all) p.reject(e);
    this.socket?.destroy();
  }

  private readValue(): KvValue {
    const r = this.reader;
    const tag = r.u8();
    switch (tag) {
      case Tag.NULL:
        return null;
      case Tag.INT:
        return r.i64();
      case Tag.FLOAT:
        return r.f64();
      case Tag.DECIMAL:
        return new Decimal(r.latin1());
      case Tag.BYTES:
        return this.utf8Bytes ? r.utf8() : copyBytes(r);
      case Tag.STRING:
        return r.utf8();
      case Tag.LIST:
      case Tag.PUSH: {
        const n = r.count(1);
        const items: KvValue[] = new Array(n);
        for (let i = 0; i < n; i++) items[i] = this.readValue();
        return items;
      }
      case Tag.MAP: {
        const n = r.count(2);
        const m = new Map<KvValue, KvValue>();
        for (let i = 0; i < n; i++) {
          const k = this.readValue();
          // Bytes keys become strings: a Buffer key could never be looked up
          m.set(Buffer.isBuffer(k) ? k.toString('utf8') : k, this.readValue());
        }
        return m;
      }
      case Tag.ERROR: {
        const code = r.u16();
        return new KvError(code, r.utf8());
      }
      case Tag.BOOL:
        return r.u8() !== 0;
      default:
        throw new ProtocolError(`unknown value tag ${tag}`);
    }
  }

  // ---- requests ----

  /** Registers request `id` and returns its promise. */
  private expect<T>(id: number, map: ((v: KvValue) => unknown) | null, timeoutMs: number): Promise<T> {
    if (this.state === 'closed') {
      this.out.take();
      return Promise.reject(new ConnectionError('client closed'));
    }
    return new Promise<T>((resolve, reject) => {
      const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : 0;
      this.pending.add({ resolve: resolve as (v: unknown) => void, reject, deadline, map, id, seq: 0 });
      if (deadline !== 0 && (this.timer === null || deadline < this.timerAt)) this.armTimer(deadline);
      this.scheduleFlush();
    });
  }

  private armTimer(at: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.sweep(), Math.max(0, at - Date.now()) + 1);
    this.timer.unref();
  }

  /** Fails the requests past their deadline; re-arms for the next one. */
  private sweep(): void {
    this.timer = null;
    const now = Date.now();
    let next = Infinity;
    for (const p of this.pending.all()) {
      if (p.deadline === 0) continue;
      if (p.deadline <= now) {
        this.pending.take(p.id);
        p.reject(new TimeoutError(`no reply within the timeout (request ${p.id})`));
      } else if (p.deadline < next) next = p.deadline;
    }
    if (next !== Infinity) this.armTimer(next);
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    void RESOLVED.then(this.flushTask);
  }
  private readonly flushTask = (): void => this.flush();

  /** Writes every encoded request (when connected). */
  private flush(): void {
    this.flushQueued = false;
    if (this.state !== 'ready' || this.socket === null) return;
    this.flushTo(this.socket);
  }

  private flushTo(socket: net.Socket): void {
    const out = this.out;
    const handle = this.handle;
    if (handle !== null && socket === this.socket && socket.writableLength === 0) {
      // the usual way: the frame buffer itself, straight to the handle (no Writable, no request
      // object, no nextTick per write); while libuv holds the rest of a write, requests wait
      if (this.inFlightWrite !== null) return;
      const bytes = out.takeShared();
      if (bytes === null) return;
      this.sentUpTo = this.nextId - 1;
      const r = writeDirect(handle, bytes, this.writeDone);
      if (r === WRITTEN) return;
      if (r === QUEUED) {
        this.inFlightWrite = bytes;
        out.detach(bytes);
        return;
      }
      // EPIPE, ECONNRESET…: the connection is lost ('close' follows)
      socket.destroy();
      return;
    }
    // through the stream (TLS): the frame buffer itself when the socket takes it at once,
    // else the writer moves on to a new buffer
    const bytes = out.takeShared();
    if (bytes === null) return;
    this.sentUpTo = this.nextId - 1;
    socket.write(bytes);
    if (socket.writableLength !== 0) out.detach(bytes);
  }

  /** libuv finished the direct write it held: what waited goes now. */
  private onWriteDone(socket: net.Socket, status: number): void {
    if (socket !== this.socket) return;
    this.inFlightWrite = null;
    if (status < 0) {
      socket.destroy();
      return;
    }
    if (this.state === 'ready' && this.out.pending !== 0) this.flushTo(socket);
  }

  private id(): number {
    const id = this.nextId++;
    if (this.nextId > 0xffffffff) this.nextId = 1;
    return id;
  }

  private arg(a: KvArg): void {
    const w = this.out;
    if (typeof a === 'string') w.utf8(a);
    else if (typeof a === 'number' || typeof a === 'bigint') w.latin1(String(a));
    else w.bytes(a);
  }

  private value(v: KvInput): void {
    const w = this.out;
    if (typeof v === 'string') {
      w.u8(Tag.STRING);
      w.utf8(v);
    } else if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) {
        w.u8(Tag.INT);
        w.i64(v);
      } else {
        w.u8(Tag.FLOAT);
        w.f64(v);
      }
    } else if (typeof v === 'bigint') {
      w.u8(Tag.INT);
      w.i64(v);
    } else if (v instanceof Decimal) {
      w.u8(Tag.DECIMAL);
      w.latin1(v.value);
    } else if (v instanceof Float) {
      w.u8(Tag.FLOAT);
      w.f64(v.value);
    } else {
      w.u8(Tag.BYTES);
      w.bytes(v);
    }
  }

  private argsFrame(op: number, head: KvArg[], rest: readonly KvArg[]): number {
    const id = this.id();
    const w = this.out;
    w.begin(op, id);
    w.u32(head.length + rest.length);
    for (const a of head) this.arg(a);
    for (const a of rest) this.arg(a);
    w.end();
    return id;
  }

  /** Runs any command of the server's command table: `command('HSET', 'h', 'f', 'v')`. */
  command<T = KvValue>(...args: KvArg[]): Promise<T> {
    return this.expect<T>(this.argsFrame(Op.COMMAND, args, []), null, this.timeoutMs);
  }

  /** `command` with options: `commandWith({ timeoutMs: 100 }, 'BLPOP', 'q', 0)`. */
  commandWith<T = KvValue>(opts: RequestOptions, ...args: KvArg[]): Promise<T> {
    return this.expect<T>(this.argsFrame(Op.COMMAND, args, []), null, opts.timeoutMs ?? this.timeoutMs);
  }

  ping(message?: KvArg): Promise<KvValue> {
    return this.expect(this.argsFrame(Op.PING, message === undefined ? [] : [message], []), null, this.timeoutMs);
  }

  /** The value, typed as it was written (Bytes without the server's typed values), or null. */
  get(key: KvArg, opts?: RequestOptions): Promise<KvValue> {
    const id = this.id();
    const w = this.out;
    w.begin(Op.GET, id);
    this.arg(key);
    w.end();
    return this.expect(id, null, opts?.timeoutMs ?? this.timeoutMs);
  }

  /** SET: true when set (false: NX/XX did not hold). */
  set(key: KvArg, value: KvInput, opts?: SetOptions & RequestOptions): Promise<boolean> {
    const id = this.id();
    const w = this.out;
    w.begin(Op.SET, id);
    this.arg(key);
    this.value(value);
    let flags = 0;
    if (opts !== undefined) {
      if (opts.nx) flags |= SetFlag.NX;
      if (opts.xx) flags |= SetFlag.XX;
      if (opts.keepTtl) flags |= SetFlag.KEEPTTL;
      if (opts.px !== undefined) flags |= SetFlag.PX;
    }
    w.u8(flags);
    if (opts?.px !== undefined) w.i64(opts.px);
    w.end();
    return this.expect(id, isNotNull, opts?.timeoutMs ?? this.timeoutMs);
  }

  /** DEL: the number of keys removed. */
  delete(...keys: KvArg[]): Promise<number> {
    return this.expect(this.argsFrame(Op.DEL, [], keys), null, this.timeoutMs);
  }

  exists(...keys: KvArg[]): Promise<number> {
    return this.command<number>('EXISTS', ...keys);
  }

  mget(keys: readonly KvArg[]): Promise<KvValue[]> {
    return this.expect(this.argsFrame(Op.MGET, [], keys), null, this.timeoutMs);
  }

  mset(entries: Record<string, KvInput> | Iterable<readonly [KvArg, KvInput]>): Promise<void> {
    const pairs: Array<readonly [KvArg, KvInput]> =
      Symbol.iterator in entries ? [...(entries as Iterable<readonly [KvArg, KvInput]>)] : Object.entries(entries as Record<string, KvInput>);
    const id = this.id();
    const w = this.out;
    w.begin(Op.MSET, id);
    w.u32(pairs.length);
    for (const [k, v] of pairs) {
      this.arg(k);
      this.value(v);
    }
    w.end();
    return this.expect(id, toVoid, this.timeoutMs);
  }

  incr(key: KvArg, by: number | bigint = 1): Promise<number | bigint> {
    const id = this.id();
    const w = this.out;
    w.begin(Op.INCR, id);
    this.arg(key);
    w.i64(by);
    w.end();
    return this.expect(id, null, this.timeoutMs);
  }

  decr(key: KvArg, by: number | bigint = 1): Promise<number | bigint> {
    return this.incr(key, typeof by === 'bigint' ? -by : -by);
  }

  /** PEXPIRE: true when the key exists. */
  expire(key: KvArg, ms: number): Promise<boolean> {
    const id = this.id();
    const w = this.out;
    w.begin(Op.EXPIRE, id);
    this.arg(key);
    w.i64(ms);
    w.end();
    return this.expect(id, isOne, this.timeoutMs);
  }

  /** PTTL: ms left, -1 without a TTL, -2 when missing. */
  ttl(key: KvArg): Promise<number> {
    return this.command<number>('PTTL', key);
  }

  /** CAS key expected new: true when swapped. */
  cas(key: KvArg, expected: KvArg, next: KvArg, opts?: { px?: number; keepTtl?: boolean }): Promise<boolean> {
    const extra: KvArg[] = [];
    if (opts?.px !== undefined) extra.push('PX', opts.px);
    if (opts?.keepTtl) extra.push('KEEPTTL');
    return this.expect(this.argsFrame(Op.COMMAND, ['CAS', key, expected, next], extra), isOne, this.timeoutMs);
  }

  /**
   * Acquires the lock `key` (KV.LOCK), waiting up to `waitMs`; the holder renews it (KV.RENEW)
   * every `renewEveryMs` while held and releases it (KV.UNLOCK) on `release()` or when an
   * `await using` scope ends. Throws LockError when not acquired.
   */
  async lock(key: string, opts: LockOptions): Promise<LockHolder> {
    const owner = opts.owner ?? randomUUID();
    const args: KvArg[] = ['KV.LOCK', key, owner, opts.ttlMs];
    if (opts.waitMs !== undefined && opts.waitMs > 0) args.push('WAIT', opts.waitMs);
    const timeout = this.timeoutMs === 0 ? 0 : this.timeoutMs + (opts.waitMs ?? 0);
    let token: number | bigint | null;
    if (opts.waitMs !== undefined && opts.waitMs > 0) {
      // a waiting KV.LOCK blocks its connection's later requests (replies are in request order):
      // it waits on a connection of its own, so this one's requests (other locks' renewals) go on
      const side = new KvClient(this.target, { ...this.opts, reconnect: false });
      try {
        await side.ready();
        token = await side.commandWith<number | bigint | null>({ timeoutMs: timeout }, ...args);
      } finally {
        void side.close();
      }
    } else {
      token = await this.commandWith<number | bigint | null>({ timeoutMs: timeout }, ...args);
    }
    if (token === null) throw new LockError(`lock '${key}' is held by another owner`);
    return new LockHolder(this, key, owner, token, opts);
  }

  /** Collects requests and writes them in one write on `exec()`. */
  batch(): Batch {
    return new Batch(this);
  }

  /** Writes what is encoded now, without waiting for the end of the turn. */
  flushNow(): void {
    this.flush();
  }
}

/**
 * An explicit pipeline: queue requests, then `exec()` encodes them all, writes them at once and
 * resolves with every reply in order (a failed request's KvError in its place).
 */
export class Batch {
  private readonly ops: Array<(c: KvClient) => Promise<unknown>> = [];
  constructor(private readonly client: KvClient) {}

  get length(): number {
    return this.ops.length;
  }
  command(...args: KvArg[]): this {
    this.ops.push((c) => c.command(...args));
    return this;
  }
  get(key: KvArg): this {
    this.ops.push((c) => c.get(key));
    return this;
  }
  set(key: KvArg, value: KvInput, opts?: SetOptions): this {
    this.ops.push((c) => c.set(key, value, opts));
    return this;
  }
  delete(...keys: KvArg[]): this {
    this.ops.push((c) => c.delete(...keys));
    return this;
  }
  incr(key: KvArg, by: number | bigint = 1): this {
    this.ops.push((c) => c.incr(key, by));
    return this;
  }
  mget(keys: readonly KvArg[]): this {
    this.ops.push((c) => c.mget(keys));
    return this;
  }
  expire(key: KvArg, ms: number): this {
    this.ops.push((c) => c.expire(key, ms));
    return this;
  }

  async exec(): Promise<unknown[]> {
    const promises = this.ops.map((op) => op(this.client).then(ok, keepError));
    this.ops.length = 0;
    this.client.flushNow();
    return Promise.all(promises);
  }
}

/** `len:u32 bytes` as a Buffer of its own (the frame's bytes are reused after the read). */
function copyBytes(r: PayloadReader): Buffer {
  const n = r.u32();
  const src = r.buf;
  const at = r.pos;
  if (at + n > r.end) throw new ProtocolError('payload too short');
  r.pos = at + n;
  const out = Buffer.allocUnsafe(n);
  if (n <= SMALL_COPY) {
    for (let i = 0; i < n; i++) out[i] = src[at + i]!;
  } else {
    src.copy(out, 0, at, at + n);
  }
  return out;
}

function ok(v: unknown): unknown {
  return v;
}
function keepError(e: unknown): unknown {
  if (e instanceof KvError) return e;
  throw e;
}
function isNotNull(v: KvValue): boolean {
  return v !== null;
}
function isOne(v: KvValue): boolean {
  return v === 1;
}
function toVoid(): void {}
