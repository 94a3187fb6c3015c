/*
 * The channel between the main thread and the Lua worker: one growable SharedArrayBuffer holding
 * two signal words and one message at a time, passed back and forth with Atomics (no event loop,
 * no structured clone, no Promise). Either side writes a message, stores its kind in the other
 * side's signal word and notifies it, then waits on its own word.
 *
 *   word 0  to the main thread: Msg kind (0 = nothing yet)
 *   word 1  to the worker: Msg kind (0 = nothing yet)
 *   word 2  length of the message in bytes
 *   bytes 16…  the message
 *
 * Values are encoded with one tag byte each; strings are byte strings (latin1 on the main
 * thread, Buffers in the worker) so that anything binary round-trips.
 */
import { latin1 } from '../resp/short-strings.js';
import type { ReplyValue } from '../resp/collecting-reply.js';
import { replySize, writeReply } from './engine-options.js';

export const enum Msg {
  /** worker → main: the engine is loaded */
  Ready = 1,
  /** main → worker: run a script (Job); worker → main: the script's result (a value) */
  Run = 2,
  Done = 3,
  /** worker → main: redis.call / redis.pcall (resp, argv); main → worker: its reply (a value) */
  Call = 4,
  PCall = 5,
  CallReply = 6,
  /** worker → main: redis.log (level, message); main answers CallReply nil */
  Log = 7,
  /** worker → main: redis.setresp(n) */
  SetResp = 8,
}

export const TO_MAIN = 0;
export const TO_WORKER = 1;
const LENGTH = 2;
const HEADER = 16;
const INITIAL_BYTES = 1 << 20;
const MAX_BYTES = 1 << 30;

/** A value crossing the channel: what the Lua engine takes and gives (lua-redis-wasm's ReplyValue shape). */
export type WireValue =
  | null
  | number
  | bigint
  | boolean
  | Buffer
  | { ok: Buffer }
  | { err: Buffer; code?: Buffer; meta?: { kind?: string; name?: string; line: number; sha: string } }
  | { double: number }
  | { big_number: Buffer }
  | { verbatim_string: { format: Buffer; string: Buffer } }
  | { map: [WireValue, WireValue][] }
  | { set: WireValue[] }
  | WireValue[];

/**
 * Waiting for the other thread's next message on one signal word: a short spin, then
 * Atomics.wait. A message caught while spinning costs well under a microsecond; one that has to
 * wake a sleeping thread costs a wake-up and a reschedule (5–50 µs, more on a loaded machine).
 * A long spin is no cure: with more runnable threads than cores the spinner holds the core the
 * other thread needs in order to answer (a fixed 20,000-round spin, ~0.7 ms, made a redis.call
 * from the worker cost ~0.3 ms on a loaded two-core machine). So the spin adapts to how soon
 * answers come: it doubles when the answer arrived shortly after the spin gave up (spinning a
 * little longer would have caught it) and halves when the wait was long (the other side was busy
 * or not running).
 */
export class SignalWait {
  /** rounds of Atomics.load (~5–40 ns each) before sleeping */
  private spins = 256;

  constructor(
    private readonly signal: Int32Array,
    private readonly index: number,
    private readonly minSpins = 32,
    private readonly maxSpins = 4096,
  ) {}

  /** The word once nonzero; 0 if it still is at `deadline` (a performance.now() time). */
  next(deadline: number): number {
    const signal = this.signal;
    const index = this.index;
    const spins = this.spins;
    for (let i = 0; i < spins; i++) {
      const k = Atomics.load(signal, index);
      if (k !== 0) return k;
    }
    const from = performance.now();
    if (from >= deadline) return Atomics.load(signal, index);
    Atomics.wait(signal, index, 0, deadline === Infinity ? undefined : deadline - from);
    const k = Atomics.load(signal, index);
    if (k !== 0) this.spins = performance.now() - from < SHORT_WAIT_MS ? Math.min(this.maxSpins, spins * 2) : Math.max(this.minSpins, spins >> 1);
    return k;
  }
}

/** A wait shorter than this (ms) means the answer came just after the spin ended. */
const SHORT_WAIT_MS = 0.05;

export function newSharedChannel(): SharedArrayBuffer {
  return new (SharedArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => SharedArrayBuffer)(INITIAL_BYTES, {
    maxByteLength: MAX_BYTES,
  });
}

const T_NIL = 0,
  T_INT = 1,
  T_BIGINT = 2,
  T_TRUE = 3,
  T_FALSE = 4,
  T_BULK = 5,
  T_OK = 6,
  T_ERR = 7,
  T_DOUBLE = 8,
  T_BIGNUM = 9,
  T_VERBATIM = 10,
  T_MAP = 11,
  T_SET = 12,
  T_ARRAY = 13,
  T_STR = 14; // a latin1 JS string (main side); decodes as a Buffer in the worker, a string on main

