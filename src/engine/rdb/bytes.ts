/*
 * Byte buffers for the RDB formats: a growable writer and a bounds-checked reader. A reader past
 * its end throws BadFormat, which the loaders turn into RESTORE's "Bad data format".
 */

export class BadFormat extends Error {}

export class ByteWriter {
  private buf = new Uint8Array(64);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** a latin1 string's bytes (one byte per char) */
  latin1(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i);
  }

  /** little-endian unsigned integer of `width` bytes (up to 8; a bigint for 8-byte values) */
  uintLE(v: number | bigint, width: number): void {
    this.room(width);
    let x = BigInt.asUintN(width * 8, BigInt(v));
    for (let i = 0; i < width; i++) {
      this.buf[this.length++] = Number(x & 0xffn);
      x >>= 8n;
    }
  }

  setUint32LE(at: number, v: number): void {
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = (v >>> 8) & 0xff;
    this.buf[at + 2] = (v >>> 16) & 0xff;
    this.buf[at + 3] = (v >>> 24) & 0xff;
  }

  setUint16LE(at: number, v: number): void {
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = (v >>> 8) & 0xff;
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

export class ByteReader {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end = buf.length,
  ) {}

  get left(): number {
    return this.end - this.pos;
  }

  byte(): number {
    if (this.pos >= this.end) throw new BadFormat();
    return this.buf[this.pos++]!;
  }

  take(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.end) throw new BadFormat();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** little-endian signed integer of `width` bytes: a number when safe, else a bigint */
  intLE(width: number): number | bigint {
    const b = this.take(width);
    let x = 0n;
    for (let i = width - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]!);
    const v = BigInt.asIntN(width * 8, x);
    return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
  }

  uintLE(width: number): number {
    const b = this.take(width);
    let x = 0;
    for (let i = width - 1; i >= 0; i--) x = x * 256 + b[i]!;
    return x;
  }

  uintBE(width: number): number {
    const b = this.take(width);
    let x = 0;
    for (let i = 0; i < width; i++) x = x * 256 + b[i]!;
    return x;
  }
}

/** The latin1 string of some bytes. */
export function latin1Of(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).latin1Slice(0, b.length);
}
