/*
 * The binary protocol's frame codec (docs/protocol.md), shared by the server (src/binary/) and the
 * TypeScript client (src/client/): opcodes, value tags, error codes, a growable frame writer and a
 * frame decoder that keeps its state between chunks (a frame split over reads is collected once,
 * into one buffer of its final size; nothing is re-scanned or re-concatenated).
 */

export const PROTOCOL_VERSION = 1;

/** Frame opcodes. Requests below 0x80, server frames from 0x80. */
export const Op = {
  HELLO: 0x01,
  COMMAND: 0x02,
  PING: 0x10,
  GET: 0x11,
  SET: 0x12,
  DEL: 0x13,
  MGET: 0x14,
  MSET: 0x15,
  INCR: 0x16,
  EXPIRE: 0x17,
  REPLY: 0x82,
} as const;

/** Value tags. */
export const Tag = {
  NULL: 0,
  INT: 1,
  FLOAT: 2,
  DECIMAL: 3,
  BYTES: 4,
  STRING: 5,
  LIST: 6,
  MAP: 7,
  ERROR: 8,
  BOOL: 9,
  PUSH: 10,
} as const;

/** SET's flag bits. */
export const SetFlag = { NX: 1, XX: 2, KEEPTTL: 4, PX: 8 } as const;

/** Stable error codes, from an error text's first word (anything else is ERR). */
export const ErrorCode = {
  ERR: 1,
  WRONGTYPE: 2,
  NOAUTH: 3,
  WRONGPASS: 4,
  NOPERM: 5,
  NOPROTO: 6,
  READONLY: 7,
  MOVED: 8,
  OOM: 9,
  EXECABORT: 10,
  NOSCRIPT: 11,
  BUSY: 12,
  BUSYKEY: 13,
  UNBLOCKED: 14,
  LOADING: 15,
  NOTBUSY: 16,
  PROTOCOL: 100,
  UNSUPPORTED_VERSION: 101,
} as const;

const PREFIX_CODES = new Map<string, number>([
  ['WRONGTYPE', ErrorCode.WRONGTYPE],
  ['NOAUTH', ErrorCode.NOAUTH],
  ['WRONGPASS', ErrorCode.WRONGPASS],
  ['NOPERM', ErrorCode.NOPERM],
  ['NOPROTO', ErrorCode.NOPROTO],
  ['READONLY', ErrorCode.READONLY],
  ['MOVED', ErrorCode.MOVED],
  ['ASK', ErrorCode.MOVED],
  ['OOM', ErrorCode.OOM],
  ['EXECABORT', ErrorCode.EXECABORT],
  ['NOSCRIPT', ErrorCode.NOSCRIPT],
  ['BUSY', ErrorCode.BUSY],
  ['BUSYKEY', ErrorCode.BUSYKEY],
  ['UNBLOCKED', ErrorCode.UNBLOCKED],
  ['LOADING', ErrorCode.LOADING],
  ['NOTBUSY', ErrorCode.NOTBUSY],
]);

/** The stable code of an error text (`WRONGTYPE Operation…` → 2). */
export function errorCodeOf(message: string): number {
  if (message.startsWith('ERR ')) return ErrorCode.ERR;
  const space = message.indexOf(' ');
  return PREFIX_CODES.get(space < 0 ? message : message.slice(0, space)) ?? ErrorCode.ERR;
}

/*
 * The little-endian u32 of the frame header and of every length, read and written byte by byte:
 * Buffer's readUInt32LE/writeUInt32LE are functions of their own (bounds checks, a call per
 * use that the optimiser did not inline on the request path). The callers check the bounds.
 */

/** The u32 at `at` of `buf` (the caller has checked that 4 bytes are there). */
export function u32At(buf: Uint8Array, at: number): number {
  return (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16)) + buf[at + 3]! * 0x1000000;
}

/** Writes `n` (0 to 2^32 - 1) as a u32 at `at` of `buf` (the caller has made room). */
export function putU32(buf: Uint8Array, at: number, n: number): void {
  buf[at] = n;
  buf[at + 1] = n >>> 8;
  buf[at + 2] = n >>> 16;
  buf[at + 3] = n >>> 24;
}

/** op:u8 id:u32 after the length */
export const FRAME_HEAD = 5;
const INITIAL = 16 * 1024;
const SHRINK_ABOVE = 1024 * 1024;
const TWO_32 = 4294967296;