/** Writes messages into the shared buffer, growing it when needed. */
export class ChannelWriter {
  private bytes!: Buffer;
  private view!: DataView;
  private readonly words: Int32Array;
  pos = HEADER;

  constructor(private readonly sab: SharedArrayBuffer) {
    this.words = new Int32Array(sab, 0, 4);
    this.viewsOf(sab.byteLength);
  }

  /** Views of the buffer's current length. Fixed-length: a length-tracking view of a growable
   *  SharedArrayBuffer takes V8's slow path on every element access (~15× slower per byte). */
  private viewsOf(n: number): void {
    this.bytes = Buffer.from(this.sab, 0, n);
    this.view = new DataView(this.sab, 0, n);
  }

  begin(): void {
    // the other side may have grown the buffer
    if (this.bytes.length !== this.sab.byteLength) this.viewsOf(this.sab.byteLength);
    this.pos = HEADER;
  }

  private room(n: number): void {
    const need = this.pos + n;
    if (need <= this.bytes.length) return;
    const grow = this.sab as unknown as { grow(n: number): void; byteLength: number; maxByteLength: number };
    let size = this.bytes.length;
    while (size < need) size *= 2;
    if (size > grow.maxByteLength) throw new RangeError('script message too large');
    grow.grow(size);
    this.viewsOf(size);
  }

  u8(n: number): void {
    this.room(1);
    this.bytes[this.pos++] = n;
  }

  u32(n: number): void {
    this.room(4);
    this.view.setUint32(this.pos, n, true);
    this.pos += 4;
  }

  f64(n: number): void {
    this.room(8);
    this.view.setFloat64(this.pos, n, true);
    this.pos += 8;
  }

  /** a byte string given as a latin1 JS string */
  str(s: string): void {
    const n = s.length;
    this.u32(n);
    this.room(n);
    const b = this.bytes;
    let p = this.pos;
    if (n < 64) {
      for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    } else {
      b.latin1Write(s, p, n);
      p += n;
    }
    this.pos = p;
  }

  buf(x: Uint8Array): void {
    const n = x.length;
    this.u32(n);
    this.room(n);
    this.bytes.set(x, this.pos);
    this.pos += n;
  }

  value(v: WireValue | string): void {
    if (v === null) return this.u8(T_NIL);
    switch (typeof v) {
      case 'string':
        this.u8(T_STR);
        return this.str(v);
      case 'number':
        this.u8(T_INT);
        return this.f64(v);
      case 'bigint':
        this.u8(T_BIGINT);
        return this.str(v.toString());
      case 'boolean':
        return this.u8(v ? T_TRUE : T_FALSE);
    }
    if (v instanceof Uint8Array) {
      this.u8(T_BULK);
      return this.buf(v);
    }
    if (Array.isArray(v)) {
      this.u8(T_ARRAY);
      this.u32(v.length);
      for (const x of v) this.value(x);
      return;
    }
    const o = v as Record<string, unknown>;
    if ('ok' in o) {
      this.u8(T_OK);
      return this.bytesOf(o.ok);
    }
    if ('err' in o) {
      this.u8(T_ERR);
      this.bytesOf(o.err);
      this.u8(o.code === undefined ? 0 : 1);
      if (o.code !== undefined) this.bytesOf(o.code);
      const meta = o.meta as { kind?: string; name?: string; line: number; sha: string } | undefined;
      this.u8(meta === undefined ? 0 : 1);
      if (meta !== undefined) {
        this.str(meta.kind ?? '');
        this.str(meta.name ?? '');
        this.f64(meta.line);
        this.str(meta.sha);
      }
      return;
    }
    if ('double' in o) {
      this.u8(T_DOUBLE);
      return this.f64(o.double as number);
    }
    if ('big_number' in o) {
      this.u8(T_BIGNUM);
      return this.bytesOf(o.big_number);
    }
    if ('verbatim_string' in o) {
      const vs = o.verbatim_string as { format: unknown; string: unknown };
      this.u8(T_VERBATIM);
      this.bytesOf(vs.format);
      return this.bytesOf(vs.string);
    }
    if ('map' in o) {
      const m = o.map as [WireValue, WireValue][];
      this.u8(T_MAP);
      this.u32(m.length);
      for (const [k, x] of m) {
        this.value(k);
        this.value(x);
      }
      return;
    }
    if ('set' in o) {
      const s = o.set as WireValue[];
      this.u8(T_SET);
      this.u32(s.length);
      for (const x of s) this.value(x);
      return;
    }
    throw new TypeError('cannot encode script value');
  }

