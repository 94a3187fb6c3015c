/*
 * The binary protocol's `Reply`: the protocol-neutral reply calls of handlers (resp/writer.ts)
 * encoded as typed values (docs/protocol.md), each top-level value in a REPLY frame carrying
 * `requestId` (0 for values written outside a request: MONITOR lines, pub/sub messages). The
 * shapes are RESP3's (maps, nested pairs, doubles, booleans), whatever the client's protocol.
 *
 * Typed GET: with `typedGet` set, a top-level 2-element array [type-name, value] (KV.GETT's reply)
 * is written as the value alone, tagged with its type.
 */
import { latin1 } from '../resp/short-strings.js';
import type { Reply } from '../resp/writer.js';
import { errorCodeOf, FrameWriter, Op, putU32, Tag } from './codec.js';

const TWO_32 = 4294967296;

export class BinaryReply extends FrameWriter implements Reply {
  errors = 0;
  /** Told of every error reply (INFO errorstats); null costs nothing. */
  onError: ((message: string) => void) | null = null;
  /** the last error message written (the handshake reads AUTH's outcome from it) */
  lastError = '';
  /** the id the next top-level value answers */
  requestId = 0;
  /** the next top-level reply is KV.GETT's [type, value] */
  typedGet = false;
  /** 0: none; 1: KV.GETT's array opened, type name next; 2: its value next */
  private typedState = 0;
  private typeName = '';
  /** items left in each open container */
  private readonly left: number[] = [];
  private depth = 0;
  private inFrame = false;

  /** Opens a value: at the top level, the REPLY frame around it. */
  private open(): void {
    if (this.depth === 0 && !this.inFrame) {
      this.begin(Op.REPLY, this.requestId);
      this.inFrame = true;
    }
  }

  /** A value is complete: it fills its container (closing those that are full), or the frame. */
  private close(): void {
    let d = this.depth;
    const left = this.left;
    while (d > 0) {
      if (--left[d - 1]! !== 0) return;
      d--;
      this.depth = d;
    }
    this.inFrame = false;
    this.end();
  }

  private container(tag: number, n: number, slots: number): void {
    this.open();
    this.reserve(5);
    const buf = this.buf;
    buf[this.len] = tag;
    putU32(buf, this.len + 1, n);
    this.len += 5;
    if (slots === 0) return this.close();
    this.left[this.depth++] = slots;
  }

  private str(tag: number, s: string): void {
    this.open();
    this.u8(tag);
    this.latin1(s);
    this.close();
  }

  ok(): void {
    this.str(Tag.STRING, 'OK');
  }

  simple(s: string): void {
    this.str(Tag.STRING, s);
  }

  error(message: string): void {
    this.typedState = 0;
    this.errors++;
    this.lastError = message;
    if (this.onError !== null) this.onError(message);
    this.open();
    this.u8(Tag.ERROR);
    this.u16(errorCodeOf(message));
    this.latin1(message.replace(/[\r\n]/g, ' '));
    this.close();
  }

  int(n: number | bigint): void {
    this.typedState = 0;
    this.open();
    this.reserve(9);
    const buf = this.buf;
    let at = this.len;
    buf[at++] = Tag.INT;
    if (typeof n === 'number' && n >= 0 && n < TWO_32 && Number.isInteger(n)) {
      putU32(buf, at, n);
      putU32(buf, at + 4, 0);
      this.len = at + 8;
    } else {
      this.len = at;
      this.i64(n);
    }
    this.close();
  }

  /** The bytes copied into the frame as they are: no string made (GET's reply, typed or not). */
  bulkBytes(src: Buffer, start: number, end: number): void {
    let tag: number = Tag.BYTES;
    if (this.typedState !== 0) {
      // KV.GETT's value: String, Bytes and Decimal are its bytes; Int and Float are parsed
      const type = this.typedState === 2 ? this.typeName : '';
      if (type === 'string') tag = Tag.STRING;
      else if (type === 'decimal') tag = Tag.DECIMAL;
      else if (type !== 'bytes') return this.typedBulk(latin1(src, start, end));
      this.typedState = 0;
    }
    this.open();
    this.u8(tag);
    this.bytesOf(src, start, end);
    this.close();
  }

  bulk(s: string): void {
    if (this.typedState !== 0) return this.typedBulk(s);
    this.str(Tag.BYTES, s);
  }

  /** KV.GETT's type name, then its value written with that type's tag. */
  private typedBulk(s: string): void {
    if (this.typedState === 1) {
      this.typeName = s;
      this.typedState = 2;
      return;
    }
    this.typedState = 0;
    switch (this.typeName) {
      case 'int': {
        const n = Number(s);
        return this.int(Number.isSafeInteger(n) ? n : BigInt(s));
      }
      case 'float':
        return this.double(Number(s === 'inf' ? Infinity : s === '-inf' ? -Infinity : s));
      case 'decimal':
        return this.str(Tag.DECIMAL, s);
      case 'string':
        return this.str(Tag.STRING, s);
      default:
        return this.str(Tag.BYTES, s);
    }
  }

  bulkBuffer(b: Buffer): void {
    this.bulk(b.latin1Slice(0, b.length));
  }

  bulks(items: ReadonlyArray<string | null>): void {
    this.array(items.length);
    for (const item of items) {
      if (item === null) this.nil();
      else this.bulk(item);
    }
  }

  nil(): void {
    this.typedState = 0;
    this.open();
    this.u8(Tag.NULL);
    this.close();
  }

  nilArray(): void {
    this.nil();
  }

  array(n: number): void {
    if (this.typedGet && this.depth === 0 && n === 2) {
      // KV.GETT's [type, value]: no container, the value alone in the frame
      this.typedGet = false;
      this.open();
      this.typedState = 1;
      return;
    }
    this.typedState = 0;
    this.container(Tag.LIST, n, n);
  }

  map(n: number): void {
    this.container(Tag.MAP, n, n * 2);
  }

  set(n: number): void {
    this.container(Tag.LIST, n, n);
  }

  push(n: number): void {
    this.container(Tag.PUSH, n, n);
  }

  pairs(n: number): void {
    this.container(Tag.LIST, n, n);
  }

  pair(): void {
    this.container(Tag.LIST, 2, 2);
  }

  keyedMap(n: number): void {
    this.container(Tag.MAP, n, n * 2);
  }

  keyedEntry(): void {}

  double(d: number): void {
    this.typedState = 0;
    this.open();
    this.u8(Tag.FLOAT);
    this.f64(d);
    this.close();
  }

  bool(b: boolean): void {
    this.open();
    this.u8(Tag.BOOL);
    this.u8(b ? 1 : 0);
    this.close();
  }

  bigNumber(digits: string): void {
    this.str(Tag.DECIMAL, digits);
  }

  verbatim(text: string): void {
    this.str(Tag.STRING, text);
  }

  /** Drops what was written after `len` (CLIENT REPLY OFF/SKIP; the handshake's AUTH reply). */
  override truncate(len: number): void {
    super.truncate(len);
    this.depth = 0;
    this.inFrame = false;
    this.typedState = 0;
  }
}