/**
 * A growable buffer of frames. `begin(op, id)` opens a frame (its length patched by `end()`);
 * between them, the primitive writes encode its payload. `take()` hands out what was written.
 */
export class FrameWriter {
  protected buf: Buffer = Buffer.allocUnsafe(INITIAL);
  protected len = 0;
  private frameAt = -1;

  get pending(): number {
    return this.len;
  }
  get capacity(): number {
    return this.buf.length;
  }
  peak = 0;

  /** Hands back everything written since the last take (a copy), and empties the writer. */
  take(): Buffer | null {
    const len = this.len;
    if (len === 0) return null;
    if (len > this.peak) this.peak = len;
    const out = Buffer.allocUnsafe(len);
    out.set(this.buf.subarray(0, len));
    this.len = 0;
    if (this.buf.length > SHRINK_ABOVE) this.replaceBuffer(Buffer.allocUnsafe(INITIAL));
    return out;
  }

  /**
   * As take, but without a copy: a view of the writer's own buffer, which the writer goes on
   * filling after it. For a caller that hands it to a socket: when the socket kept the view (its
   * write did not complete at once) it must call `detach(view)` before anything else is written.
   * Never while a frame is open (between `begin` and `end`).
   */
  takeShared(): Buffer | null {
    const len = this.len;
    if (len === 0) return null;
    if (len > this.peak) this.peak = len;
    // the same length again (one GET reply after another): the view is kept, not rebuilt
    let out = this.view;
    if (out === null || out.length !== len) out = this.view = this.buf.subarray(0, len);
    this.len = 0;
    if (this.buf.length > SHRINK_ABOVE) this.replaceBuffer(Buffer.allocUnsafe(INITIAL));
    return out;
  }

  /** the last view takeShared made of `buf` (null after `buf` changed) */
  private view: Buffer | null = null;

  private replaceBuffer(next: Buffer): void {
    this.buf = next;
    this.view = null;
  }

  /** The view takeShared returned is still in use: write on into a buffer of the writer's own. */
  detach(view: Buffer): void {
    if (view.buffer === this.buf.buffer) this.replaceBuffer(Buffer.allocUnsafe(INITIAL));
  }

  truncate(len: number): void {
    if (len < this.len) this.len = len;
  }

  protected reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    next.set(this.buf.subarray(0, this.len));
    this.replaceBuffer(next);
  }

  begin(op: number, id: number): void {
    this.reserve(9);
    this.frameAt = this.len;
    const buf = this.buf;
    buf[this.len + 4] = op;
    putU32(buf, this.len + 5, id >>> 0);
    this.len += 9;
  }

  end(): void {
    putU32(this.buf, this.frameAt, this.len - this.frameAt - 4);
    this.frameAt = -1;
  }

  u8(n: number): void {
    this.reserve(1);
    this.buf[this.len++] = n;
  }

  u16(n: number): void {
    this.reserve(2);
    this.buf.writeUInt16LE(n, this.len);
    this.len += 2;
  }

  u32(n: number): void {
    this.reserve(4);
    putU32(this.buf, this.len, n >>> 0);
    this.len += 4;
  }

  i64(n: number | bigint): void {
    this.reserve(8);
    if (typeof n === 'number' && Number.isSafeInteger(n)) {
      // two's complement halves without a BigInt
      const hi = Math.floor(n / TWO_32);
      const lo = n - hi * TWO_32;
      this.buf.writeUInt32LE(lo, this.len);
      this.buf.writeInt32LE(hi, this.len + 4);
    } else {
      this.buf.writeBigInt64LE(BigInt(n), this.len);
    }
    this.len += 8;
  }

  f64(d: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(d, this.len);
    this.len += 8;
  }

  /** `len:u32` + the string's latin1 bytes (one char per byte: the server's byte strings). */
  latin1(s: string): void {
    const n = s.length;
    this.reserve(n + 4);
    const buf = this.buf;
    let at = this.len;
    putU32(buf, at, n);
    at += 4;
    if (n < 32) {
      for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    } else {
      at += buf.latin1Write(s, at, n);
    }
    this.len = at;
  }

  /** `len:u32` + the string's UTF-8 bytes. */
  utf8(s: string): void {
    const n = s.length;
    if (n < 64) {
      // ASCII, the usual key: its bytes are its chars, written in the same pass that checks them
      this.reserve(n + 4);
      const buf = this.buf;
      const at = this.len + 4;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        buf[at + i] = c;
      }
      if (i === n) {
        putU32(buf, this.len, n);
        this.len = at + n;
        return;
      }
    }
    const bytes = Buffer.byteLength(s, 'utf8');
    this.reserve(bytes + 4);
    putU32(this.buf, this.len, bytes);
    this.len += 4 + this.buf.write(s, this.len + 4, bytes, 'utf8');
  }

  /** `len:u32` + bytes [start, end) of `src` (a value's bytes where they are stored). */
  bytesOf(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n + 4);
    const buf = this.buf;
    let at = this.len;
    putU32(buf, at, n);
    at += 4;
    if (n < 32) {
      for (let i = start; i < end; i++) buf[at++] = src[i]!;
    } else {
      buf.set(src.subarray(start, end), at);
      at += n;
    }
    this.len = at;
  }

  /** `len:u32` + bytes. */
  bytes(b: Uint8Array): void {
    const n = b.length;
    this.reserve(n + 4);
    putU32(this.buf, this.len, n);
    this.buf.set(b, this.len + 4);
    this.len += n + 4;
  }
}