  private bytesOf(x: unknown): void {
    if (typeof x === 'string') this.str(x);
    else this.buf(x as Uint8Array);
  }

  /** A redis.call reply in the engine's reply format: the worker copies it into its heap as it is. */
  engineReply(v: ReplyValue): void {
    this.room(replySize(v));
    this.pos = writeReply(this.bytes, this.pos, v);
  }

  /** Bytes as they are. */
  raw(src: Uint8Array): void {
    this.room(src.length);
    this.bytes.set(src, this.pos);
    this.pos += src.length;
  }

  /** Ends the message: records its length. */
  end(): void {
    this.words[LENGTH] = this.pos - HEADER;
  }
}

/**
 * Reads the message in the shared buffer. `strings` chooses how byte strings come out: latin1 JS
 * strings (main thread) or Buffers (worker, which hands them to the engine).
 */
export class ChannelReader {
  private bytes!: Buffer;
  private view!: DataView;
  private readonly words: Int32Array;
  pos = HEADER;

  constructor(
    private readonly sab: SharedArrayBuffer,
    private readonly strings: boolean,
  ) {
    this.words = new Int32Array(sab, 0, 4);
    this.viewsOf(sab.byteLength);
  }

  /** fixed-length views, as the writer's */
  private viewsOf(n: number): void {
    this.bytes = Buffer.from(this.sab, 0, n);
    this.view = new DataView(this.sab, 0, n);
  }

  begin(): void {
    if (this.bytes.length !== this.sab.byteLength) this.viewsOf(this.sab.byteLength);
    this.pos = HEADER;
  }

  /** The rest of the message, as a view into the shared buffer (valid until the next message). */
  rest(): Buffer {
    const end = HEADER + this.words[LENGTH]!;
    const out = this.bytes.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  u8(): number {
    return this.bytes[this.pos++]!;
  }

  u32(): number {
    const n = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return n;
  }

  f64(): number {
    const n = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return n;
  }

  str(): string {
    const n = this.u32();
    const b = this.bytes;
    const p = this.pos;
    this.pos += n;
    return latin1(b, p, p + n);
  }

  /** a byte string as a fresh Buffer (the shared buffer is reused by the next message) */
  buf(): Buffer {
    const n = this.u32();
    const out = Buffer.allocUnsafe(n);
    out.set(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  private bytesOut(): Buffer | string {
    return this.strings ? this.str() : this.buf();
  }

  /** One value; byte strings as strings or Buffers per the reader's mode. */
  value(): WireValue | string {
    const tag = this.u8();
    switch (tag) {
      case T_NIL:
        return null;
      case T_INT:
        return this.f64();
      case T_BIGINT:
        return BigInt(this.str());
      case T_TRUE:
        return true;
      case T_FALSE:
        return false;
      case T_BULK:
      case T_STR:
        return this.bytesOut();
      case T_OK:
        return { ok: this.bytesOut() as Buffer };
      case T_ERR: {
        const err = this.bytesOut() as Buffer;
        const out: { err: Buffer; code?: Buffer; meta?: { kind?: string; name?: string; line: number; sha: string } } = { err };
        if (this.u8() === 1) out.code = this.bytesOut() as Buffer;
        if (this.u8() === 1) {
          const kind = this.str();
          const name = this.str();
          const line = this.f64();
          const sha = this.str();
          out.meta = { kind: kind || undefined, name: name || undefined, line, sha };
        }
        return out;
      }
      case T_DOUBLE:
        return { double: this.f64() };
      case T_BIGNUM:
        return { big_number: this.bytesOut() as Buffer };
      case T_VERBATIM: {
        const format = this.bytesOut() as Buffer;
        return { verbatim_string: { format, string: this.bytesOut() as Buffer } };
      }
      case T_MAP: {
        const n = this.u32();
        const m: [WireValue, WireValue][] = [];
        for (let i = 0; i < n; i++) m.push([this.value() as WireValue, this.value() as WireValue]);
        return { map: m };
      }
      case T_SET: {
        const n = this.u32();
        const s: WireValue[] = [];
        for (let i = 0; i < n; i++) s.push(this.value() as WireValue);
        return { set: s };
      }
      case T_ARRAY: {
        const n = this.u32();
        const a: WireValue[] = [];
        for (let i = 0; i < n; i++) a.push(this.value() as WireValue);
        return a;
      }
    }
    throw new TypeError(`bad script channel tag ${tag}`);
  }
}