/**
 * Reads a frame's payload. Every read checks its bounds: a short payload throws
 * `MalformedFrame` (the connection answers a protocol error).
 */
export class MalformedFrame extends Error {}

export class PayloadReader {
  buf: Buffer = EMPTY;
  pos = 0;
  end = 0;

  reset(buf: Buffer): void {
    this.buf = buf;
    this.pos = 0;
    this.end = buf.length;
  }

  /** Reads bytes `start` to `end` of `buf` (a frame in place: FrameDecoder.nextFrame). */
  resetRange(buf: Buffer, start: number, end: number): void {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos === this.end;
  }

  private need(n: number): number {
    const at = this.pos;
    if (at + n > this.end) throw new MalformedFrame('payload too short');
    this.pos = at + n;
    return at;
  }

  u8(): number {
    return this.buf[this.need(1)]!;
  }
  u16(): number {
    return this.buf.readUInt16LE(this.need(2));
  }
  u32(): number {
    return u32At(this.buf, this.need(4));
  }
  /** An i64 as a number when it is a safe integer, else a bigint. */
  i64(): number | bigint {
    const at = this.need(8);
    const lo = this.buf.readUInt32LE(at);
    const hi = this.buf.readInt32LE(at + 4);
    const n = hi * TWO_32 + lo;
    if (Number.isSafeInteger(n)) return n;
    return this.buf.readBigInt64LE(at);
  }
  f64(): number {
    return this.buf.readDoubleLE(this.need(8));
  }
  /** `len:u32 bytes` as a latin1 string (one char per byte). */
  latin1(): string {
    const n = this.u32();
    const at = this.need(n);
    return this.buf.latin1Slice(at, at + n);
  }
  utf8(): string {
    const n = this.u32();
    const at = this.need(n);
    return this.buf.toString('utf8', at, at + n);
  }
  /** `len:u32 bytes` as a view (valid while the frame is). */
  view(): Buffer {
    const n = this.u32();
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }
  /** A count of items, each at least `min` bytes: rejects counts the payload cannot hold. */
  count(min: number): number {
    const n = this.u32();
    if (n * min > this.end - this.pos) throw new MalformedFrame('count larger than the payload');
    return n;
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * Splits a byte stream into frames. `feed(chunk)`, then `next()` until it returns null; each
 * frame's `op`, `id` and payload (a view, valid until the next `next()`/`feed()`) are on the
 * decoder. A partial frame is copied once into a buffer of its full size. `detachInput()` copies
 * what is left of a chunk the caller will reuse (a shared read buffer). After a protocol error
 * (`error` set) it returns nothing more.
 */
export class FrameDecoder {
  op = 0;
  id = 0;
  error: string | null = null;
  private chunk: Buffer = EMPTY;
  private at = 0;
  /** the chunk is this decoder's own copy (not the caller's reused buffer) */
  private owned = false;
  /** chunks fed while the current one was not read to its end */
  private readonly queue: Buffer[] = [];
  /** a frame (op, id, payload) being collected, and how much of it is filled */
  private partial: Buffer | null = null;
  private filled = 0;
  /** the first bytes of a length split over chunks */
  private readonly head = Buffer.alloc(4);
  private headFill = 0;

  constructor(public maxFrame: number) {}

  /** Bytes held for an incomplete frame, and unread input. */
  get bufferedBytes(): number {
    let queued = 0;
    for (const q of this.queue) queued += q.length;
    return (this.partial === null ? 0 : this.filled) + this.headFill + (this.chunk.length - this.at) + queued;
  }

  feed(chunk: Buffer): void {
    if (this.at < this.chunk.length || this.queue.length !== 0) {
      // the caller stopped reading frames (a blocked client): queue a copy behind what is left,
      // read when the caller asks again (each chunk copied once, never re-joined)
      this.queue.push(Buffer.from(chunk));
    } else {
      this.chunk = chunk;
      this.owned = false;
      this.at = 0;
    }
  }

  detachInput(): void {
    this.payload = EMPTY;
    if (this.at >= this.chunk.length) {
      this.chunk = EMPTY;
      this.at = 0;
    } else if (!this.owned) {
      this.chunk = Buffer.from(this.chunk.subarray(this.at));
      this.owned = true;
      this.at = 0;
    }
  }

  /** where `nextFrame` found the payload: bytes `payloadStart` to `payloadEnd` of `payload` */
  payload: Buffer = EMPTY;
  payloadStart = 0;
  payloadEnd = 0;

  /** The next complete frame's payload as a view, or null (need more bytes, or `error`). */
  next(): Buffer | null {
    return this.nextFrame() ? this.payload.subarray(this.payloadStart, this.payloadEnd) : null;
  }

  /**
   * As `next`, without making a view: true when a frame is complete, its payload then in
   * `payload` (the input chunk itself when the frame lies whole in it) between `payloadStart`
   * and `payloadEnd`, valid until the next call or `feed`/`detachInput`.
   */
  nextFrame(): boolean {
    for (;;) {
      if (this.step()) return true;
      if (this.error !== null || this.queue.length === 0) return false;
      this.chunk = this.queue.shift()!;
      this.owned = true;
      this.at = 0;
    }
  }

  /** A frame from the current chunk (`frameOf`), or false once the chunk is used up (or on error). */
  private step(): boolean {
    if (this.error !== null) return false;
    const chunk = this.chunk;
    if (this.partial !== null) {
      const partial = this.partial;
      const n = Math.min(partial.length - this.filled, chunk.length - this.at);
      partial.set(chunk.subarray(this.at, this.at + n), this.filled);
      this.filled += n;
      this.at += n;
      if (this.filled < partial.length) return false;
      this.partial = null;
      return this.frameOf(partial, 0, partial.length);
    }
    let len: number;
    if (this.headFill !== 0) {
      while (this.headFill < 4 && this.at < chunk.length) this.head[this.headFill++] = chunk[this.at++]!;
      if (this.headFill < 4) return false;
      this.headFill = 0;
      len = this.head.readUInt32LE(0);
      if (!this.lengthOk(len)) return false;
    } else {
      const avail = chunk.length - this.at;
      if (avail < 4) {
        while (this.at < chunk.length) this.head[this.headFill++] = chunk[this.at++]!;
        return false;
      }
      len = u32At(chunk, this.at);
      if (!this.lengthOk(len)) return false;
      this.at += 4;
      if (avail - 4 >= len) {
        const start = this.at;
        this.at += len;
        return this.frameOf(chunk, start, start + len);
      }
    }
    // the frame goes on in later chunks: collect it into one buffer of its size
    const partial = Buffer.allocUnsafe(len);
    const n = Math.min(len, chunk.length - this.at);
    partial.set(chunk.subarray(this.at, this.at + n), 0);
    this.at += n;
    if (n === len) return this.frameOf(partial, 0, len);
    this.partial = partial;
    this.filled = n;
    return false;
  }

  private lengthOk(len: number): boolean {
    if (len < FRAME_HEAD) this.error = `frame length ${len} is shorter than a frame header`;
    else if (len > this.maxFrame) this.error = `frame length ${len} exceeds the maximum of ${this.maxFrame}`;
    return this.error === null;
  }

  private frameOf(buf: Buffer, start: number, end: number): true {
    this.op = buf[start]!;
    this.id = u32At(buf, start + 1);
    this.payload = buf;
    this.payloadStart = start + FRAME_HEAD;
    this.payloadEnd = end;
    return true;
  }
}

/** Float text that Redis's string-to-double reads back as the same double. */
export function floatText(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  return String(d);
}
